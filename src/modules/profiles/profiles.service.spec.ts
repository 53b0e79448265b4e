import { describe, expect, it } from '@jest/globals';
import { ProblemException } from '#libs/common/errors/problem.exception.js';
import { assertPreferencesConsistent } from './profiles.service.js';

const eur = (amountMinor: number): { amountMinor: number; currency: string } => ({
  amountMinor,
  currency: 'EUR',
});

function errorsOf(run: () => void): Record<string, string[]> | undefined {
  try {
    run();
    return undefined;
  } catch (error) {
    expect(error).toBeInstanceOf(ProblemException);
    return (error as ProblemException).extras.errors;
  }
}

describe('travel preference rules across fields', () => {
  it.each([
    ['a valid range', { min: eur(0), max: eur(100000) }, undefined],
    ['min equal to max', { min: eur(500), max: eur(500) }, undefined],
    ['max below min', { min: eur(500), max: eur(499) }, 'budgetRange.max.amountMinor'],
    ['a negative min', { min: eur(-1), max: eur(10) }, 'budgetRange.min.amountMinor'],
    [
      'two currencies',
      { min: eur(1), max: { amountMinor: 10, currency: 'USD' } },
      'budgetRange.max.currency',
    ],
  ])('%s', (_name, range, field) => {
    const errors = errorsOf(() => assertPreferencesConsistent(range, [], []));
    if (field === undefined) expect(errors).toBeUndefined();
    else expect(Object.keys(errors ?? {})).toContain(field);
  });

  it('an airline cannot be both preferred and avoided', () => {
    const errors = errorsOf(() => assertPreferencesConsistent(null, ['AF', 'KL'], ['KL']));
    expect(errors?.avoidedAirlines?.[0]).toContain('KL');
    expect(errorsOf(() => assertPreferencesConsistent(null, ['AF'], ['KL']))).toBeUndefined();
  });
});
