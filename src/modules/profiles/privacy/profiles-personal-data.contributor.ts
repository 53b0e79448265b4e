import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { camelRow, userRows } from '#libs/common/privacy/export-rows.js';
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

const affected = (result: unknown): number => (result as [unknown[], number])[1];

/**
 * The account holder's profile, travel preferences and own travel documents (with their review
 * history): deleted on erasure. Exported documents carry the stored masked number only (last 4
 * visible), never the ciphertext or the blind index.
 */
@Injectable()
@PersonalDataContributor({ key: 'profiles', order: 600 })
export class ProfilesPersonalDataContributor implements PersonalDataContributor {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  describe(): PersonalDataDescription {
    return {
      categories: [
        {
          category: 'profiles.profile',
          processing: {
            purpose: "The user's traveller profile",
            legalBasis:
              'GDPR Art. 6(1)(b): performance of a contract (the travel-planning service the user signed up for)',
            retention: 'Until the user changes it or erases the account',
            recipients: [],
          },
          description:
            'Your profile: names, birth date, gender, nationality, phone, address, languages, communication preferences.',
          tables: ['user_profiles'],
          erasure: 'delete',
        },
        {
          category: 'profiles.travel_preferences',
          processing: {
            purpose: 'Tailor travel suggestions and notifications',
            legalBasis:
              'GDPR Art. 6(1)(b): performance of a contract (the travel-planning service the user signed up for)',
            retention: 'Until the user changes them or erases the account',
            recipients: [],
          },
          description: 'Your travel preferences: airlines, seats, hotels, budgets, notifications.',
          tables: ['travel_preferences'],
          erasure: 'delete',
        },
        {
          category: 'profiles.documents',
          processing: {
            purpose: "Check the user's own travel documents for bookings",
            legalBasis: 'GDPR Art. 6(1)(a) and 9(2)(a): consent (purpose travel_documents)',
            retention: 'Until deleted or expired, or the account is erased',
            recipients: [],
          },
          description:
            'Your travel documents (number encrypted, masked, blind index; holder name, birth date, dates) and their review history.',
          tables: ['user_documents', 'document_reviews'],
          erasure: 'delete',
        },
      ],
    };
  }

  async export(userId: string, sink: PersonalDataSink): Promise<void> {
    // to_jsonb: dates stay YYYY-MM-DD, as the API shows them.
    const [profile] = (await this.dataSource.query(
      `SELECT to_jsonb(p) AS row FROM user_profiles p WHERE p.user_id = $1`,
      [userId],
    )) as { row: Record<string, unknown> }[];
    await sink.value('profile', camelRow(profile?.row, ['user_id']));
    const [preferences] = (await this.dataSource.query(
      `SELECT to_jsonb(p) AS row FROM travel_preferences p WHERE p.user_id = $1`,
      [userId],
    )) as { row: Record<string, unknown> }[];
    await sink.value('travelPreferences', camelRow(preferences?.row, ['user_id']));
    await sink.rows(
      'documents',
      userRows(
        this.dataSource,
        `SELECT ${documentExportColumns('d')} FROM user_documents d WHERE d.user_id = $1`,
        userId,
        toDocumentExportRow,
      ),
    );
  }

  async erase(userId: string, manager: EntityManager): Promise<ErasureCount[]> {
    // Reviews go with their documents (AFTER DELETE trigger); count them first for the report.
    const documentIds = (
      (await manager.query(`SELECT id FROM user_documents WHERE user_id = $1`, [userId])) as {
        id: string;
      }[]
    ).map((row) => row.id);
    const reviews = await countDocumentReviews(manager, 'user', documentIds);
    const documents = affected(
      await manager.query(`DELETE FROM user_documents WHERE user_id = $1`, [userId]),
    );
    const preferences = affected(
      await manager.query(`DELETE FROM travel_preferences WHERE user_id = $1`, [userId]),
    );
    const profile = affected(
      await manager.query(`DELETE FROM user_profiles WHERE user_id = $1`, [userId]),
    );
    return [
      { category: 'profiles.profile', rows: profile },
      { category: 'profiles.travel_preferences', rows: preferences },
      { category: 'profiles.documents', rows: documents + reviews },
    ];
  }
}
