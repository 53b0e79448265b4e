import type { EntityManager } from 'typeorm';
import { BookingLedgerEntryEntity, CancellationQuoteEntity } from './booking-links.entity.js';
import { moveBooking, walkPayment } from './booking-states.js';
import { BookingEntity } from './booking.entity.js';

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
export function cancellationRunning(manager: EntityManager, bookingId: string): Promise<boolean> {
  return manager
    .getRepository(CancellationQuoteEntity)
    .createQueryBuilder('quote')
    .where('quote.booking_id = :bookingId AND quote.used_at > :cutoff', {
      bookingId,
      cutoff: claimLeaseCutoff(),
    })
    .getExists();
}

type LedgerInsert = Pick<
  BookingLedgerEntryEntity,
  'bookingId' | 'kind' | 'amountMinor' | 'currency' | 'description' | 'providerReference'
>;

/**
 * Step 3 of a cancellation, shared by the request and reconciliation: the ledger gets the quote's
 * refund and penalty, the booking its cancelled state, the quote `recorded_at`. The caller holds
 * the booking's row lock and has checked the booking is still as claimed (version, not cancelled).
 */
export async function writeCancellation(
  manager: EntityManager,
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
  const entries: LedgerInsert[] = [];
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
  if (entries.length > 0) await manager.getRepository(BookingLedgerEntryEntity).insert(entries);
  await manager.getRepository(BookingEntity).update(
    { id: booking.id },
    {
      status,
      paymentStatus: payment,
      cancelledAt: new Date(),
      cancellationReference: result.cancellationReference,
      providerResponse: { ...booking.providerResponse, cancellation: result.raw },
      version: booking.version + 1,
    },
  );
  await manager
    .getRepository(CancellationQuoteEntity)
    .update({ id: quote.id }, { recordedAt: new Date() });
}
