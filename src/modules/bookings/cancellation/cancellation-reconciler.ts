import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AUDIT_LOG, type AuditLog } from '#libs/common/compliance-ports.js';
import { type AppConfig, InjectConfig } from '#config/app-config.js';
import { PeriodicService } from '#libs/common/scheduling/periodic-service.js';
import { ScheduledJobs, type ScheduledRun } from '#libs/common/scheduling/scheduled-jobs.js';
import { BookingProviderRegistry } from '../booking-provider.registry.js';
import { BookingsRepository } from '../bookings.repository.js';
import type { BookingEntity } from '../entities/booking.entity.js';
import type { CancellationQuoteEntity } from '../entities/cancellation-quote.entity.js';
import type { ProviderBookingStatus } from '../providers/booking-provider.js';
import { CancellationQuotesRepository, type StaleClaim } from './cancellation-quotes.repository.js';
import {
  cancellationRunning,
  claimLeaseCutoff,
  claimStillRecordable,
  writeCancellation,
} from './cancellation-record.js';

export const RECONCILE_JOB = 'bookings.cancellation-reconcile';
/** Claims settled per run at most; the rest wait for the next period. */
const BATCH = 200;

/** What happened to one stale claim. */
export type ReconcileOutcome =
  /** The provider had cancelled: ledger, state and audit written from the claimed quote. */
  | 'recorded'
  /** The provider had not cancelled: the booking's stale claims were freed. */
  | 'released'
  /** Settled meanwhile by someone else, or a newer cancel is running: nothing done. */
  | 'skipped'
  /** The provider does not know the booking, or asking it failed: left for the next run. */
  | 'unresolved';

export type ReconcileResult = Record<ReconcileOutcome, number>;

/**
 * Cancellation reconciliation. A cancel claims its quote (`used_at`), calls the provider, then
 * records; a crash or database failure in between leaves the quote used and unrecorded while the
 * provider may have refunded. For each such claim older than the claim lease (so no live request
 * owns it) on a booking not cancelled here, the provider is asked for the booking's state, outside
 * any transaction; then, under the booking's row lock and only if the claim is still as seen and
 * no newer claim is running, the cancellation is recorded (provider: cancelled) or the booking's
 * stale claims are freed (provider: active). Two runs at once settle each claim once: the loser
 * waits on the row lock and then finds the booking cancelled or the claim changed.
 */
@Injectable()
export class CancellationReconciler extends PeriodicService {
  constructor(
    private readonly bookings: BookingsRepository,
    private readonly quotes: CancellationQuotesRepository,
    private readonly providers: BookingProviderRegistry,
    private readonly jobs: ScheduledJobs,
    @InjectConfig() private readonly config: AppConfig,
    @Inject(AUDIT_LOG) private readonly audit: AuditLog,
  ) {
    super('Cancellation reconciliation');
  }

  protected tickSeconds(): number {
    return this.config.BOOKING_CANCELLATION_RECONCILE_SECONDS;
  }

  protected tick(): Promise<unknown> {
    return this.scheduledRun();
  }

  /** What the timer calls: one run per period across every instance of the deployment. */
  async scheduledRun(now?: Date): Promise<ScheduledRun<ReconcileResult>> {
    const seconds = this.config.BOOKING_CANCELLATION_RECONCILE_SECONDS;
    if (seconds <= 0) return { ran: false };
    return this.jobs.runOncePerPeriod(RECONCILE_JOB, seconds, () => this.reconcile(), now);
  }

  /** One pass now, over every stale claim or only one booking's (a client's retried cancel). */
  async reconcile(options: { bookingId?: string } = {}): Promise<ReconcileResult> {
    const result: ReconcileResult = { recorded: 0, released: 0, skipped: 0, unresolved: 0 };
    for (const claim of await this.staleClaims(options.bookingId)) {
      const outcome = await this.settle(claim).catch((error: unknown) => {
        this.logger.error(`Reconciling booking ${claim.bookingId} failed: ${String(error)}`);
        return 'unresolved' as const;
      });
      result[outcome] += 1;
    }
    const { recorded, released, unresolved } = result;
    if (recorded + released + unresolved > 0) {
      this.logger.log(
        `Cancellation reconciliation: ${recorded} recorded, ${released} released, ${unresolved} unresolved`,
      );
    }
    return result;
  }

  /** The newest unrecorded claim per booking, older than the lease, on a cancellable booking. */
  private staleClaims(bookingId: string | undefined): Promise<StaleClaim[]> {
    return this.quotes.staleClaims(claimLeaseCutoff(), bookingId, BATCH);
  }

  private async settle(claim: StaleClaim): Promise<ReconcileOutcome> {
    const booking = await this.bookings.findById(claim.bookingId);
    if (!booking?.providerReference) return 'unresolved';
    // Asked outside any transaction: a slow provider holds no row lock.
    const remote = await this.providers.get(booking.provider).status(booking.providerReference);
    if (remote.state === 'unknown') {
      this.logger.warn(`Provider ${booking.provider} does not know booking ${booking.id}`);
      return 'unresolved';
    }
    return this.bookings.transaction(async (bookings, manager) => {
      const quotes = this.quotes.withManager(manager);
      const locked = await bookings.lockById(claim.bookingId);
      const quote = await quotes.findById(claim.quoteId);
      // Settled since we looked (another run, a retried cancel): nothing to do.
      if (
        !locked ||
        locked.status === 'cancelled' ||
        !quote ||
        quote.recordedAt !== null ||
        quote.usedAt?.getTime() !== claim.usedAt.getTime()
      ) {
        return 'skipped';
      }
      // A newer cancel is running; its own record step (or a later run) settles the booking.
      if (await cancellationRunning(quotes, locked.id)) return 'skipped';
      if (remote.state === 'cancelled') {
        return this.record({ bookings, quotes, manager }, locked, quote, remote);
      }
      await quotes.releaseStale(locked.id, claimLeaseCutoff());
      await this.audit.record(
        {
          actorId: null,
          actorRoles: [],
          action: 'booking.cancellation.released',
          subjectId: locked.userId,
          resourceType: 'booking',
          resourceId: locked.id,
          reason: 'claimed cancellation never reached the provider',
        },
        manager,
      );
      return 'released';
    });
  }

  private async record(
    tx: {
      bookings: BookingsRepository;
      quotes: CancellationQuotesRepository;
      manager: EntityManager;
    },
    booking: BookingEntity,
    quote: CancellationQuoteEntity,
    remote: ProviderBookingStatus,
  ): Promise<ReconcileOutcome> {
    if (!claimStillRecordable(booking, quote)) {
      this.logger.error(
        `Booking ${booking.id} is cancelled at the provider but cannot be recorded from quote ${quote.id}`,
      );
      return 'unresolved';
    }
    await writeCancellation(tx, booking, quote, {
      cancellationReference: remote.cancellationReference,
      raw: { ...remote.raw, reconciled: true },
    });
    await this.audit.record(
      {
        actorId: null,
        actorRoles: [],
        action: 'booking.cancellation.reconciled',
        subjectId: booking.userId,
        resourceType: 'booking',
        resourceId: booking.id,
        reason: 'provider had cancelled; the cancellation was not recorded',
      },
      tx.manager,
    );
    return 'recorded';
  }
}
