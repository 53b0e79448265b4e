import { moveBooking, walkPayment } from '../booking-states.js';
import type { BookingsRepository, NewLedgerEntry } from '../bookings.repository.js';
import type { BookingEntity } from '../entities/booking.entity.js';
import type { CancellationQuoteEntity } from '../entities/cancellation-quote.entity.js';
import type { CancellationQuotesRepository } from './cancellation-quotes.repository.js';

/**
 * How long a claimed cancellation blocks others while its provider call runs. A claim older than
 * this is a request that crashed (or failed to record) between claim and record: it no longer
 * blocks, and reconciliation settles it.
 */
export const CANCELLATION_CLAIM_LEASE_MS = 5 * 60 * 1000;

/** Claims made before this instant are past their lease. */
export const claimLeaseCutoff = (): Date => new Date(Date.now() - CANCELLATION_CLAIM_LEASE_MS);

/**
 * Whether a claim on the booking is still within its lease, i.e. its provider call may still be
 * running (the caller holds the booking's row lock, so no new claim can appear meanwhile).
 */
export function cancellationRunning(
  quotes: CancellationQuotesRepository,
  bookingId: string,
): Promise<boolean> {
  return quotes.claimedSince(bookingId, claimLeaseCutoff());
}

/**
 * Step 3 of a cancellation, shared by the request and reconciliation: the ledger gets the quote's
 * refund and penalty, the booking its cancelled state, the quote `recorded_at`. The caller holds
 * the booking's row lock and has checked the booking is still as claimed (version, not cancelled).
 */
export async function writeCancellation(
  tx: { bookings: BookingsRepository; quotes: CancellationQuotesRepository },
  booking: BookingEntity,
  quote: CancellationQuoteEntity,
  result: { cancellationReference: string | null; raw: Record<string, unknown> },
): Promise<void> {
  const status = moveBooking(booking.status, 'cancelled');
  let payment = booking.paymentStatus;
  if (payment === 'paid' && quote.refundAmountMinor > 0) {
    payment = walkPayment(
      payment,
      quote.penaltyAmountMinor === 0 ? 'refunded' : 'partially_refunded',
    );
  } else if (payment === 'pending' || payment === 'processing') {
    payment = walkPayment(payment, 'failed');
  }
  const entries: NewLedgerEntry[] = [];
  if (quote.refundAmountMinor > 0) {
    entries.push({
      bookingId: booking.id,
      kind: 'refund',
      amountMinor: quote.refundAmountMinor,
      currency: booking.currency,
      description: `Refund on cancellation of ${booking.reference}`,
      providerReference: result.cancellationReference,
    });
  }
  if (quote.penaltyAmountMinor > 0) {
    entries.push({
      bookingId: booking.id,
      kind: 'penalty',
      amountMinor: quote.penaltyAmountMinor,
      currency: booking.currency,
      description: `Cancellation penalty on ${booking.reference}`,
      providerReference: result.cancellationReference,
    });
  }
  await tx.bookings.insertLedgerEntries(entries);
  await tx.bookings.markCancelled(booking, {
    status,
    paymentStatus: payment,
    cancelledAt: new Date(),
    cancellationReference: result.cancellationReference,
    version: booking.version + 1,
    cancellationResponse: result.raw,
  });
  await tx.quotes.markRecorded(quote.id);
  await tx.bookings.insertEvents([
    {
      bookingId: booking.id,
      type: 'booking.cancelled',
      source: 'user',
      data: {
        refundAmountMinor: quote.refundAmountMinor,
        penaltyAmountMinor: quote.penaltyAmountMinor,
      },
    },
  ]);
}
