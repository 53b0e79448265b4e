import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { iso, userRows } from '#libs/common/privacy/export-rows.js';
import {
  type ErasureCount,
  PersonalDataContributor,
  type PersonalDataDescription,
  type PersonalDataSink,
  type RetentionTask,
} from '#libs/common/privacy/personal-data-contributor.js';
import { DocumentStore } from '../document-store.js';
import type { DocumentKind } from '../document-vocabulary.js';
import { FILE_DOCUMENT_COLUMN } from './document-file.entity.js';

const affected = (result: unknown): number => (result as [unknown[], number])[1];

/**
 * Scans of travel documents (of the account holder and of their travelers), across every owner
 * kind plugged into the documents module. Runs before travelers and profiles (order 450): it
 * deletes and counts the files; the FK cascade would remove them with their documents anyway.
 * Files of documents rejected more than the retention period ago are purged (the decision no
 * longer needs its evidence; the document row and its review history stay with the owner).
 */
@Injectable()
@PersonalDataContributor({ key: 'documentFiles', order: 450 })
export class DocumentFilesPersonalDataContributor implements PersonalDataContributor {
  constructor(private readonly store: DocumentStore) {}

  describe(): PersonalDataDescription {
    return {
      categories: [
        {
          category: 'documents.files',
          description:
            'Scans of your and your travelers’ travel documents (images re-encoded without metadata, PDFs as uploaded), encrypted; with size, type and SHA-256.',
          tables: ['document_files', 'document_file_blobs', 'document_file_chunks'],
          erasure: 'delete',
          processing: {
            purpose: 'Evidence an admin verifies a travel document against',
            legalBasis: 'GDPR Art. 6(1)(a) and 9(2)(a): consent (purpose travel_documents)',
            retention:
              'Until deleted with their document or the account; scans of rejected documents 90 days after the rejection',
            recipients: [],
          },
        },
      ],
    };
  }

  /** `SELECT f.* … ` for every registered kind: the account's files (owner ids from `$1`). */
  private accountFilesSql(columns: string): string {
    return this.store.registry
      .all()
      .map(({ kind, accountOwnersSql }) => {
        const table = this.store.tableName(kind);
        const owner = this.store.ownerColumn(kind);
        return `SELECT ${columns} FROM document_files f
                  JOIN "${table}" d ON d.id = f.${FILE_DOCUMENT_COLUMN[kind]}
                 WHERE d."${owner}" IN (${accountOwnersSql})`;
      })
      .join(' UNION ALL ');
  }

  async export(userId: string, sink: PersonalDataSink): Promise<void> {
    if (this.store.registry.all().length === 0) return sink.value('files', []);
    await sink.rows(
      'files',
      userRows(
        this.store.dataSource,
        this.accountFilesSql(
          `f.id, f.document_kind, d.id AS document_id, f.side, f.content_type, f.size_bytes, f.sha256, f.width, f.height, f.created_at`,
        ),
        userId,
        (row) => ({
          id: row.id,
          documentKind: row.document_kind,
          documentId: row.document_id,
          side: row.side,
          contentType: row.content_type,
          sizeBytes: row.size_bytes,
          sha256: row.sha256,
          width: row.width,
          height: row.height,
          createdAt: iso(row.created_at as Date),
        }),
      ),
    );
  }

  async erase(userId: string, manager: EntityManager): Promise<ErasureCount[]> {
    if (this.store.registry.all().length === 0) return [{ category: 'documents.files', rows: 0 }];
    const rows = affected(
      await manager.query(
        `DELETE FROM document_files WHERE id IN (${this.accountFilesSql('f.id')})`,
        [userId],
      ),
    );
    return [{ category: 'documents.files', rows }];
  }

  retentionTasks(): readonly RetentionTask[] {
    return [
      {
        category: 'document_files_rejected',
        count: async (manager, cutoff) => {
          const [row] = (await manager.query(
            `SELECT count(*)::int AS n FROM (${this.rejectedFilesSql()}) AS expired`,
            [cutoff],
          )) as { n: number }[];
          return row?.n ?? 0;
        },
        purgeBatch: async (manager, cutoff, batchSize) =>
          affected(
            await manager.query(
              `DELETE FROM document_files WHERE id IN (SELECT id FROM (${this.rejectedFilesSql()}) AS expired LIMIT $2)`,
              [cutoff, batchSize],
            ),
          ),
      },
    ];
  }

  /** Files of documents rejected before `$1`. */
  private rejectedFilesSql(): string {
    const kinds = this.store.registry.all().map(({ kind }) => kind);
    if (kinds.length === 0) return 'SELECT NULL::uuid AS id WHERE false';
    return kinds
      .map(
        (kind: DocumentKind) => `SELECT f.id FROM document_files f
           JOIN "${this.store.tableName(kind)}" d ON d.id = f.${FILE_DOCUMENT_COLUMN[kind]}
          WHERE d.status = 'rejected' AND d.status_changed_at < $1`,
      )
      .join(' UNION ALL ');
  }
}
