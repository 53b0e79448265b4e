import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { iso, userRows } from '#libs/common/privacy/export-rows.js';
import {
  type ErasureCount,
  PersonalDataContributor,
  type PersonalDataDescription,
  type PersonalDataSink,
  type RetentionTask,
} from '#libs/common/privacy/personal-data-contributor.js';
import { deleteInBatchesTask } from '#libs/common/privacy/retention-task.js';
import { sessionDataSql } from '../sessions.repository.js';

/** Abandoned or archived sessions whose last activity is older than `$1`. */
const INACTIVE = `status IN ('abandoned', 'archived') AND greatest(last_activity_at, updated_at) < $1`;

/**
 * Planning sessions (with their chat messages, plan and search results in JSONB) and saved items:
 * deleted on erasure. Purges abandoned and archived sessions past retention.
 */
@Injectable()
@PersonalDataContributor({ key: 'sessions', order: 400 })
export class SessionsPersonalDataContributor implements PersonalDataContributor {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  describe(): PersonalDataDescription {
    return {
      categories: [
        {
          category: 'sessions.sessions',
          processing: {
            purpose: 'Plan trips with the user (chat, itineraries)',
            legalBasis: 'GDPR Art. 6(1)(a) and 9(2)(a): consent (purpose travel_planning)',
            retention:
              '2 years after the last activity of an abandoned or archived session (retention policy inactive_travel_sessions), or until erased',
            recipients: [],
          },
          description:
            'Your planning sessions: chat messages, parsed intents, search results, plans (destinations, dates, budgets), metadata.',
          tables: ['unified_travel_sessions', 'unified_session_messages'],
          erasure: 'delete',
        },
        {
          category: 'sessions.saved_items',
          processing: {
            purpose: 'Keep offers the user saved while planning',
            legalBasis: 'GDPR Art. 6(1)(a) and 9(2)(a): consent (purpose travel_planning)',
            retention: 'With their session',
            recipients: [],
          },
          description: 'Items saved while planning: offers, prices, notes.',
          tables: ['unified_saved_items'],
          erasure: 'delete',
        },
      ],
    };
  }

  async export(userId: string, sink: PersonalDataSink): Promise<void> {
    await sink.rows(
      'sessions',
      userRows(
        this.dataSource,
        `SELECT s.id, s.status, s.title, ${sessionDataSql('s')} AS session_data, s.plan_data,
                s.session_metadata, s.version, s.created_at, s.updated_at, s.last_activity_at
           FROM unified_travel_sessions s WHERE s.user_id = $1`,
        userId,
        (row) => {
          const { chatMessages, ...sessionData } = row.session_data as Record<string, unknown>;
          return {
            id: row.id,
            status: row.status,
            title: row.title,
            // The chat, lifted out of sessionData (not repeated there).
            messages: Array.isArray(chatMessages) ? chatMessages : [],
            sessionData,
            planData: row.plan_data,
            sessionMetadata: row.session_metadata,
            version: row.version,
            createdAt: iso(row.created_at as Date),
            updatedAt: iso(row.updated_at as Date),
            lastActivityAt: iso(row.last_activity_at as Date),
          };
        },
      ),
    );
    await sink.rows(
      'savedItems',
      userRows(
        this.dataSource,
        `SELECT i.id, i.session_id, i.item_type, i.provider, i.external_id, i.title, i.data,
                i.price_amount_minor, i.price_currency, i.notes, i.assigned_day, i.position,
                i.created_at, i.updated_at
           FROM unified_saved_items i JOIN unified_travel_sessions s ON s.id = i.session_id
          WHERE s.user_id = $1`,
        userId,
        (row) => ({
          id: row.id,
          sessionId: row.session_id,
          itemType: row.item_type,
          provider: row.provider,
          externalId: row.external_id,
          title: row.title,
          data: row.data,
          price:
            row.price_amount_minor === null
              ? null
              : { amountMinor: Number(row.price_amount_minor), currency: row.price_currency },
          notes: row.notes,
          assignedDay: row.assigned_day,
          position: row.position,
          createdAt: iso(row.created_at as Date),
          updatedAt: iso(row.updated_at as Date),
        }),
      ),
    );
  }

  async erase(userId: string, manager: EntityManager): Promise<ErasureCount[]> {
    const [, savedItems] = (await manager.query(
      `DELETE FROM unified_saved_items i USING unified_travel_sessions s
        WHERE i.session_id = s.id AND s.user_id = $1`,
      [userId],
    )) as [unknown[], number];
    const [, sessions] = (await manager.query(
      `DELETE FROM unified_travel_sessions WHERE user_id = $1`,
      [userId],
    )) as [unknown[], number];
    return [
      { category: 'sessions.sessions', rows: sessions },
      { category: 'sessions.saved_items', rows: savedItems },
    ];
  }

  retentionTasks(): readonly RetentionTask[] {
    // Saved items go with their session (ON DELETE CASCADE).
    return [deleteInBatchesTask('inactive_travel_sessions', 'unified_travel_sessions', INACTIVE)];
  }
}
