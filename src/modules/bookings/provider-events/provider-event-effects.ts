import { unprocessable } from '#libs/common/errors/problem.exception.js';
import { canMoveBooking, type PaymentStatus, walkPayment } from '../booking-states.js';
import type { BookingStateChange, LedgerSums, NewLedgerEntry } from '../bookings.repository.js';
import type { BookingEntity } from '../entities/booking.entity.js';
import type { ProviderEventType } from './provider-event.dto.js';

/** What one accepted event does: the booking's new columns and ledger entries. */
export interface EventEffect {
  change: BookingStateChange;
  ledger: NewLedgerEntry[];
  /** Shown on the timeline (never document numbers). */
  timeline: Record<string, unknown>;
}

/** A provider event as the effects read it. */
export interface IncomingEvent {
  type: ProviderEventType;
  data: Record<string, unknown>;
}

const invalidEvent = (detail: string) => unprocessable('INVALID_PROVIDER_EVENT', detail);

/** The `data` each type needs, checked before anything is written (422 INVALID_PROVIDER_EVENT). */
export function checkEventData(event: IncomingEvent): void {
  const { data } = event;
  if (event.type === 'booking.confirmed') {
    const code = data.confirmationCode;
    if (typeof code !== 'string' || code.length < 1 || code.length > 100) {
      throw invalidEvent('booking.confirmed needs data.confirmationCode (1-100 characters).');
    }
  }
  if (event.type === 'booking.schedule_changed') {
    const changes = data.changes;
    if (typeof changes !== 'object' || changes === null) {
      throw invalidEvent('booking.schedule_changed needs data.changes (an object or a list).');
    }
  }
  if (event.type === 'booking.cancelled' && data.cancellationReference !== undefined) {
    const reference = data.cancellationReference;
    if (typeof reference !== 'string' || reference.length < 1 || reference.length > 255) {
      throw invalidEvent('data.cancellationReference must be 1-255 characters.');
    }
  }
}

/** Payment after the money was taken: from pending or processing to paid. */
function paid(from: PaymentStatus): PaymentStatus {
  if (from === 'paid') return from;
  return from === 'pending' ? walkPayment(from, 'processing', 'paid') : walkPayment(from, 'paid');
}

/** Payment of a booking that will never be charged: failed (unless already final). */
function unpaid(from: PaymentStatus): PaymentStatus {
  return from === 'pending' || from === 'processing' ? walkPayment(from, 'failed') : from;
}

/**
 * What the event does to `booking` (locked by the caller) given its ledger, or null when the
 * state machine refuses it (out of order: confirmed after cancelled, failed after confirmed…).
 */
export function eventEffect(
  booking: BookingEntity,
  sums: LedgerSums,
  event: IncomingEvent,
  now: Date,
): EventEffect | null {
  const version = booking.version + 1;
  switch (event.type) {
    case 'booking.confirmed': {
      if (!canMoveBooking(booking.status, 'confirmed')) return null;
      const confirmationCode = event.data.confirmationCode as string;
      const owed = booking.totalAmountMinor - (sums.charge - sums.refund);
      return {
        change: {
          status: 'confirmed',
          paymentStatus: paid(booking.paymentStatus),
          confirmationCode,
          bookedAt: now,
          version,
        },
        ledger:
          owed > 0
            ? [
                {
                  bookingId: booking.id,
                  kind: 'charge',
                  amountMinor: owed,
                  currency: booking.currency,
                  description: `Charge for booking ${booking.reference}`,
                  providerReference: null,
                },
              ]
            : [],
        timeline: { confirmationCode },
      };
    }
    case 'booking.failed':
      if (!canMoveBooking(booking.status, 'failed')) return null;
      return {
        change: { status: 'failed', paymentStatus: unpaid(booking.paymentStatus), version },
        ledger: [],
        timeline: {},
      };
    case 'booking.cancelled': {
      if (!canMoveBooking(booking.status, 'cancelled')) return null;
      // The provider cancelled: everything still held is refunded, no penalty.
      const held = sums.charge - sums.refund - sums.penalty;
      const reference =
        typeof event.data.cancellationReference === 'string'
          ? event.data.cancellationReference
          : null;
      const payment =
        held > 0 &&
        (booking.paymentStatus === 'paid' || booking.paymentStatus === 'partially_refunded')
          ? walkPayment(booking.paymentStatus, 'refunded')
          : unpaid(booking.paymentStatus);
      return {
        change: {
          status: 'cancelled',
          paymentStatus: payment,
          cancelledAt: now,
          cancellationReference: reference,
          version,
        },
        ledger:
          held > 0
            ? [
                {
                  bookingId: booking.id,
                  kind: 'refund',
                  amountMinor: held,
                  currency: booking.currency,
                  description: `Refund on provider cancellation of ${booking.reference}`,
                  providerReference: reference,
                },
              ]
            : [],
        timeline: { refundAmountMinor: held > 0 ? held : 0 },
      };
    }
    case 'booking.schedule_changed':
      // Only a live booking's schedule can change; on a settled one the event is recorded only.
      if (booking.status !== 'pending' && booking.status !== 'confirmed') return null;
      return { change: {}, ledger: [], timeline: { changes: event.data.changes } };
  }
}
