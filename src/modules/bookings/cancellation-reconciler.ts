import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { AUDIT_LOG, type AuditLog } from '#libs/common/compliance-ports.js';
import { type AppConfig, InjectConfig } from '#config/app-config.js';
import { PeriodicTask } from '#libs/common/scheduling/periodic-task.js';
import { ScheduledJobs, type ScheduledRun } from '#libs/common/scheduling/scheduled-jobs.js';
import { CancellationQuoteEntity } from './booking-links.entity.js';
import { BookingProviderRegistry } from './booking-provider.registry.js';
import { canMoveBooking } from './booking-states.js';
import { BookingEntity } from './booking.entity.js';
import { cancellationRunning, claimLeaseCutoff, writeCancellation } from './cancellation-record.js';
import type { ProviderBookingStatus } from './providers/booking-provider.js';

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

interface StaleClaim {
  quoteId: string;
  bookingId: string;
  usedAt: Date;
}

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
export class CancellationReconciler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(CancellationReconciler.name);
  private readonly timer = new PeriodicTask('Cancellation reconciliation', this.logger);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly providers: BookingProviderRegistry,
    private readonly jobs: ScheduledJobs,
    @InjectConfig() private readonly config: AppConfig,
    @Inject(AUDIT_LOG) private readonly audit: AuditLog,
  ) {}

  onApplicationBootstrap(): void {
    this.timer.start(this.config.BOOKING_CANCELLATION_RECONCILE_SECONDS, () => this.scheduledRun());
  }

  async onApplicationShutdown(): Promise<void> {
    await this.timer.stop();
  }

  get scheduled(): boolean {
    return this.timer.active;
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
  private async staleClaims(bookingId: string | undefined): Promise<StaleClaim[]> {
    const rows = (await this.dataSource.query(
      `SELECT DISTINCT ON (q."booking_id") q."id" AS "quoteId", q."booking_id" AS "bookingId", q."used_at" AS "usedAt"
         FROM "booking_cancellation_quotes" q
         JOIN "bookings" b ON b."id" = q."booking_id"
        WHERE q."used_at" IS NOT NULL AND q."recorded_at" IS NULL AND q."used_at" <= $1
          AND b."status" IN ('pending', 'confirmed') AND ($2::uuid IS NULL OR q."booking_id" = $2)
        ORDER BY q."booking_id", q."used_at" DESC
        LIMIT $3`,
      [claimLeaseCutoff(), bookingId ?? null, BATCH],
    )) as StaleClaim[];
    return rows;
  }

  private async settle(claim: StaleClaim): Promise<ReconcileOutcome> {
    const booking = await this.dataSource
      .getRepository(BookingEntity)
      .findOneBy({ id: claim.bookingId });
    if (!booking?.providerReference) return 'unresolved';
    // Asked outside any transaction: a slow provider holds no row lock.
    const remote = await this.providers.get(booking.provider).status(booking.providerReference);
    if (remote.state === 'unknown') {
      this.logger.warn(`Provider ${booking.provider} does not know booking ${booking.id}`);
      return 'unresolved';
    }
    return this.dataSource.transaction(async (manager) => {
      const locked = await manager
        .getRepository(BookingEntity)
        .createQueryBuilder('booking')
        .setLock('pessimistic_write')
        .where('booking.id = :id', { id: claim.bookingId })
        .getOne();
      const quotes = manager.getRepository(CancellationQuoteEntity);
      const quote = await quotes.findOneBy({ id: claim.quoteId });
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
      if (await cancellationRunning(manager, locked.id)) return 'skipped';
      if (remote.state === 'cancelled') return this.record(manager, locked, quote, remote);
      await quotes
        .createQueryBuilder()
        .update()
        .set({ usedAt: null })
        .where('booking_id = :id AND recorded_at IS NULL AND used_at <= :cutoff', {
          id: locked.id,
          cutoff: claimLeaseCutoff(),
        })
        .execute();
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
    manager: EntityManager,
    booking: BookingEntity,
    quote: CancellationQuoteEntity,
    remote: ProviderBookingStatus,
  ): Promise<ReconcileOutcome> {
    if (quote.bookingVersion !== booking.version || !canMoveBooking(booking.status, 'cancelled')) {
      this.logger.error(
        `Booking ${booking.id} is cancelled at the provider but cannot be recorded from quote ${quote.id}`,
      );
      return 'unresolved';
    }
    await writeCancellation(manager, booking, quote, {
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
      manager,
    );
    return 'recorded';
  }
}
