import { Injectable } from '@nestjs/common';
import { notFound, unprocessable } from '#libs/common/errors/problem.exception.js';
import { type AppConfig, InjectConfig } from '#config/app-config.js';
import { BookingProviderRegistry } from '../booking-provider.registry.js';
import { BookingsRepository } from '../bookings.repository.js';
import { BookingNotifier } from '../lifecycle/booking-notifier.js';
import { checkEventData, eventEffect } from './provider-event-effects.js';
import {
  PROVIDER_EVENT_TYPES,
  ProviderEventDto,
  type ProviderEventReceiptDto,
  type ProviderEventType,
} from './provider-event.dto.js';
import { ProviderEventsRepository } from './provider-events.repository.js';
import { verifySignature } from './signature.js';

const isEventType = (type: string): type is ProviderEventType =>
  (PROVIDER_EVENT_TYPES as readonly string[]).includes(type);

/**
 * Signed provider events. The body's shape is checked by the validation pipe (400, nothing read
 * from the database), the signature over the raw bytes (401), the type (422); then, in one transaction with the booking's row locked, the event id is inserted
 * (a known id: a replay, answered without effect) and its effect written: state, payment, ledger
 * and timeline. Concurrent deliveries of one event queue on the row lock; the later ones find the
 * id and do nothing. An event the state machine refuses is recorded (`ignored`) and changes
 * nothing.
 */
@Injectable()
export class ProviderEventsService {
  constructor(
    private readonly bookings: BookingsRepository,
    private readonly events: ProviderEventsRepository,
    private readonly providers: BookingProviderRegistry,
    private readonly notifier: BookingNotifier,
    @InjectConfig() private readonly config: AppConfig,
  ) {}

  /** 404 PROVIDER_NOT_FOUND for a name no adapter has; 401 for a bad signature. */
  verify(provider: string, header: string | undefined, rawBody: Buffer | undefined): void {
    if (!this.providers.names().includes(provider)) {
      throw notFound('PROVIDER_NOT_FOUND', 'No such booking provider.');
    }
    verifySignature(header, rawBody ?? Buffer.alloc(0), this.secretsFor(provider));
  }

  /**
   * The event's type and its `data` (after the signature): 422 UNKNOWN_EVENT_TYPE or
   * INVALID_PROVIDER_EVENT. The shape was checked by the validation pipe (400).
   */
  checkType(dto: ProviderEventDto): ProviderEventDto & { type: ProviderEventType } {
    if (!isEventType(dto.type)) {
      throw unprocessable('UNKNOWN_EVENT_TYPE', `Unknown provider event type ${dto.type}.`, {
        supported: PROVIDER_EVENT_TYPES,
      });
    }
    checkEventData({ type: dto.type, data: dto.data ?? {} });
    return dto as ProviderEventDto & { type: ProviderEventType };
  }

  async receive(
    provider: string,
    event: ProviderEventDto & { type: ProviderEventType },
  ): Promise<ProviderEventReceiptDto> {
    const { receipt, bookingId } = await this.record(provider, event);
    // After the commit, once per event id: a replay or a refused event mails nobody.
    if (!receipt.duplicate && receipt.outcome === 'applied') {
      await this.notifier.notify(bookingId, event.type);
    }
    return receipt;
  }

  private async record(
    provider: string,
    event: ProviderEventDto & { type: ProviderEventType },
  ): Promise<{ receipt: ProviderEventReceiptDto; bookingId: string }> {
    return this.bookings.transaction(async (bookings, manager) => {
      const booking = await bookings.lockByProviderReference(provider, event.providerReference);
      if (!booking) {
        throw notFound('BOOKING_NOT_FOUND', 'No booking of this provider has that reference.');
      }
      const events = this.events.withManager(manager);
      const data = event.data ?? {};
      const now = new Date();
      const effect = eventEffect(
        booking,
        await bookings.ledgerSums(booking.id),
        { ...event, data },
        now,
      );
      const outcome = effect ? 'applied' : 'ignored';
      const inserted = await events.insertIfNew({
        provider,
        eventId: event.id,
        bookingId: booking.id,
        type: event.type,
        outcome,
        occurredAt: new Date(event.occurredAt),
        data,
      });
      if (!inserted) {
        const earlier = await events.find(provider, event.id);
        const receipt = { received: true, duplicate: true, outcome: earlier?.outcome ?? outcome };
        return { receipt, bookingId: booking.id };
      }
      if (effect) {
        await bookings.insertLedgerEntries(effect.ledger);
        if (Object.keys(effect.change).length > 0)
          await bookings.updateState(booking.id, effect.change);
      }
      await bookings.insertEvents([
        {
          bookingId: booking.id,
          type: event.type,
          source: 'provider',
          data: { eventId: event.id, outcome, ...(effect?.timeline ?? {}) },
        },
      ]);
      return { receipt: { received: true, duplicate: false, outcome }, bookingId: booking.id };
    });
  }

  /** `PROVIDER_WEBHOOK_SECRET_<NAME>` for this provider, else `PROVIDER_WEBHOOK_SECRET`. */
  private secretsFor(provider: string): string[] {
    const own = this.config.PROVIDER_WEBHOOK_SECRETS[provider];
    if (own) return [own];
    return this.config.PROVIDER_WEBHOOK_SECRET ? [this.config.PROVIDER_WEBHOOK_SECRET] : [];
  }
}
