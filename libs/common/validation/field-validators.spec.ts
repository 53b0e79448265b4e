import { describe, expect, it } from '@jest/globals';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import {
  IsBcp47,
  IsDateOnly,
  IsIanaTimeZone,
  IsJsonObject,
  isDateOnly,
} from './field-validators.js';

class Sample {
  @IsDateOnly({ min: '1900-01-01', max: 'today' })
  date: unknown;

  @IsBcp47()
  language: unknown;

  @IsIanaTimeZone()
  zone: unknown;

  @IsJsonObject(32)
  extra: unknown;
}

const VALID = { date: '1990-02-28', language: 'pt-BR', zone: 'Europe/Paris', extra: { a: 1 } };

function failing(overrides: Record<string, unknown>): string[] {
  const errors = validateSync(plainToInstance(Sample, { ...VALID, ...overrides }));
  return errors.map((error) => error.property);
}

describe('field validators', () => {
  it('accepts valid values', () => {
    expect(failing({})).toEqual([]);
  });

  it.each([
    ['2023-02-29', false],
    ['2024-02-29', true],
    ['2024-13-01', false],
    ['2024-1-01', false],
    ['2024-01-01T00:00:00Z', false],
    [20240101, false],
  ])('isDateOnly(%p) → %p', (value, expected) => {
    expect(isDateOnly(value)).toBe(expected);
  });

  it.each([
    [{ date: '1899-12-31' }, 'date'],
    [{ date: '2999-01-01' }, 'date'],
    [{ language: 'not a tag!' }, 'language'],
    [{ language: 42 }, 'language'],
    [{ zone: 'Mars/Olympus' }, 'zone'],
    [{ extra: [1, 2] }, 'extra'],
    [{ extra: { text: 'x'.repeat(40) } }, 'extra'],
  ])('refuses %p', (overrides, property) => {
    expect(failing(overrides)).toEqual([property]);
  });
});
