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

const PAST_RETENTION = `status IN ('completed', 'rejected') AND coalesce(completed_at, received_at) < $1`;

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
          processing: {
            purpose: 'Answer data-subject requests in time and prove it',
            legalBasis: 'GDPR Art. 6(1)(c): legal obligation (GDPR Art. 12 and 5(2))',
            retention: '3 years after the request was closed (retention policy privacy_requests)',
            recipients: ['Email delivery provider (SMTP relay)'],
          },
          description:
            'Your data-subject requests (access, erasure, …): channel, the address they came from, what you asked, their history and how they were answered.',
          tables: ['privacy_requests', 'privacy_request_events'],
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
        `SELECT id, type, channel, subject_email, details, status, received_at, due_at,
                extended_due_at, extension_reason, identity_method, completed_at, outcome,
                rejection_reason
           FROM privacy_requests WHERE subject_id = $1`,
        userId,
        (row) => ({
          id: row.id,
          type: row.type,
          channel: row.channel,
          subjectEmail: row.subject_email,
          details: row.details,
          status: row.status,
          receivedAt: iso(row.received_at as Date),
          dueAt: iso(row.due_at as Date),
          extendedDueAt: iso(row.extended_due_at as Date | null),
          extensionReason: row.extension_reason,
          identityMethod: row.identity_method,
          completedAt: iso(row.completed_at as Date | null),
          outcome: row.outcome,
          rejectionReason: row.rejection_reason,
        }),
      ),
    );
  }

  async erase(userId: string, manager: EntityManager, pseudonym: string): Promise<ErasureCount[]> {
    // The address is the person's: gone with the account. The history's actor (a staff member
    // erased after offboarding) is pseudonymised like the audit trail.
    const [, rows] = (await manager.query(
      `UPDATE privacy_requests SET subject_id = $2, subject_email = NULL WHERE subject_id = $1`,
      [userId, pseudonym],
    )) as [unknown[], number];
    await manager.query(`UPDATE privacy_request_events SET actor_id = $2 WHERE actor_id = $1`, [
      userId,
      pseudonym,
    ]);
    return [{ category: 'privacy.requests', rows }];
  }

  retentionTasks(): readonly RetentionTask[] {
    return [deleteInBatchesTask('privacy_requests', 'privacy_requests', PAST_RETENTION)];
  }
}
