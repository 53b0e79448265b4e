import { canMoveBooking, moveBooking, walkPayment } from '../booking-states.js';
import type { BookingsRepository, LedgerSums, NewLedgerEntry } from '../bookings.repository.js';
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

/** The refund and penalty a claimed cancellation records. */
export interface RecordedTerms {
  refundAmountMinor: number;
  penaltyAmountMinor: number;
}

/**
 * What the claimed quote settles given the ledger now. Normally the quote's own amounts (the
 * claim checked they add up to what is held, and nothing moved the ledger since). When the
 * booking was settled between claim and record (a pending booking confirmed by the status sync
 * or a provider event while the provider cancel ran, which charged it), the quote's penalty is
 * kept (capped at what is held) and everything else held is refunded: the user agreed to no
 * more than that penalty, and the ledger stays balanced (charges = refunds + penalties).
 */
export function recordedTerms(quote: CancellationQuoteEntity, sums: LedgerSums): RecordedTerms {
  const held = Math.max(0, sums.charge - sums.refund - sums.penalty);
  const penaltyAmountMinor = Math.min(quote.penaltyAmountMinor, held);
  return { refundAmountMinor: held - penaltyAmountMinor, penaltyAmountMinor };
}

/**
 * Whether a claimed quote may still be recorded on `booking` (row-locked): the booking is as
 * claimed, or it was only settled since (pending → confirmed, a new version) and can still be
 * cancelled. The provider has cancelled by then; refusing would leave our records saying
 * confirmed while the provider says cancelled.
 */
export function claimStillRecordable(
  booking: BookingEntity,
  quote: CancellationQuoteEntity,
): boolean {
  if (!canMoveBooking(booking.status, 'cancelled') || quote.recordedAt !== null) return false;
  return booking.version >= quote.bookingVersion;
}

/**
 * Step 3 of a cancellation, shared by the request and reconciliation: the ledger gets the
 * refund and penalty (`recordedTerms`), the booking its cancelled state, the quote
 * `recorded_at`. The caller holds the booking's row lock and has checked the claim is still
 * recordable (`claimStillRecordable`).
 */
export async function writeCancellation(
  tx: { bookings: BookingsRepository; quotes: CancellationQuotesRepository },
  booking: BookingEntity,
  quote: CancellationQuoteEntity,
  result: { cancellationReference: string | null; raw: Record<string, unknown> },
): Promise<void> {
  const status = moveBooking(booking.status, 'cancelled');
  const terms = recordedTerms(quote, await tx.bookings.ledgerSums(booking.id));
  const settledMeanwhile = booking.version !== quote.bookingVersion;
  let payment = booking.paymentStatus;
  if (payment === 'paid' && terms.refundAmountMinor > 0) {
    payment = walkPayment(
      payment,
      terms.penaltyAmountMinor === 0 ? 'refunded' : 'partially_refunded',
    );
  } else if (payment === 'pending' || payment === 'processing') {
    payment = walkPayment(payment, 'failed');
  }
  const entries: NewLedgerEntry[] = [];
  if (terms.refundAmountMinor > 0) {
    entries.push({
      bookingId: booking.id,
      kind: 'refund',
      amountMinor: terms.refundAmountMinor,
      currency: booking.currency,
      description: `Refund on cancellation of ${booking.reference}`,
      providerReference: result.cancellationReference,
    });
  }
  if (terms.penaltyAmountMinor > 0) {
    entries.push({
      bookingId: booking.id,
      kind: 'penalty',
      amountMinor: terms.penaltyAmountMinor,
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
        refundAmountMinor: terms.refundAmountMinor,
        penaltyAmountMinor: terms.penaltyAmountMinor,
        ...(settledMeanwhile ? { settledWhileCancelling: true } : {}),
      },
    },
  ]);
}
