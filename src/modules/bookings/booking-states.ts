import { conflict, type ProblemException } from '#libs/common/errors/problem.exception.js';

export const BOOKING_TYPES = ['flight', 'hotel', 'activity'] as const;
export type BookingType = (typeof BOOKING_TYPES)[number];

export const BOOKING_STATUSES = [
  'pending',
  'confirmed',
  'cancelled',
  'completed',
  'expired',
  'refunded',
  'failed',
] as const;
export type BookingStatus = (typeof BOOKING_STATUSES)[number];

export const PAYMENT_STATUSES = [
  'pending',
  'processing',
  'paid',
  'failed',
  'refunded',
  'partially_refunded',
] as const;
export type PaymentStatus = (typeof PAYMENT_STATUSES)[number];

export const LEDGER_ENTRY_KINDS = ['charge', 'refund', 'penalty'] as const;
export type LedgerEntryKind = (typeof LEDGER_ENTRY_KINDS)[number];

/**
 * The booking lifecycle as data: every legal move, nothing else. `failed`, `expired` and
 * `refunded` are terminal; a cancelled or completed booking can still be refunded by support.
 */
export const BOOKING_TRANSITIONS: Readonly<Record<BookingStatus, readonly BookingStatus[]>> = {
  pending: ['confirmed', 'failed', 'cancelled', 'expired'],
  confirmed: ['cancelled', 'completed'],
  cancelled: ['refunded'],
  completed: ['refunded'],
  expired: [],
  refunded: [],
  failed: [],
};

/** The payment lifecycle as data. `failed` and `refunded` are terminal. */
export const PAYMENT_TRANSITIONS: Readonly<Record<PaymentStatus, readonly PaymentStatus[]>> = {
  pending: ['processing', 'failed'],
  processing: ['paid', 'failed'],
  paid: ['refunded', 'partially_refunded'],
  partially_refunded: ['refunded'],
  failed: [],
  refunded: [],
};

export function canMoveBooking(from: BookingStatus, to: BookingStatus): boolean {
  return BOOKING_TRANSITIONS[from].includes(to);
}

export function canMovePayment(from: PaymentStatus, to: PaymentStatus): boolean {
  return PAYMENT_TRANSITIONS[from].includes(to);
}

function illegal(machine: string, from: string, to: string): ProblemException {
  return conflict(
    machine === 'booking' ? 'ILLEGAL_BOOKING_TRANSITION' : 'ILLEGAL_PAYMENT_TRANSITION',
    `A ${machine} cannot go from ${from} to ${to}.`,
    { from, to },
  );
}

/** Returns `to`, or throws 409 ILLEGAL_BOOKING_TRANSITION. */
export function moveBooking(from: BookingStatus, to: BookingStatus): BookingStatus {
  if (!canMoveBooking(from, to)) throw illegal('booking', from, to);
  return to;
}

/** Returns `to`, or throws 409 ILLEGAL_PAYMENT_TRANSITION. */
export function movePayment(from: PaymentStatus, to: PaymentStatus): PaymentStatus {
  if (!canMovePayment(from, to)) throw illegal('payment', from, to);
  return to;
}

/** Walks a path of payment states (each step must be legal); returns the last. */
export function walkPayment(from: PaymentStatus, ...path: PaymentStatus[]): PaymentStatus {
  return path.reduce<PaymentStatus>((current, next) => movePayment(current, next), from);
}
