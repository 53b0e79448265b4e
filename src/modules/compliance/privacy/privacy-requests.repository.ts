import { Injectable } from '@nestjs/common';
import { InjectEntityManager } from '@nestjs/typeorm';
import type { EntityManager } from 'typeorm';
import { keysetPage, type Page } from '#libs/common/pagination/pagination.js';
import { PrivacyRequestEntity, PrivacyRequestEventEntity } from './privacy-request.entity.js';
import {
  OPEN_PRIVACY_REQUEST_STATUSES,
  type PrivacyRequestStatus,
  type PrivacyRequestType,
} from './privacy-request-states.js';
import { ManagedRepository } from '#libs/database/managed-repository.js';

/** SQL condition: still open and past its (extended, if extended) deadline. */
export const OVERDUE_SQL = `request.status IN (${OPEN_PRIVACY_REQUEST_STATUSES.map((s) => `'${s}'`).join(', ')}) AND coalesce(request.extended_due_at, request.due_at) < now()`;

export interface PrivacyRequestFilter {
  type?: PrivacyRequestType;
  status?: PrivacyRequestStatus;
  subjectId?: string;
  overdue?: boolean;
  limit?: number;
  cursor?: string;
}

/** The columns a request is registered with (the rest are database defaults). */
export type NewPrivacyRequest = Partial<
  Omit<PrivacyRequestEntity, 'id' | 'type' | 'channel' | 'status' | 'receivedAt' | 'dueAt'>
> &
  Pick<PrivacyRequestEntity, 'type' | 'channel' | 'status' | 'receivedAt' | 'dueAt'>;

/** A history row of a request. */
export interface PrivacyRequestHistoryEntry {
  actorId: string | null;
  fromStatus: PrivacyRequestStatus | null;
  toStatus: string;
  reason: string | null;
}

/** What a status move writes besides the status (null keeps the column as it is). */
export interface PrivacyRequestMove {
  identityMethod: string | null;
  outcome: string | null;
  rejectionReason: string | null;
  /** Sets completed_at to now. */
  closing: boolean;
}

/** An open request due within the digest's horizon (or overdue). */
export interface DueRequestRow {
  id: string;
  type: string;
  status: string;
  deadline: Date;
}

/**
 * The SQL of the privacy-request register (`privacy_requests` and their history). Staff-only
 * data: lookups are by request id. Methods take the caller's transaction's manager where the
 * service writes several rows at once. Also the transactions of the data-subject rights
 * (export, erasure) that register a request with the contributors' work.
 */
@Injectable()
export class PrivacyRequestsRepository extends ManagedRepository {
  constructor(@InjectEntityManager() manager: EntityManager) {
    super(manager);
  }

  /** Runs `work` in a transaction that is always rolled back: a dry run of its writes. */
  async rolledBack<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    const runner = this.manager.connection.createQueryRunner();
    await runner.connect();
    await runner.startTransaction();
    try {
      return await work(runner.manager);
    } finally {
      await runner.rollbackTransaction();
      await runner.release();
    }
  }

  insert(
    values: NewPrivacyRequest,
    manager: EntityManager = this.manager,
  ): Promise<PrivacyRequestEntity> {
    return manager.save(manager.create(PrivacyRequestEntity, values));
  }

  async insertHistory(
    id: string,
    entry: PrivacyRequestHistoryEntry,
    manager: EntityManager,
  ): Promise<void> {
    await manager.insert(PrivacyRequestEventEntity, { privacyRequestId: id, ...entry });
  }

  findById(
    id: string,
    manager: EntityManager = this.manager,
  ): Promise<PrivacyRequestEntity | null> {
    return manager.findOne(PrivacyRequestEntity, { where: { id } });
  }

  /**
   * Closes a request still `in_progress` and writes its history row (the subject as the actor)
   * in one statement; nothing when it is no longer in progress.
   */
  async closeInProgress(
    id: string,
    status: 'completed' | 'rejected',
    result: Record<string, unknown>,
    outcome: string | null,
    rejectionReason: string | null,
  ): Promise<void> {
    await this.manager.query(
      `WITH closed AS (
         UPDATE privacy_requests SET status = $2, result = $3, completed_at = now(),
                outcome = $4, rejection_reason = $5
          WHERE id = $1 AND status = 'in_progress'
          RETURNING id, subject_id)
       INSERT INTO privacy_request_events (privacy_request_id, actor_id, from_status, to_status, reason)
       SELECT id, subject_id, 'in_progress', $2::text, coalesce($4, $5) FROM closed`,
      [id, status, JSON.stringify(result), outcome, rejectionReason],
    );
  }

  /** Moves the request if it is still in `from`; false when another move landed first. */
  async moveIfStatus(
    id: string,
    from: PrivacyRequestStatus,
    to: PrivacyRequestStatus,
    move: PrivacyRequestMove,
    manager: EntityManager,
  ): Promise<boolean> {
    const [rows] = (await manager.query(
      `UPDATE privacy_requests
          SET status = $3,
              identity_method = coalesce($4, identity_method),
              outcome = coalesce($5, outcome),
              rejection_reason = coalesce($6, rejection_reason),
              completed_at = CASE WHEN $7 THEN now() ELSE completed_at END
        WHERE id = $1 AND status = $2
        RETURNING id`,
      [id, from, to, move.identityMethod, move.outcome, move.rejectionReason, move.closing],
    )) as [{ id: string }[], number];
    return rows.length > 0;
  }

  /** Locks the request's row for the rest of `manager`'s transaction. */
  async lock(id: string, manager: EntityManager): Promise<void> {
    await manager.query(`SELECT 1 FROM privacy_requests WHERE id = $1 FOR UPDATE`, [id]);
  }

  async setResult(
    id: string,
    result: Record<string, unknown>,
    manager: EntityManager,
  ): Promise<void> {
    await manager.query(`UPDATE privacy_requests SET result = $2 WHERE id = $1`, [
      id,
      JSON.stringify(result),
    ]);
  }

  /** Extends the deadline unless it was extended already (then false). */
  async extendOnce(
    id: string,
    extendedDueAt: Date,
    reason: string,
    manager: EntityManager,
  ): Promise<boolean> {
    const [rows] = (await manager.query(
      `UPDATE privacy_requests SET extended_due_at = $2, extension_reason = $3
        WHERE id = $1 AND extended_due_at IS NULL RETURNING id`,
      [id, extendedDueAt, reason],
    )) as [{ id: string }[], number];
    return rows.length > 0;
  }

  historyOf(id: string): Promise<PrivacyRequestEventEntity[]> {
    return this.manager.getRepository(PrivacyRequestEventEntity).find({
      where: { privacyRequestId: id },
      order: { at: 'ASC', id: 'ASC' },
    });
  }

  /** Newest first by `received_at`. */
  list(filter: PrivacyRequestFilter): Promise<Page<PrivacyRequestEntity>> {
    const query = this.manager.getRepository(PrivacyRequestEntity).createQueryBuilder('request');
    if (filter.type) query.andWhere('request.type = :type', { type: filter.type });
    if (filter.status) query.andWhere('request.status = :status', { status: filter.status });
    if (filter.subjectId) {
      query.andWhere('request.subjectId = :subjectId', { subjectId: filter.subjectId });
    }
    if (filter.overdue === true) query.andWhere(OVERDUE_SQL);
    if (filter.overdue === false) query.andWhere(`NOT (${OVERDUE_SQL})`);
    return keysetPage(query, {
      alias: 'request',
      sortColumn: 'received_at',
      limit: filter.limit,
      cursor: filter.cursor,
    });
  }

  /** Open requests whose deadline falls before `now` plus `days` (overdue ones included). */
  openDueWithin(now: Date, days: number): Promise<DueRequestRow[]> {
    return this.manager.query<DueRequestRow[]>(
      `SELECT id, type::text AS type, status::text AS status,
              coalesce(extended_due_at, due_at) AS deadline
         FROM privacy_requests
        WHERE status::text = ANY($1)
          AND coalesce(extended_due_at, due_at) < $2::timestamptz + make_interval(days => $3)
        ORDER BY deadline, id`,
      [OPEN_PRIVACY_REQUEST_STATUSES, now, days],
    );
  }
}
