import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { ConsentDecisionInput, ConsentRecorder } from '#libs/common/compliance-ports.js';
import { keysetPage, type Page } from '#libs/common/pagination/pagination.js';
import {
  noticeVersionNotCurrent,
  unknownNoticeVersion,
  unknownPurpose,
} from './compliance.problems.js';
import { chainHash, verifyChain, type ChainVerification } from './consent-chain.js';
import type { ConsentEventEntity } from './consent-event.entity.js';
import { ConsentEventsRepository } from './consent-events.repository.js';
import { ConsentNoticesService } from './consent-notices.service.js';
import {
  CONSENT_PURPOSES,
  isConsentPurpose,
  type ConsentDecisionKind,
  type ConsentPurpose,
} from './consent-purposes.js';
import { grantCounts } from './consent-rules.js';

const MAX_IP = 64;
const MAX_USER_AGENT = 512;

export interface ConsentState {
  purpose: ConsentPurpose;
  currentVersion: number | null;
  reconsentFloor: number | null;
  /** Whether the subject holds a grant that counts now (what the ConsentGuard decides). */
  granted: boolean;
  latest: { decision: ConsentDecisionKind; noticeVersion: number; occurredAt: Date } | null;
}

const clip = (value: string | null | undefined, max: number): string | null =>
  value === undefined || value === null || value === '' ? null : value.slice(0, max);

/**
 * The consent ledger: records decisions (append-only, hash-chained per subject), derives the
 * current state from the events, and verifies a subject's chain. Implements `CONSENT_RECORDER`.
 */
@Injectable()
export class ConsentLedgerService implements ConsentRecorder {
  constructor(
    private readonly events: ConsentEventsRepository,
    private readonly notices: ConsentNoticesService,
  ) {}

  /** The port: record a decision, inside the caller's transaction when `manager` is given. */
  async record(input: ConsentDecisionInput, manager?: EntityManager): Promise<void> {
    await this.recordEvent(input, manager);
  }

  /**
   * Validates the notice (422 for unknown purpose or version; a grant must name the current
   * version, a withdrawal any published one), then appends the event to the subject's chain while
   * holding a transaction-scoped advisory lock on the subject, so concurrent decisions of one
   * subject are serialised and the chain never forks (unique (subject_id, seq) is the backstop).
   */
  async recordEvent(
    input: ConsentDecisionInput,
    manager?: EntityManager,
  ): Promise<ConsentEventEntity> {
    const { purpose, version } = input;
    if (!isConsentPurpose(purpose)) throw unknownPurpose(purpose);
    const run = async (tx: EntityManager): Promise<ConsentEventEntity> => {
      const notice = await this.notices.findVersion(purpose, version, tx);
      if (!notice) throw unknownNoticeVersion(purpose, version);
      if (input.granted) {
        const current = await this.notices.currentVersion(purpose, tx);
        if (current !== null && current !== version) {
          throw noticeVersionNotCurrent(purpose, version, current);
        }
      }
      const previous = await this.events.lockTail(input.subjectId, tx);
      // Keep occurred_at monotonic along the chain even if instance clocks disagree slightly.
      const now = Date.now();
      const occurredAt = new Date(
        previous ? Math.max(now, previous.occurredAt.getTime() + 1) : now,
      );
      const fields = {
        id: randomUUID(),
        seq: (previous?.seq ?? 0) + 1,
        travelerId: input.travelerId ?? null,
        // The subject acting for themself (a guardian's consent) is null, never their id: actor_id
        // is hashed into the chain, so it could not be pseudonymised on erasure like subject_id.
        actorId: input.actorId && input.actorId !== input.subjectId ? input.actorId : null,
        purpose,
        noticeVersion: notice.version,
        textSha256: notice.textSha256,
        decision: input.granted ? ('granted' as const) : ('withdrawn' as const),
        occurredAt,
        ip: clip(input.ip, MAX_IP),
        userAgent: clip(input.userAgent, MAX_USER_AGENT),
        source: input.source,
      };
      const prevHash = previous?.hash ?? null;
      return this.events.insert(
        { ...fields, subjectId: input.subjectId, prevHash, hash: chainHash(prevHash, fields) },
        tx,
      );
    };
    return this.events.inTransaction(manager, run);
  }

  /** The subject's own consent state for every purpose (two indexed queries). */
  async stateFor(subjectId: string): Promise<ConsentState[]> {
    const [notices, latest] = await Promise.all([
      this.events.noticeSummaries(),
      this.events.latestOwnDecisions(subjectId),
    ]);
    return CONSENT_PURPOSES.map((purpose) => {
      const notice = notices.find((row) => row.purpose === purpose);
      const last = latest.find((row) => row.purpose === purpose);
      const summary = {
        currentVersion: notice?.current_version ?? null,
        reconsentFloor: notice?.reconsent_floor ?? null,
      };
      const decision = last
        ? {
            decision: last.decision,
            noticeVersion: last.notice_version,
            occurredAt: last.occurred_at,
          }
        : null;
      return { purpose, ...summary, granted: grantCounts(decision, summary), latest: decision };
    });
  }

  /** The subject's decisions (own and as guardian), newest first. */
  history(
    subjectId: string,
    page: { limit?: number; cursor?: string },
  ): Promise<Page<ConsentEventEntity>> {
    return keysetPage(this.events.historyQuery(subjectId), {
      alias: 'event',
      sortColumn: 'occurred_at',
      ...page,
    });
  }

  /** Recomputes the subject's chain from the stored rows. */
  async verify(subjectId: string): Promise<ChainVerification> {
    return verifyChain(await this.events.chain(subjectId));
  }
}
