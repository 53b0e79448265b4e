import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { ConsentDecider, ConsentDecision } from '../../../libs/common/auth/consent-decider.js';
import { isConsentPurpose, type ConsentDecisionKind } from './consent-purposes.js';
import { grantCounts } from './consent-rules.js';

interface DecisionRow {
  current_version: number | null;
  reconsent_floor: number | null;
  decision: ConsentDecisionKind | null;
  notice_version: number | null;
}

/**
 * Behind the global ConsentGuard. One round trip, all of it index-backed: the notice summary of
 * the purpose (unique (purpose, version)) and the subject's latest own decision
 * (`idx_consent_events_own_latest`, a backward scan of one index entry).
 *
 * No cache, on purpose: a per-instance cache would need cross-instance invalidation on every
 * decision and publication; the query is cheap enough and is always exact.
 */
@Injectable()
export class ConsentDeciderService implements ConsentDecider {
  private readonly logger = new Logger(ConsentDeciderService.name);

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async decide(subjectId: string, purpose: string): Promise<ConsentDecision> {
    if (!isConsentPurpose(purpose)) {
      this.logger.error(`@RequiresConsent names an unknown purpose "${purpose}"`);
      return { granted: false, purpose, currentVersion: null };
    }
    const [row] = await this.dataSource.query<DecisionRow[]>(
      `SELECT notices.current_version, notices.reconsent_floor, latest.decision, latest.notice_version
         FROM (SELECT max(version) AS current_version,
                      max(version) FILTER (WHERE requires_reconsent) AS reconsent_floor
                 FROM consent_notices WHERE purpose = $2) AS notices
         LEFT JOIN LATERAL (
               SELECT decision, notice_version FROM consent_events
                WHERE subject_id = $1 AND purpose = $2 AND traveler_id IS NULL
                ORDER BY seq DESC LIMIT 1) AS latest ON true`,
      [subjectId, purpose],
    );
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
}
