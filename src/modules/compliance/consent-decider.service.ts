import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import type {
  ConsentDecider,
  ConsentDecision,
  ConsentDecisionSql,
} from '#libs/common/auth/consent-decider.js';
import { preparedQuery } from '#libs/database/prepared-query.js';
import { isConsentPurpose, type ConsentDecisionKind } from './consent-purposes.js';
import { grantCounts } from './consent-rules.js';

interface DecisionRow {
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

const ownDecisionQuery = (subject: string, purpose: string): string =>
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

function decisionFrom(row: DecisionRow | undefined, purpose: string): ConsentDecision {
  const currentVersion = row?.current_version ?? null;
  const latest =
    row?.decision && row.notice_version !== null
      ? { decision: row.decision, noticeVersion: row.notice_version }
      : null;
  return {
    granted: grantCounts(latest, {
      currentVersion,
      reconsentFloor: row?.reconsent_floor ?? null,
    }),
    purpose,
    currentVersion,
  };
}

/**
 * The own decision as SQL for the JWT strategy's liveness query (`ConsentDecider.sql`): the same
 * query and the same rule as `decide`, read in the same round trip as the session.
 */
const OWN_DECISION_SQL: ConsentDecisionSql = {
  knows: isConsentPurpose,
  subquery: ownDecisionQuery,
  read: (row, purpose) => decisionFrom(row as DecisionRow, purpose),
};

/**
 * Behind the global ConsentGuard (`CONSENT_DECIDER`) and `GUARDIAN_CONSENTS`. One round trip,
 * index-backed: the notice summary of the purpose (unique (purpose, version)) and the subject's
 * latest decision (own: `idx_consent_events_own_latest`, a backward scan of one index entry;
 * guardian: the subject's few events through `uq_consent_events_subject_id_seq`).
 *
 * A named prepared statement (planned once per connection). No cache, on purpose: a per-instance
 * cache would need cross-instance invalidation on every decision and publication; the query is
 * cheap and always exact. On `@RequiresConsent` routes the JWT strategy runs the same subquery
 * (`sql`) inside its liveness query instead, so the guard costs no round trip of its own.
 */
@Injectable()
export class ConsentDeciderService implements ConsentDecider {
  private readonly logger = new Logger(ConsentDeciderService.name);

  /** `CONSENT_DECIDER.sql`: lets the JWT strategy read `decide`'s answer with the session. */
  readonly sql = OWN_DECISION_SQL;

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** `CONSENT_DECIDER`: the subject's own consent (guardian decisions never count here). */
  decide(subjectId: string, purpose: string): Promise<ConsentDecision> {
    return this.evaluate('consent_own_decision', OWN_DECISION, [subjectId, purpose], purpose);
  }

  /** `GUARDIAN_CONSENTS`: the guardian's consent for one traveler. */
  decideForTraveler(
    guardianId: string,
    travelerId: string,
    purpose: string,
  ): Promise<ConsentDecision> {
    return this.evaluate(
      'consent_guardian_decision',
      GUARDIAN_DECISION,
      [guardianId, purpose, travelerId],
      purpose,
    );
  }

  /**
   * `GUARDIAN_CONSENTS.decideMany`: the guardian's consent for several travelers in one query,
   * on `manager`'s connection when given (else the primary).
   */
  async decideForTravelers(
    guardianId: string,
    travelerIds: readonly string[],
    purpose: string,
    manager?: EntityManager,
  ): Promise<Map<string, ConsentDecision>> {
    const unique = [...new Set(travelerIds)];
    if (unique.length === 0) return new Map();
    if (!isConsentPurpose(purpose)) {
      this.logger.error(`Consent asked for an unknown purpose "${purpose}"`);
      const refused: ConsentDecision = { granted: false, purpose, currentVersion: null };
      return new Map(unique.map((id) => [id, refused]));
    }
    const rows = (await (manager ?? this.dataSource.manager).query(GUARDIAN_DECISIONS, [
      guardianId,
      purpose,
      unique,
    ])) as (DecisionRow & { traveler_id: string })[];
    const byTraveler = new Map(rows.map((row) => [row.traveler_id, row]));
    return new Map(unique.map((id) => [id, decisionFrom(byTraveler.get(id), purpose)]));
  }

  private async evaluate(
    name: string,
    sql: string,
    params: string[],
    purpose: string,
  ): Promise<ConsentDecision> {
    if (!isConsentPurpose(purpose)) {
      this.logger.error(`Consent asked for an unknown purpose "${purpose}"`);
      return { granted: false, purpose, currentVersion: null };
    }
    const [row] = await preparedQuery<DecisionRow>(this.dataSource, name, sql, params);
    return decisionFrom(row, purpose);
  }
}
