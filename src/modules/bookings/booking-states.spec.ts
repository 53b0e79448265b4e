import { describe, expect, it } from '@jest/globals';
import { ProblemException } from '#libs/common/errors/problem.exception.js';
import {
  BOOKING_STATUSES,
  BOOKING_TRANSITIONS,
  type BookingStatus,
  moveBooking,
  movePayment,
  PAYMENT_STATUSES,
  PAYMENT_TRANSITIONS,
  type PaymentStatus,
  walkPayment,
} from './booking-states.js';

/** The expected legal moves, written out independently of the tables under test. */
const LEGAL_BOOKING = new Set([
  'pending>confirmed',
  'pending>failed',
  'pending>cancelled',
  'pending>expired',
  'confirmed>cancelled',
  'confirmed>completed',
  'cancelled>refunded',
  'completed>refunded',
]);

const LEGAL_PAYMENT = new Set([
  'pending>processing',
  'pending>failed',
  'processing>paid',
  'processing>failed',
  'paid>refunded',
  'paid>partially_refunded',
  'partially_refunded>refunded',
]);

const pairs = <T extends string>(values: readonly T[]): [T, T][] =>
  values.flatMap((from) => values.map((to): [T, T] => [from, to]));

function codeOf(action: () => unknown): string | null {
  try {
    action();
    return null;
  } catch (error) {
    expect(error).toBeInstanceOf(ProblemException);
    expect((error as ProblemException).getStatus()).toBe(409);
    return (error as ProblemException).code;
  }
}

describe('booking status machine', () => {
  it.each(pairs<BookingStatus>(BOOKING_STATUSES))('%s → %s', (from, to) => {
    const legal = LEGAL_BOOKING.has(`${from}>${to}`);
    expect(BOOKING_TRANSITIONS[from].includes(to)).toBe(legal);
    expect(codeOf(() => moveBooking(from, to))).toBe(legal ? null : 'ILLEGAL_BOOKING_TRANSITION');
  });

  it('has an entry for every status and names only known statuses', () => {
    expect(Object.keys(BOOKING_TRANSITIONS).sort()).toEqual([...BOOKING_STATUSES].sort());
    for (const targets of Object.values(BOOKING_TRANSITIONS)) {
      for (const target of targets) expect(BOOKING_STATUSES).toContain(target);
    }
  });

  it('never allows staying in place (cancelling twice is a conflict)', () => {
    for (const status of BOOKING_STATUSES)
      expect(codeOf(() => moveBooking(status, status))).not.toBeNull();
  });
});

describe('payment status machine', () => {
  it.each(pairs<PaymentStatus>(PAYMENT_STATUSES))('%s → %s', (from, to) => {
    const legal = LEGAL_PAYMENT.has(`${from}>${to}`);
    expect(PAYMENT_TRANSITIONS[from].includes(to)).toBe(legal);
    expect(codeOf(() => movePayment(from, to))).toBe(legal ? null : 'ILLEGAL_PAYMENT_TRANSITION');
  });

  it('walks a path step by step', () => {
    expect(walkPayment('pending', 'processing', 'paid')).toBe('paid');
    expect(codeOf(() => walkPayment('pending', 'paid'))).toBe('ILLEGAL_PAYMENT_TRANSITION');
  });
});
