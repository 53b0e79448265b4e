import { Injectable, Logger } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type {
  ConsentDecider,
  ConsentDecision,
  ConsentDecisionSql,
} from '#libs/common/auth/consent-decider.js';
import {
  ConsentDecisionsRepository,
  ownDecisionQuery,
  type DecisionRow,
} from './consent-decisions.repository.js';
import { isConsentPurpose } from './consent-purposes.js';
import { grantCounts } from './consent-rules.js';

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
 * Behind the global ConsentGuard (`CONSENT_DECIDER`) and `GUARDIAN_CONSENTS`. One round trip
 * (ConsentDecisionsRepository), then the rule (`grantCounts`). No cache, on purpose: a per-instance
 * cache would need cross-instance invalidation on every decision and publication; the query is
 * cheap and always exact. On `@RequiresConsent` routes the JWT strategy runs the same subquery
 * (`sql`) inside its liveness query instead, so the guard costs no round trip of its own.
 */
@Injectable()
export class ConsentDeciderService implements ConsentDecider {
  private readonly logger = new Logger(ConsentDeciderService.name);

  /** `CONSENT_DECIDER.sql`: lets the JWT strategy read `decide`'s answer with the session. */
  readonly sql = OWN_DECISION_SQL;

  constructor(private readonly decisions: ConsentDecisionsRepository) {}

  /** `CONSENT_DECIDER`: the subject's own consent (guardian decisions never count here). */
  decide(subjectId: string, purpose: string): Promise<ConsentDecision> {
    return this.evaluate(purpose, () => this.decisions.own(subjectId, purpose));
  }

  /** `GUARDIAN_CONSENTS`: the guardian's consent for one traveler. */
  decideForTraveler(
    guardianId: string,
    travelerId: string,
    purpose: string,
  ): Promise<ConsentDecision> {
    return this.evaluate(purpose, () => this.decisions.guardian(guardianId, travelerId, purpose));
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
    const byTraveler = await this.decisions.guardianMany(guardianId, unique, purpose, manager);
    return new Map(unique.map((id) => [id, decisionFrom(byTraveler.get(id), purpose)]));
  }

  private async evaluate(
    purpose: string,
    read: () => Promise<DecisionRow | undefined>,
  ): Promise<ConsentDecision> {
    if (!isConsentPurpose(purpose)) {
      this.logger.error(`Consent asked for an unknown purpose "${purpose}"`);
      return { granted: false, purpose, currentVersion: null };
    }
    return decisionFrom(await read(), purpose);
  }
}
