import { describe, expect, it } from '@jest/globals';
import {
  addCalendarMonths,
  canMovePrivacyRequest,
  dueDate,
  extendedDueDate,
  illegalTransition,
  PRIVACY_REQUEST_STATUSES,
  type PrivacyRequestStatus,
} from './privacy-request-states.js';

const LEGAL = new Set([
  'received>identity_verified',
  'received>rejected',
  'identity_verified>in_progress',
  'identity_verified>rejected',
  'in_progress>completed',
  'in_progress>rejected',
]);

describe('privacy request lifecycle', () => {
  const pairs = PRIVACY_REQUEST_STATUSES.flatMap((from) =>
    PRIVACY_REQUEST_STATUSES.map(
      (to) => [from, to] as [PrivacyRequestStatus, PrivacyRequestStatus],
    ),
  );
  it.each(pairs)('%s → %s', (from, to) => {
    expect(canMovePrivacyRequest(from, to)).toBe(LEGAL.has(`${from}>${to}`));
  });

  it('an illegal move is a 409 with a stable code', () => {
    const problem = illegalTransition('completed', 'received');
    expect(problem.getStatus()).toBe(409);
    expect(JSON.stringify(problem.getResponse())).toContain('ILLEGAL_PRIVACY_REQUEST_TRANSITION');
  });
});

describe('calendar months (GDPR Art. 12(3))', () => {
  it.each<[string, number, string]>([
    ['2026-01-31T12:00:00.000Z', 1, '2026-02-28T12:00:00.000Z'],
    ['2028-01-31T12:00:00.000Z', 1, '2028-02-29T12:00:00.000Z'],
    ['2026-03-31T00:00:00.000Z', 1, '2026-04-30T00:00:00.000Z'],
    ['2026-12-31T23:00:00.000Z', 1, '2027-01-31T23:00:00.000Z'],
    ['2026-02-28T12:00:00.000Z', 2, '2026-04-28T12:00:00.000Z'],
    ['2026-12-31T10:00:00.000Z', 2, '2027-02-28T10:00:00.000Z'],
    ['2027-12-30T10:00:00.000Z', 2, '2028-02-29T10:00:00.000Z'],
  ])('%s + %i months = %s', (from, months, expected) => {
    expect(addCalendarMonths(new Date(from), months).toISOString()).toBe(expected);
  });

  it('due one month after receipt, extended two months after the due date', () => {
    const due = dueDate(new Date('2026-01-31T12:00:00.000Z'));
    expect(due.toISOString()).toBe('2026-02-28T12:00:00.000Z');
    expect(extendedDueDate(due).toISOString()).toBe('2026-04-28T12:00:00.000Z');
  });
});
