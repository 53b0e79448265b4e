import { Injectable } from '@nestjs/common';
import { InjectEntityManager } from '@nestjs/typeorm';
import type { EntityManager } from 'typeorm';
import { ProviderEventEntity, UQ_PROVIDER_EVENT } from '../entities/provider-event.entity.js';
import { ManagedRepository } from '#libs/database/managed-repository.js';

export type NewProviderEvent = Omit<ProviderEventEntity, 'id' | 'receivedAt' | 'booking'>;

/** The SQL of received provider events (one row per provider and event id). */
@Injectable()
export class ProviderEventsRepository extends ManagedRepository {
  constructor(@InjectEntityManager() manager: EntityManager) {
    super(manager);
  }

  /** Inserts the event unless its (provider, id) is known; false when it was (a replay). */
  async insertIfNew(event: NewProviderEvent): Promise<boolean> {
    const rows = (await this.manager.query(
      `INSERT INTO "booking_provider_events"
         ("provider", "event_id", "booking_id", "type", "outcome", "occurred_at", "data")
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT ON CONSTRAINT "${UQ_PROVIDER_EVENT}" DO NOTHING
       RETURNING "id"`,
      [
        event.provider,
        event.eventId,
        event.bookingId,
        event.type,
        event.outcome,
        event.occurredAt,
        JSON.stringify(event.data),
      ],
    )) as { id: string }[];
    return rows.length > 0;
  }

  /** What an earlier delivery of this event found, or null. */
  find(provider: string, eventId: string): Promise<ProviderEventEntity | null> {
    return this.manager.getRepository(ProviderEventEntity).findOneBy({ provider, eventId });
  }
}
