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

const PAST_RETENTION = `status <> 'in_progress' AND coalesce(completed_at, received_at) < $1`;

/** The privacy-request register: kept under the pseudonym (accountability), purged after 3 years. */
@Injectable()
@PersonalDataContributor({ key: 'privacy', order: 900 })
export class PrivacyRequestsContributor implements PersonalDataContributor {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  describe(): PersonalDataDescription {
    return {
      categories: [
        {
          category: 'privacy.requests',
          description: 'Your data-subject requests (exports, erasure) and when they were answered.',
          tables: ['privacy_requests'],
          erasure: 'pseudonymise',
          retentionPolicy: 'privacy_requests',
        },
      ],
    };
  }

  async export(userId: string, sink: PersonalDataSink): Promise<void> {
    await sink.rows(
      'requests',
      userRows(
        this.dataSource,
        `SELECT id, type, status, received_at, due_at, completed_at
           FROM privacy_requests WHERE subject_id = $1`,
        userId,
        (row) => ({
          id: row.id,
          type: row.type,
          status: row.status,
          receivedAt: iso(row.received_at as Date),
          dueAt: iso(row.due_at as Date),
          completedAt: iso(row.completed_at as Date | null),
        }),
      ),
    );
  }

  async erase(userId: string, manager: EntityManager, pseudonym: string): Promise<ErasureCount[]> {
    const [, rows] = (await manager.query(
      `UPDATE privacy_requests SET subject_id = $2 WHERE subject_id = $1`,
      [userId, pseudonym],
    )) as [unknown[], number];
    return [{ category: 'privacy.requests', rows }];
  }

  retentionTasks(): readonly RetentionTask[] {
    return [deleteInBatchesTask('privacy_requests', 'privacy_requests', PAST_RETENTION)];
  }
}
