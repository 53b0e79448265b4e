import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { camelRow, iso, userRows } from '#libs/common/privacy/export-rows.js';
import {
  type ErasureCount,
  PersonalDataContributor,
  type PersonalDataDescription,
  type PersonalDataSink,
  type RetentionTask,
} from '#libs/common/privacy/personal-data-contributor.js';

const affected = (result: unknown): number => (result as [unknown[], number])[1];

/** Pseudonymised (erased owner) bookings whose legal retention ended before `$1`. */
const PAST_RETENTION = `provider_response @> '{"pseudonymised": true}'::jsonb
  AND travel_end_date < $1::date AND created_at < $1`;

/**
 * Bookings are kept after erasure for the legal retention period (policy `bookings`, 10 years),
 * pseudonymised: traveler snapshots lose name, birth date and document; free text (hotel special
 * requests) and the provider's raw answer are cleared; the session link goes. The booking keeps
 * its `user_id`, which from then on points at the erased account's empty tombstone row (the FK
 * is RESTRICT; the account row carries no personal data any more). Idempotency keys (which hold
 * the full response, names included) are deleted. Runs first: before sessions and travelers.
 *
 * Retention (policy `bookings`): once 10 years have passed since travel and booking, a
 * pseudonymised booking is deleted with its ledger (through the ledger's privileged purge path,
 * see the RetentionPurgePath migration), details, travelers and quotes.
 */
@Injectable()
@PersonalDataContributor({ key: 'bookings', order: 100 })
export class BookingsPersonalDataContributor implements PersonalDataContributor {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  describe(): PersonalDataDescription {
    return {
      categories: [
        {
          category: 'bookings.bookings',
          processing: {
            purpose: 'Book travel and take payment',
            legalBasis:
              'GDPR Art. 6(1)(b): performance of a contract (the travel-planning service the user signed up for); GDPR Art. 6(1)(c): legal obligation (HGB §257, AO §147 record keeping)',
            retention: '10 years (retention policy bookings)',
            recipients: [
              'Booking provider (the travel supplier that fulfils the booking)',
              'Payment provider',
            ],
          },
          description:
            'Your bookings: type, status, amounts, dates, provider references, flight/hotel/activity details, ledger (charges, refunds, penalties), cancellation quotes, timeline and provider events.',
          tables: [
            'bookings',
            'flight_bookings',
            'hotel_bookings',
            'activity_bookings',
            'booking_ledger',
            'booking_cancellation_quotes',
            'booking_events',
            'booking_provider_events',
            'unified_session_bookings',
          ],
          erasure: 'pseudonymise',
          retentionPolicy: 'bookings',
        },
        {
          category: 'bookings.travelers',
          processing: {
            purpose: 'Name the travellers on a booking for the supplier',
            legalBasis:
              'GDPR Art. 6(1)(b): performance of a contract (the travel-planning service the user signed up for)',
            retention: '10 years with the booking (retention policy bookings)',
            recipients: ['Booking provider (the travel supplier that fulfils the booking)'],
          },
          description:
            'Who travelled on each booking: name, birth date, traveler type and masked document at booking time.',
          tables: ['booking_travelers'],
          erasure: 'pseudonymise',
          retentionPolicy: 'bookings',
        },
        {
          category: 'bookings.idempotency_keys',
          processing: {
            purpose: 'Answer a retried booking request exactly once',
            legalBasis:
              'GDPR Art. 6(1)(b): performance of a contract (the travel-planning service the user signed up for)',
            retention: '24 hours',
            recipients: [],
          },
          description: 'Replay records of your booking requests (the exact response, 24 hours).',
          tables: ['idempotency_keys'],
          erasure: 'delete',
        },
      ],
    };
  }

  async export(userId: string, sink: PersonalDataSink): Promise<void> {
    await sink.rows(
      'bookings',
      userRows(
        this.dataSource,
        `SELECT b.id, b.reference, b.booking_type, b.status, b.payment_status, b.provider,
                b.provider_reference, b.confirmation_code, b.currency, b.total_amount_minor,
                b.base_amount_minor, b.taxes_amount_minor, b.fees_amount_minor,
                b.travel_start_date::text AS travel_start_date, b.travel_end_date::text AS travel_end_date, b.session_id, b.saved_item_id,
                b.booked_at, b.cancelled_at, b.created_at, b.updated_at,
                to_jsonb(f) AS flight, to_jsonb(h) AS hotel, to_jsonb(a) AS activity,
                (SELECT coalesce(jsonb_agg(to_jsonb(t) - 'booking_id' ORDER BY t.position), '[]')
                   FROM booking_travelers t WHERE t.booking_id = b.id) AS travelers,
                (SELECT coalesce(jsonb_agg(to_jsonb(l) - 'booking_id' ORDER BY l.created_at), '[]')
                   FROM booking_ledger l WHERE l.booking_id = b.id) AS ledger,
                (SELECT coalesce(jsonb_agg(jsonb_build_object('at', e.created_at, 'type', e.type,
                          'source', e.source, 'data', e.data) ORDER BY e.seq), '[]')
                   FROM booking_events e WHERE e.booking_id = b.id) AS events
           FROM bookings b
           LEFT JOIN flight_bookings f ON f.booking_id = b.id
           LEFT JOIN hotel_bookings h ON h.booking_id = b.id
           LEFT JOIN activity_bookings a ON a.booking_id = b.id
          WHERE b.user_id = $1`,
        userId,
        (row) => {
          const money = (amount: unknown) => ({
            amountMinor: Number(amount),
            currency: row.currency,
          });
          const list = (value: unknown) =>
            (value as Record<string, unknown>[]).map((entry) => camelRow(entry));
          return {
            id: row.id,
            reference: row.reference,
            bookingType: row.booking_type,
            status: row.status,
            paymentStatus: row.payment_status,
            provider: row.provider,
            providerReference: row.provider_reference,
            confirmationCode: row.confirmation_code,
            total: money(row.total_amount_minor),
            base: money(row.base_amount_minor),
            taxes: money(row.taxes_amount_minor),
            fees: money(row.fees_amount_minor),
            travelStartDate: row.travel_start_date,
            travelEndDate: row.travel_end_date,
            sessionId: row.session_id,
            savedItemId: row.saved_item_id,
            details: camelRow(
              (row.flight ?? row.hotel ?? row.activity) as Record<string, unknown> | null,
              ['booking_id'],
            ),
            travelers: list(row.travelers),
            ledger: list(row.ledger),
            events: row.events,
            bookedAt: iso(row.booked_at as Date | null),
            cancelledAt: iso(row.cancelled_at as Date | null),
            createdAt: iso(row.created_at as Date),
            updatedAt: iso(row.updated_at as Date),
          };
        },
      ),
    );
  }

  async erase(userId: string, manager: EntityManager): Promise<ErasureCount[]> {
    const idempotencyKeys = affected(
      await manager.query(`DELETE FROM idempotency_keys WHERE user_id = $1`, [userId]),
    );
    const travelers = affected(
      await manager.query(
        `UPDATE booking_travelers t
            SET full_name = 'Erased traveler ' || (t.position + 1), date_of_birth = NULL,
                document_snapshot = NULL, traveler_id = NULL
           FROM bookings b
          WHERE b.id = t.booking_id AND b.user_id = $1`,
        [userId],
      ),
    );
    await manager.query(
      `UPDATE hotel_bookings h SET special_requests = NULL
         FROM bookings b WHERE b.id = h.booking_id AND b.user_id = $1`,
      [userId],
    );
    await manager.query(
      `DELETE FROM unified_session_bookings s USING bookings b
        WHERE b.id = s.booking_id AND b.user_id = $1`,
      [userId],
    );
    const bookings = affected(
      await manager.query(
        `UPDATE bookings
            SET provider_response = '{"pseudonymised": true}'::jsonb, session_id = NULL,
                saved_item_id = NULL
          WHERE user_id = $1`,
        [userId],
      ),
    );
    return [
      { category: 'bookings.bookings', rows: bookings },
      { category: 'bookings.travelers', rows: travelers },
      { category: 'bookings.idempotency_keys', rows: idempotencyKeys },
    ];
  }

  /** Kept bookings keep their (erased) account's empty row: auth purges it after the last one. */
  referencesAccountSql(userId: string): string {
    return `EXISTS (SELECT 1 FROM bookings WHERE bookings.user_id = ${userId})`;
  }

  retentionTasks(): readonly RetentionTask[] {
    return [
      {
        category: 'bookings',
        async count(manager, cutoff) {
          const rows = (await manager.query(
            `SELECT count(*)::int AS n FROM bookings WHERE ${PAST_RETENTION}`,
            [cutoff],
          )) as { n: number }[];
          return rows[0]?.n ?? 0;
        },
        async purgeBatch(manager, cutoff, batchSize) {
          const batch = (
            (await manager.query(
              `SELECT id FROM bookings WHERE ${PAST_RETENTION} LIMIT $2 FOR UPDATE SKIP LOCKED`,
              [cutoff, batchSize],
            )) as { id: string }[]
          ).map((row) => row.id);
          if (batch.length === 0) return 0;
          await manager.query(`SET LOCAL pathavana.allow_retention_purge = 'on'`);
          await manager.query(`DELETE FROM booking_ledger WHERE booking_id = ANY($1::uuid[])`, [
            batch,
          ]);
          await manager.query(`SET LOCAL pathavana.allow_retention_purge = 'off'`);
          return affected(
            await manager.query(`DELETE FROM bookings WHERE id = ANY($1::uuid[])`, [batch]),
          );
        },
      },
    ];
  }
}
