import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { preparedQuery } from '#libs/database/prepared-query.js';
import type { ConsentDecisionKind } from './consent-purposes.js';

/** A purpose's notice summary with the subject's latest matching decision. */
export interface DecisionRow {
  current_version: number | null;
  reconsent_floor: number | null;
  decision: ConsentDecisionKind | null;
  notice_version: number | null;
}

/**
 * The purpose's notice summary joined to the subject's latest matching decision: always one row.
 * `subject` and `purpose` are SQL parameter references.
 */
const decisionQuery = (subject: string, purpose: string, eventFilter: string): string => `
  SELECT notices.current_version, notices.reconsent_floor, latest.decision, latest.notice_version
    FROM (SELECT max(version) AS current_version,
                 max(version) FILTER (WHERE requires_reconsent) AS reconsent_floor
            FROM consent_notices WHERE purpose = ${purpose}) AS notices
    LEFT JOIN LATERAL (
          SELECT decision, notice_version FROM consent_events
           WHERE subject_id = ${subject} AND purpose = ${purpose} AND ${eventFilter}
           ORDER BY seq DESC LIMIT 1) AS latest ON true`;

/** The own decision's query with its parameters named by the caller (the JWT strategy). */
export const ownDecisionQuery = (subject: string, purpose: string): string =>
  decisionQuery(subject, purpose, 'traveler_id IS NULL');

const OWN_DECISION = ownDecisionQuery('$1', '$2');
const GUARDIAN_DECISION = decisionQuery('$1', '$2', 'traveler_id = $3');

/**
 * Guardian decisions for a list of travelers ($3, uuid[]): the notice summary once, then each
 * traveler's latest decision (the same LATERAL as `decisionQuery`, one row per traveler).
 */
const GUARDIAN_DECISIONS = `
  SELECT travelers.traveler_id, notices.current_version, notices.reconsent_floor,
         latest.decision, latest.notice_version
    FROM (SELECT max(version) AS current_version,
                 max(version) FILTER (WHERE requires_reconsent) AS reconsent_floor
            FROM consent_notices WHERE purpose = $2) AS notices
   CROSS JOIN unnest($3::uuid[]) AS travelers(traveler_id)
    LEFT JOIN LATERAL (
          SELECT decision, notice_version FROM consent_events
           WHERE subject_id = $1 AND purpose = $2 AND traveler_id = travelers.traveler_id
           ORDER BY seq DESC LIMIT 1) AS latest ON true`;

/**
 * The reads behind the consent decisions: one round trip each, index-backed (the notice summary
 * through unique (purpose, version); the own latest decision through
 * `idx_consent_events_own_latest`, a guardian's through `uq_consent_events_subject_id_seq`). The
 * single decisions are named prepared statements (planned once per connection).
 */
@Injectable()
export class ConsentDecisionsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async own(subjectId: string, purpose: string): Promise<DecisionRow | undefined> {
    const [row] = await preparedQuery<DecisionRow>(
      this.dataSource,
      'consent_own_decision',
      OWN_DECISION,
      [subjectId, purpose],
    );
    return row;
  }

  async guardian(
    guardianId: string,
    travelerId: string,
    purpose: string,
  ): Promise<DecisionRow | undefined> {
    const [row] = await preparedQuery<DecisionRow>(
      this.dataSource,
      'consent_guardian_decision',
      GUARDIAN_DECISION,
      [guardianId, purpose, travelerId],
    );
    return row;
  }

  /** One row per traveler id given, on `manager`'s connection when given (else the primary). */
  async guardianMany(
    guardianId: string,
    travelerIds: readonly string[],
    purpose: string,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<Map<string, DecisionRow>> {
    const rows = (await manager.query(GUARDIAN_DECISIONS, [
      guardianId,
      purpose,
      travelerIds,
    ])) as (DecisionRow & { traveler_id: string })[];
    return new Map(rows.map((row) => [row.traveler_id, row]));
  }
}
