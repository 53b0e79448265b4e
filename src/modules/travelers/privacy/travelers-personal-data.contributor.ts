import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { camelRow, iso, userRows } from '#libs/common/privacy/export-rows.js';
import {
  type ErasureCount,
  PersonalDataContributor,
  type PersonalDataDescription,
  type PersonalDataSink,
} from '#libs/common/privacy/personal-data-contributor.js';
import {
  countDocumentReviews,
  documentExportColumns,
  toDocumentExportRow,
} from '#modules/documents/document-export.js';

const TRAVELER_COLUMNS = `t.id, t.first_name, t.middle_name, t.last_name, t.date_of_birth::text AS date_of_birth, t.gender,
  t.nationality, t.country_of_residence, t.email, t.phone, t.emergency_contact_name,
  t.emergency_contact_phone, t.relationship_to_user, t.is_primary, t.status,
  t.dietary_restrictions, t.accessibility_needs, t.special_needs, t.frequent_flyer_numbers,
  t.guardian_name, t.guardian_relationship, t.created_at, t.updated_at,
  to_jsonb(p) - 'traveler_id' AS preferences`;

/**
 * The people a user travels with and their preferences: deleted on erasure. (Guardian consents
 * given for them live in the consent ledger and are kept pseudonymised by compliance.) Bookings,
 * whose traveler snapshots are kept, use a lower order and run first.
 */
@Injectable()
@PersonalDataContributor({ key: 'travelers', order: 500 })
export class TravelersPersonalDataContributor implements PersonalDataContributor {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  describe(): PersonalDataDescription {
    return {
      categories: [
        {
          category: 'travelers.travelers',
          processing: {
            purpose: 'Plan and book trips for the people the user travels with',
            legalBasis:
              'GDPR Art. 6(1)(a) and 9(2)(a): consent (purpose travel_planning; guardian consent for minors)',
            retention: 'Until the user deletes the traveler or erases the account',
            recipients: [],
          },
          description:
            'People you travel with: names, birth dates, gender, nationality, contact details, emergency contacts, needs, frequent-flyer numbers, guardian details.',
          tables: ['travelers'],
          erasure: 'delete',
        },
        {
          category: 'travelers.documents',
          processing: {
            purpose: "Check travel documents of the user's travelers for bookings",
            legalBasis: 'GDPR Art. 6(1)(a) and 9(2)(a): consent (purpose travel_documents)',
            retention:
              'Until deleted or expired (document expiry sweeper), or the account is erased',
            recipients: [],
          },
          description:
            'Their travel documents (number encrypted, masked, blind index; holder name, birth date, dates) and their review history.',
          tables: ['traveler_documents', 'document_reviews'],
          erasure: 'delete',
        },
        {
          category: 'travelers.groups',
          processing: {
            purpose: 'Book the people the user travels with together',
            legalBasis: 'GDPR Art. 6(1)(b): the user asks us to keep these groups',
            retention: 'Until the user deletes the group or erases the account',
            recipients: [],
          },
          description: 'Your named groups of travelers ("Family") and who is in each.',
          tables: ['traveler_groups', 'traveler_group_members'],
          erasure: 'delete',
        },
        {
          category: 'travelers.preferences',
          processing: {
            purpose: "Tailor offers and assistance to the user's travelers",
            legalBasis: 'GDPR Art. 6(1)(a) and 9(2)(a): consent (purpose travel_planning)',
            retention: 'Until the user changes them or erases the account',
            recipients: [],
          },
          description: 'Their travel preferences: seats, meals, allergies, assistance, interests.',
          tables: ['traveler_preferences'],
          erasure: 'delete',
        },
      ],
    };
  }

  async export(userId: string, sink: PersonalDataSink): Promise<void> {
    await sink.rows(
      'travelers',
      userRows(
        this.dataSource,
        `SELECT ${TRAVELER_COLUMNS}
           FROM travelers t LEFT JOIN traveler_preferences p ON p.traveler_id = t.id
          WHERE t.user_id = $1`,
        userId,
        (row) => ({
          id: row.id,
          firstName: row.first_name,
          middleName: row.middle_name,
          lastName: row.last_name,
          dateOfBirth: row.date_of_birth,
          gender: row.gender,
          nationality: row.nationality,
          countryOfResidence: row.country_of_residence,
          email: row.email,
          phone: row.phone,
          emergencyContactName: row.emergency_contact_name,
          emergencyContactPhone: row.emergency_contact_phone,
          relationshipToUser: row.relationship_to_user,
          isPrimary: row.is_primary,
          status: row.status,
          dietaryRestrictions: row.dietary_restrictions,
          accessibilityNeeds: row.accessibility_needs,
          specialNeeds: row.special_needs,
          frequentFlyerNumbers: row.frequent_flyer_numbers,
          guardianName: row.guardian_name,
          guardianRelationship: row.guardian_relationship,
          preferences: camelRow(row.preferences as Record<string, unknown> | null),
          createdAt: iso(row.created_at as Date),
          updatedAt: iso(row.updated_at as Date),
        }),
      ),
    );
    await sink.rows(
      'documents',
      userRows(
        this.dataSource,
        `SELECT ${documentExportColumns('d')}, d.traveler_id
           FROM traveler_documents d JOIN travelers t ON t.id = d.traveler_id
          WHERE t.user_id = $1`,
        userId,
        (row) => ({ travelerId: row.traveler_id, ...toDocumentExportRow(row) }),
      ),
    );
    await this.exportGroups(userId, sink);
  }

  private async exportGroups(userId: string, sink: PersonalDataSink): Promise<void> {
    await sink.rows(
      'travelerGroups',
      userRows(
        this.dataSource,
        `SELECT g.id, g.name, g.created_at, g.updated_at,
                coalesce(array_agg(m.traveler_id ORDER BY m.added_at, m.traveler_id)
                           FILTER (WHERE m.traveler_id IS NOT NULL), '{}') AS traveler_ids
           FROM traveler_groups g LEFT JOIN traveler_group_members m ON m.group_id = g.id
          WHERE g.user_id = $1
          GROUP BY g.id`,
        userId,
        (row) => ({
          id: row.id,
          name: row.name,
          travelerIds: row.traveler_ids,
          createdAt: iso(row.created_at as Date),
          updatedAt: iso(row.updated_at as Date),
        }),
      ),
    );
  }

  async erase(userId: string, manager: EntityManager): Promise<ErasureCount[]> {
    // Groups before travelers: the member count is read from the rows the group delete removes.
    const [memberRows] = (await manager.query(
      `SELECT count(*)::int AS count FROM traveler_group_members m
         JOIN traveler_groups g ON g.id = m.group_id WHERE g.user_id = $1`,
      [userId],
    )) as [{ count: number }];
    const [, groups] = (await manager.query(`DELETE FROM traveler_groups WHERE user_id = $1`, [
      userId,
    ])) as [unknown[], number];
    // Reviews go with their documents (AFTER DELETE trigger); count them first for the report.
    const documentIds = (
      (await manager.query(
        `SELECT d.id FROM traveler_documents d JOIN travelers t ON t.id = d.traveler_id
          WHERE t.user_id = $1`,
        [userId],
      )) as { id: string }[]
    ).map((row) => row.id);
    const reviews = await countDocumentReviews(manager, 'traveler', documentIds);
    const [, documents] = (await manager.query(
      `DELETE FROM traveler_documents d USING travelers t
        WHERE d.traveler_id = t.id AND t.user_id = $1`,
      [userId],
    )) as [unknown[], number];
    const [, preferences] = (await manager.query(
      `DELETE FROM traveler_preferences p USING travelers t
        WHERE p.traveler_id = t.id AND t.user_id = $1`,
      [userId],
    )) as [unknown[], number];
    const [, travelers] = (await manager.query(`DELETE FROM travelers WHERE user_id = $1`, [
      userId,
    ])) as [unknown[], number];
    return [
      { category: 'travelers.travelers', rows: travelers },
      { category: 'travelers.documents', rows: documents + reviews },
      { category: 'travelers.groups', rows: groups + memberRows.count },
      { category: 'travelers.preferences', rows: preferences },
    ];
  }
}
