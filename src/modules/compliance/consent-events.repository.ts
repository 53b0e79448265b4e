import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager, SelectQueryBuilder } from 'typeorm';
import { ConsentEventEntity } from './consent-event.entity.js';
import type { ConsentDecisionKind, ConsentPurpose } from './consent-purposes.js';

/** Lock namespace (first key of pg_advisory_xact_lock(int, int)) for one subject's chain. */
export const SUBJECT_LOCK_NAMESPACE = 74_012_301;

export interface NoticeSummaryRow {
  purpose: ConsentPurpose;
  current_version: number;
  reconsent_floor: number | null;
}

export interface LatestDecisionRow {
  purpose: ConsentPurpose;
  decision: ConsentDecisionKind;
  notice_version: number;
  occurred_at: Date;
}

/** The chain link a new event hangs from. */
export type ChainTail = Pick<ConsentEventEntity, 'id' | 'seq' | 'hash' | 'occurredAt'>;

/**
 * The SQL of the consent ledger (`consent_events`, append-only and hash-chained per subject):
 * every read takes the subject's id.
 */
@Injectable()
export class ConsentEventsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Runs `work` in `manager`'s transaction when one is active, else in a new transaction (on
   * `manager`'s connection when given).
   */
  inTransaction<T>(
    manager: EntityManager | undefined,
    work: (manager: EntityManager) => Promise<T>,
  ): Promise<T> {
    if (manager?.queryRunner?.isTransactionActive) return work(manager);
    return (manager ?? this.dataSource.manager).transaction(work);
  }

  /**
   * Locks the subject's chain for the rest of `manager`'s transaction (a transaction-scoped
   * advisory lock: concurrent decisions of one subject are serialised) and answers its tail.
   */
  async lockTail(subjectId: string, manager: EntityManager): Promise<ChainTail | null> {
    await manager.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [
      SUBJECT_LOCK_NAMESPACE,
      subjectId,
    ]);
    return manager.findOne(ConsentEventEntity, {
      select: { id: true, seq: true, hash: true, occurredAt: true },
      where: { subjectId },
      order: { seq: 'DESC' },
    });
  }

  async insert(event: ConsentEventEntity, manager: EntityManager): Promise<ConsentEventEntity> {
    const created = manager.create(ConsentEventEntity, event);
    await manager.insert(ConsentEventEntity, created);
    return created;
  }

  /** Every purpose's current notice version and re-consent floor. */
  noticeSummaries(): Promise<NoticeSummaryRow[]> {
    return this.dataSource.query<NoticeSummaryRow[]>(
      `SELECT purpose, max(version) AS current_version,
              max(version) FILTER (WHERE requires_reconsent) AS reconsent_floor
         FROM consent_notices GROUP BY purpose`,
    );
  }

  /** The subject's latest own decision (not as a guardian) per purpose. */
  latestOwnDecisions(subjectId: string): Promise<LatestDecisionRow[]> {
    return this.dataSource.query<LatestDecisionRow[]>(
      `SELECT DISTINCT ON (purpose) purpose, decision, notice_version, occurred_at
         FROM consent_events
        WHERE subject_id = $1 AND traveler_id IS NULL
        ORDER BY purpose, seq DESC`,
      [subjectId],
    );
  }

  /** The subject's decisions (own and as guardian); keysetPage orders and limits it. */
  historyQuery(subjectId: string): SelectQueryBuilder<ConsentEventEntity> {
    return this.dataSource
      .getRepository(ConsentEventEntity)
      .createQueryBuilder('event')
      .where('event.subjectId = :subjectId', { subjectId });
  }

  /** The subject's whole chain, in order. */
  chain(subjectId: string): Promise<ConsentEventEntity[]> {
    return this.dataSource.getRepository(ConsentEventEntity).find({
      where: { subjectId },
      order: { seq: 'ASC' },
    });
  }
}
