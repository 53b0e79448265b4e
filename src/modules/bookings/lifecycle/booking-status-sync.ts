import {
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { type AppConfig, InjectConfig } from '#config/app-config.js';
import { PeriodicTask } from '#libs/common/scheduling/periodic-task.js';
import { ScheduledJobs, type ScheduledRun } from '#libs/common/scheduling/scheduled-jobs.js';
import { BookingProviderRegistry } from '../booking-provider.registry.js';
import { BookingsRepository } from '../bookings.repository.js';
import type { BookingEntity } from '../entities/booking.entity.js';
import { eventEffect, type IncomingEvent } from '../provider-events/provider-event-effects.js';
import type { ProviderBookingStatus } from '../providers/booking-provider.js';
import { BookingNotifier } from './booking-notifier.js';

export const STATUS_SYNC_JOB = 'bookings.status-sync';
export const COMPLETION_JOB = 'bookings.completion';
/** Pending bookings asked per run at most (oldest first); the rest wait for the next period. */
const BATCH = 200;
const DAY_SECONDS = 24 * 3600;

export interface StatusSyncResult {
  expired: number;
  confirmed: number;
  failed: number;
  cancelled: number;
  unchanged: number;
}

/** What the provider's answer means for a pending booking (null: nothing yet). */
function eventFor(remote: ProviderBookingStatus, booking: BookingEntity): IncomingEvent | null {
  switch (remote.state) {
    case 'active':
      return {
        type: 'booking.confirmed',
        data: { confirmationCode: remote.confirmationCode ?? booking.reference },
      };
    case 'failed':
      return { type: 'booking.failed', data: {} };
    case 'cancelled':
      return {
        type: 'booking.cancelled',
        data: remote.cancellationReference
          ? { cancellationReference: remote.cancellationReference }
          : {},
      };
    default:
      return null;
  }
}

/**
 * The scheduled side of a booking's life, each once per period across instances:
 * - status sync (`BOOKING_STATUS_SYNC_SECONDS`): pending bookings past their `booking_deadline`
 *   expire; the others' provider is asked (outside any transaction) and, under the row lock and
 *   only if still pending, the answer applied as the matching provider event would be (source
 *   `system` on the timeline);
 * - completion (daily, checked hourly): confirmed bookings whose travel ended become `completed`.
 */
@Injectable()
export class BookingStatusSync implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(BookingStatusSync.name);
  private readonly syncTimer = new PeriodicTask('Booking status sync', this.logger);
  private readonly completionTimer = new PeriodicTask('Booking completion', this.logger);

  constructor(
    private readonly bookings: BookingsRepository,
    private readonly providers: BookingProviderRegistry,
    private readonly jobs: ScheduledJobs,
    private readonly notifier: BookingNotifier,
    @InjectConfig() private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.syncTimer.start(this.config.BOOKING_STATUS_SYNC_SECONDS, () => this.scheduledSync());
    this.completionTimer.start(3600, () => this.scheduledCompletion());
  }

  async onApplicationShutdown(): Promise<void> {
    await this.syncTimer.stop();
    await this.completionTimer.stop();
  }

  /** What the timer calls: one sync per period across every instance. */
  async scheduledSync(now?: Date): Promise<ScheduledRun<StatusSyncResult>> {
    const seconds = this.config.BOOKING_STATUS_SYNC_SECONDS;
    if (seconds <= 0) return { ran: false };
    return this.jobs.runOncePerPeriod(STATUS_SYNC_JOB, seconds, () => this.sync(now), now);
  }

  /** One completion pass per UTC day across every instance. */
  async scheduledCompletion(now?: Date): Promise<ScheduledRun<number>> {
    return this.jobs.runOncePerPeriod(COMPLETION_JOB, DAY_SECONDS, () => this.complete(now), now);
  }

  /** One sync pass now: expiry, then the provider asked about every other pending booking. */
  async sync(now: Date = new Date()): Promise<StatusSyncResult> {
    const result: StatusSyncResult = {
      expired: 0,
      confirmed: 0,
      failed: 0,
      cancelled: 0,
      unchanged: 0,
    };
    result.expired = await this.bookings.transaction(async (bookings) => {
      const ids = await bookings.expireOverdue(now);
      await bookings.insertEvents(
        ids.map((bookingId) => ({ bookingId, type: 'booking.expired', source: 'system' })),
      );
      return ids.length;
    });
    for (const booking of await this.bookings.pendingWithProvider(BATCH)) {
      const outcome = await this.settle(booking, now).catch((error: unknown) => {
        this.logger.error(`Status sync of booking ${booking.id} failed: ${String(error)}`);
        return 'unchanged' as const;
      });
      result[outcome] += 1;
    }
    return result;
  }

  /** Confirmed bookings whose travel ended before `now`'s UTC date become completed. */
  async complete(now: Date = new Date()): Promise<number> {
    const today = now.toISOString().slice(0, 10);
    return this.bookings.transaction(async (bookings) => {
      const ids = await bookings.completeEnded(today);
      await bookings.insertEvents(
        ids.map((bookingId) => ({ bookingId, type: 'booking.completed', source: 'system' })),
      );
      return ids.length;
    });
  }

  private async settle(
    seen: BookingEntity,
    now: Date,
  ): Promise<Exclude<keyof StatusSyncResult, 'expired'>> {
    if (!seen.providerReference) return 'unchanged';
    const remote = await this.providers.get(seen.provider).status(seen.providerReference, now);
    const applied = await this.bookings.transaction(async (bookings) => {
      const booking = await bookings.lockById(seen.id);
      if (booking?.status !== 'pending') return null;
      const event = eventFor(remote, booking);
      if (!event) return null;
      const effect = eventEffect(booking, await bookings.ledgerSums(booking.id), event, now);
      if (!effect) return null;
      await bookings.insertLedgerEntries(effect.ledger);
      await bookings.updateState(booking.id, effect.change);
      await bookings.insertEvents([
        {
          bookingId: booking.id,
          type: event.type,
          source: 'system',
          data: { via: 'status_sync', ...effect.timeline },
        },
      ]);
      return event;
    });
    if (!applied) return 'unchanged';
    await this.notifier.notify(seen.id, applied.type);
    if (applied.type === 'booking.confirmed') return 'confirmed';
    return applied.type === 'booking.failed' ? 'failed' : 'cancelled';
  }
}
