import { Injectable, Logger } from '@nestjs/common';
import { conflict, notFound, ProblemException } from '#libs/common/errors/problem.exception.js';
import { preconditionFailed } from '#libs/common/http/version-etag.js';
import { BookingProviderRegistry } from '../booking-provider.registry.js';
import { moveBooking } from '../booking-states.js';
import { BookingsRepository } from '../bookings.repository.js';
import type { BookingResponseDto, CancellationQuoteDto } from '../dto/booking-response.dto.js';
import type { BookingEntity } from '../entities/booking.entity.js';
import type { CancellationQuoteEntity } from '../entities/cancellation-quote.entity.js';
import type { ProviderCancellationResult } from '../providers/booking-provider.js';
import { bookingNotFound, bookingView, findOwnedBooking } from '../queries/booking-view.js';
import { BookingNotifier } from '../lifecycle/booking-notifier.js';
import { CancellationQuotesRepository } from './cancellation-quotes.repository.js';
import {
  CANCELLATION_CLAIM_LEASE_MS,
  cancellationRunning,
  claimLeaseCutoff,
  claimStillRecordable,
  writeCancellation,
} from './cancellation-record.js';
import { CancellationReconciler } from './cancellation-reconciler.js';

/** A cancellation quote is valid for 15 minutes. */
export const CANCELLATION_QUOTE_TTL_MS = 15 * 60 * 1000;

/** A cancellation claimed (quote marked used at `claimedAt`) but not recorded yet. */
interface CancellationClaim {
  kind: 'claimed';
  booking: BookingEntity;
  quote: CancellationQuoteEntity;
  claimedAt: Date;
}

/**
 * What claiming a quote found: claimed now; recorded with this quote by the reconciliation this
 * very request ran (answer the booking); or claimed earlier by a cancel that never recorded, past
 * its lease (settle first).
 */
type ClaimOutcome = CancellationClaim | { kind: 'recorded' } | { kind: 'stale' };

/**
 * Cancelling a booking: a quote (refund and penalty from the booking's policy snapshot), then the
 * cancel that uses it. Reconciliation of cancels that never recorded lives next door
 * (`cancellation-reconciler.ts`); the record step both share is `cancellation-record.ts`.
 */
@Injectable()
export class BookingCancellationService {
  private readonly logger = new Logger(BookingCancellationService.name);

  constructor(
    private readonly bookings: BookingsRepository,
    private readonly quotes: CancellationQuotesRepository,
    private readonly providers: BookingProviderRegistry,
    private readonly reconciler: CancellationReconciler,
    private readonly notifier: BookingNotifier,
  ) {}

  /** POST /bookings/:id/cancellation-quote. */
  async quote(userId: string, bookingId: string): Promise<CancellationQuoteDto> {
    const booking = await findOwnedBooking(this.bookings, bookingId, userId);
    moveBooking(booking.status, 'cancelled');
    const sums = await this.bookings.ledgerSums(booking.id);
    const now = new Date();
    const charged = sums.charge - sums.refund;
    // Before the free-cancellation deadline nothing is kept, whatever the provider's rules say.
    const free =
      booking.freeCancellationUntil !== null &&
      now.getTime() <= booking.freeCancellationUntil.getTime();
    const terms = free
      ? { refundAmountMinor: charged, penaltyAmountMinor: 0 }
      : await this.providers.get(booking.provider).cancelQuote(
          {
            providerReference: booking.providerReference,
            currency: booking.currency,
            chargedAmountMinor: charged,
            travelStartDate: booking.travelStartDate,
            cancellationPolicy: booking.cancellationPolicy,
          },
          now,
        );
    const quote = await this.quotes.insert({
      bookingId: booking.id,
      bookingVersion: booking.version,
      refundAmountMinor: terms.refundAmountMinor,
      penaltyAmountMinor: terms.penaltyAmountMinor,
      currency: booking.currency,
      expiresAt: new Date(Date.now() + CANCELLATION_QUOTE_TTL_MS),
    });
    return {
      quoteId: quote.id,
      bookingId: booking.id,
      refund: { amountMinor: quote.refundAmountMinor, currency: quote.currency },
      penalty: { amountMinor: quote.penaltyAmountMinor, currency: quote.currency },
      expiresAt: quote.expiresAt.toISOString(),
    };
  }

  /**
   * Confirms a cancellation with a quote, in three steps so that no transaction stays open
   * across the provider call (a slow provider would hold the booking's row lock and a pooled
   * connection for as long as it takes):
   * 1. claim — booking row locked: the quote must be this booking's, unused, unexpired and made
   *    on the current version, and no other cancellation may be in progress (else 409); the quote
   *    is marked used (the recorded intent) and the transaction commits;
   * 2. the provider cancels, outside any transaction; if it fails, the claim is released;
   * 3. record — booking row locked again: the ledger gets the refund and the penalty (which add
   *    up to what was charged), the booking its new state. Of concurrent cancels only the claim
   *    holder gets here, so the provider cancels once and the ledger refunds once.
   *
   * If step 3 fails after the provider cancelled, the client gets 409 CANCELLATION_IN_PROGRESS
   * (never a 5xx) and the claim is aged past its lease, so a retry with the same quote settles it
   * at once through reconciliation (the provider is asked; the cancellation recorded, or the
   * quote freed and used) and answers 200 with the booking. Once a cancellation is recorded, any
   * further cancel is 409 ILLEGAL_BOOKING_TRANSITION (cancel twice). Without a retry, the
   * scheduled reconciliation settles it.
   */
  async cancel(
    userId: string,
    bookingId: string,
    quoteId: string,
    expectedVersion?: number,
  ): Promise<BookingResponseDto> {
    let outcome = await this.claimCancellation(userId, bookingId, quoteId, expectedVersion, false);
    if (outcome.kind === 'stale') {
      await this.reconciler.reconcile({ bookingId });
      outcome = await this.claimCancellation(userId, bookingId, quoteId, expectedVersion, true);
    }
    if (outcome.kind === 'recorded') return bookingView(this.bookings, bookingId, userId);
    if (outcome.kind === 'stale') throw this.cancellationInProgress();
    const claim = outcome;
    let result: ProviderCancellationResult;
    try {
      result = await this.providers.get(claim.booking.provider).cancel({
        providerReference: claim.booking.providerReference,
        currency: claim.booking.currency,
        chargedAmountMinor: claim.quote.refundAmountMinor + claim.quote.penaltyAmountMinor,
        travelStartDate: claim.booking.travelStartDate,
        cancellationPolicy: claim.booking.cancellationPolicy,
      });
    } catch (error) {
      if (error instanceof ProblemException) {
        // The provider refused: nothing was cancelled; free the quote so the client may retry.
        await this.quotes.release(quoteId, claim.claimedAt).catch(() => undefined);
        throw error;
      }
      // No answer (timeout, connection lost): the provider may have cancelled and refunded. Only
      // its status can tell, so the claim is settled like a failed record (below).
      this.logger.error(`Provider cancel of booking ${bookingId} gave no answer: ${String(error)}`);
      await this.ageClaim(quoteId, claim);
      throw this.cancellationInProgress();
    }
    let cancelled: { view: BookingResponseDto; recorded: boolean };
    try {
      cancelled = await this.recordCancellation(userId, claim, result);
    } catch (error) {
      if (error instanceof ProblemException) throw error;
      // The provider cancelled and our record failed (database blip). Age the claim past its
      // lease so a retry or the next reconciliation settles it now rather than in 5 minutes.
      this.logger.error(`Recording cancellation of booking ${bookingId} failed: ${String(error)}`);
      await this.ageClaim(quoteId, claim);
      throw this.cancellationInProgress();
    }
    // Cancelled meanwhile by the provider: its own path has mailed the owner.
    if (cancelled.recorded) await this.notifier.notify(bookingId, 'booking.cancelled');
    return cancelled.view;
  }

  /**
   * Ages an unrecorded claim past its lease, so a retry with the quote or the next scheduled
   * reconciliation settles it from the provider's status now rather than in 5 minutes.
   */
  private async ageClaim(quoteId: string, claim: CancellationClaim): Promise<void> {
    await this.quotes
      .age(
        quoteId,
        claim.claimedAt,
        new Date(claim.claimedAt.getTime() - CANCELLATION_CLAIM_LEASE_MS),
      )
      .catch(() => undefined);
  }

  private cancellationInProgress(): ProblemException {
    return conflict(
      'CANCELLATION_IN_PROGRESS',
      'A cancellation of this booking is being processed; retry shortly.',
      { headers: { 'Retry-After': '1' } },
    );
  }

  private async claimCancellation(
    userId: string,
    bookingId: string,
    quoteId: string,
    expectedVersion: number | undefined,
    settledNow: boolean,
  ): Promise<ClaimOutcome> {
    return this.bookings.transaction(async (bookings, manager): Promise<ClaimOutcome> => {
      const booking = await this.lockOwned(bookings, bookingId, userId);
      const quotes = this.quotes.withManager(manager);
      const quote = await quotes.findForBooking(quoteId, bookingId);
      if (!quote) throw notFound('CANCELLATION_QUOTE_NOT_FOUND', 'No such quote for this booking.');
      // Settled by the reconciliation this retry just ran: the retry's cancel took effect. A quote
      // recorded before this request is a second cancel: 409 below (the booking is cancelled).
      if (settledNow && quote.recordedAt) return { kind: 'recorded' };
      if (expectedVersion !== undefined && expectedVersion !== booking.version) {
        throw preconditionFailed(booking.version);
      }
      moveBooking(booking.status, 'cancelled');
      if (quote.usedAt) {
        // This quote's cancel is running (409, retry) or never recorded (settle, then answer).
        if (quote.usedAt > claimLeaseCutoff()) {
          throw this.cancellationInProgress();
        }
        return { kind: 'stale' };
      }
      if (quote.expiresAt.getTime() <= Date.now()) {
        throw conflict('CANCELLATION_QUOTE_EXPIRED', 'This quote has expired; ask for a new one.');
      }
      if (quote.bookingVersion !== booking.version) {
        throw conflict(
          'CANCELLATION_QUOTE_STALE',
          'The booking changed since this quote was made; ask for a new one.',
        );
      }
      // Another quote claimed and not recorded yet: its provider call is running. A claim older
      // than the lease is a crashed request and no longer blocks (step 3 re-checks the state).
      if (await cancellationRunning(quotes, bookingId)) throw this.cancellationInProgress();
      const sums = await bookings.ledgerSums(booking.id);
      if (quote.refundAmountMinor + quote.penaltyAmountMinor !== sums.charge - sums.refund) {
        throw conflict(
          'CANCELLATION_QUOTE_STALE',
          'The amounts changed since this quote was made.',
        );
      }
      const claimedAt = new Date();
      await quotes.claim(quote.id, claimedAt);
      return { kind: 'claimed', booking, quote, claimedAt };
    });
  }

  private async recordCancellation(
    userId: string,
    claim: CancellationClaim,
    result: ProviderCancellationResult,
  ): Promise<{ view: BookingResponseDto; recorded: boolean }> {
    const { quote } = claim;
    return this.bookings.transaction(async (bookings, manager) => {
      const booking = await this.lockOwned(bookings, claim.booking.id, userId);
      const quotes = this.quotes.withManager(manager);
      // Cancelled meanwhile by the provider (its event, or the status sync seeing it): what this
      // cancel asked for is done; the claim is closed without a second refund.
      if (booking.status === 'cancelled' && booking.version > quote.bookingVersion) {
        await quotes.markRecorded(quote.id);
        return { view: await bookingView(bookings, booking.id, userId), recorded: false };
      }
      // Recorded once: a crashed claim taken over is not recorded twice. A booking settled since
      // the claim (pending → confirmed while the provider cancel ran) is still recorded, with
      // the charge refunded (recordedTerms), since the provider has cancelled it.
      if (!claimStillRecordable(booking, quote)) {
        throw conflict(
          'CANCELLATION_QUOTE_STALE',
          'The booking changed while it was being cancelled.',
        );
      }
      await writeCancellation({ bookings, quotes }, booking, quote, result);
      return { view: await bookingView(bookings, booking.id, userId), recorded: true };
    });
  }

  /** The caller's booking, row-locked for the rest of the transaction; 404 when not theirs. */
  private async lockOwned(
    bookings: BookingsRepository,
    bookingId: string,
    userId: string,
  ): Promise<BookingEntity> {
    const booking = await bookings.lockOneForOwner(bookingId, userId);
    if (!booking) throw bookingNotFound();
    return booking;
  }
}
