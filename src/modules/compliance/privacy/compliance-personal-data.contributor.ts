import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { iso, userRows } from '#libs/common/privacy/export-rows.js';
import {
  type ErasureCount,
  PersonalDataContributor,
  type PersonalDataDescription,
  type PersonalDataSink,
} from '#libs/common/privacy/personal-data-contributor.js';
import { toConsentStateDto } from '../compliance.mappers.js';
import { SUBJECT_LOCK_NAMESPACE } from '../consent-events.repository.js';
import { ConsentLedgerService } from '../consent-ledger.service.js';

/**
 * Compliance core's records about a person: the consent ledger (own decisions and guardian
 * consents) and audit events about them or by them. Erasure keeps both under the pseudonym (the
 * ledger is proof of consent, the audit trail is accountability): only `subject_id` (and the audit `actor_id`) change, through the
 * database's one privileged path, so the consent hash chain (which does not hash subject_id)
 * still verifies under the pseudonym.
 */
@Injectable()
@PersonalDataContributor({ key: 'compliance', order: 900 })
export class CompliancePersonalDataContributor implements PersonalDataContributor {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly ledger: ConsentLedgerService,
  ) {}

  describe(): PersonalDataDescription {
    return {
      categories: [
        {
          category: 'compliance.consent_events',
          processing: {
            purpose: 'Prove consent decisions',
            legalBasis: 'GDPR Art. 6(1)(c): legal obligation (GDPR Art. 7(1), demonstrate consent)',
            retention: '10 years (retention policy consent_ledger)',
            recipients: [],
          },
          description:
            'Your consent decisions (and guardian consents you gave for travelers): purpose, notice version and text hash, decision, time, IP address, user agent, source.',
          tables: ['consent_events'],
          erasure: 'pseudonymise',
          retentionPolicy: 'consent_ledger',
        },
        {
          category: 'compliance.audit_events',
          processing: {
            purpose: 'Accountability for staff access and data-subject requests',
            legalBasis: 'GDPR Art. 6(1)(c): legal obligation (GDPR Art. 5(2) accountability)',
            retention: '10 years (retention policy audit_events)',
            recipients: [],
          },
          description:
            'Audit events about you or by you (staff access to your data, your exports and erasure).',
          tables: ['audit_events'],
          erasure: 'pseudonymise',
          retentionPolicy: 'audit_events',
        },
      ],
    };
  }

  async export(userId: string, sink: PersonalDataSink): Promise<void> {
    const states = await this.ledger.stateFor(userId);
    await sink.value('consents', states.map(toConsentStateDto));
    await sink.rows(
      'consentHistory',
      userRows(
        this.dataSource,
        `SELECT id, seq, traveler_id, actor_id, purpose, notice_version, text_sha256, decision,
                occurred_at, ip, user_agent, source, prev_hash, hash
           FROM consent_events WHERE subject_id = $1`,
        userId,
        (row) => ({
          id: row.id,
          seq: row.seq,
          purpose: row.purpose,
          noticeVersion: row.notice_version,
          textSha256: row.text_sha256,
          decision: row.decision,
          occurredAt: iso(row.occurred_at as Date),
          ip: row.ip,
          userAgent: row.user_agent,
          source: row.source,
          travelerId: row.traveler_id,
          actorId: row.actor_id,
          prevHash: row.prev_hash,
          hash: row.hash,
        }),
      ),
    );
    await sink.rows(
      'auditEvents',
      userRows(
        this.dataSource,
        `SELECT id, occurred_at, actor_id, actor_roles, action, subject_id, resource_type,
                resource_id, reason, request_id
           FROM audit_events WHERE subject_id = $1 OR actor_id = $1`,
        userId,
        (row) => ({
          id: row.id,
          occurredAt: iso(row.occurred_at as Date),
          actorId: row.actor_id,
          actorRoles: row.actor_roles,
          action: row.action,
          subjectId: row.subject_id,
          resourceType: row.resource_type,
          resourceId: row.resource_id,
          reason: row.reason,
          requestId: row.request_id,
        }),
      ),
    );
  }

  async erase(userId: string, manager: EntityManager, pseudonym: string): Promise<ErasureCount[]> {
    // No consent decision of this subject may land between the rename and the commit.
    await manager.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [
      SUBJECT_LOCK_NAMESPACE,
      userId,
    ]);
    // The one privileged path: the triggers let an UPDATE change only subject_id (and the audit
    // actor_id) while this transaction-local setting is on; it is switched off again at once.
    // (On an error the transaction aborts and the setting ends with it.)
    await manager.query(`SET LOCAL pathavana.allow_pseudonymise = 'on'`);
    const [, consentEvents] = (await manager.query(
      `UPDATE consent_events SET subject_id = $2 WHERE subject_id = $1`,
      [userId, pseudonym],
    )) as [unknown[], number];
    const [, auditEvents] = (await manager.query(
      `UPDATE audit_events
            SET subject_id = CASE WHEN subject_id = $1 THEN $2 ELSE subject_id END,
                actor_id = CASE WHEN actor_id = $1 THEN $2 ELSE actor_id END
          WHERE subject_id = $1 OR actor_id = $1`,
      [userId, pseudonym],
    )) as [unknown[], number];
    await manager.query(`SET LOCAL pathavana.allow_pseudonymise = 'off'`);
    return [
      { category: 'compliance.consent_events', rows: consentEvents },
      { category: 'compliance.audit_events', rows: auditEvents },
    ];
  }
}
