import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import type { AuthenticatedUser } from '#libs/common/auth/authenticated-user.js';
import { AUDIT_LOG, type AuditLog } from '#libs/common/compliance-ports.js';
import {
  badRequest,
  conflict,
  notFound,
  unprocessable,
} from '#libs/common/errors/problem.exception.js';
import { keysetPage, type Page } from '#libs/common/pagination/pagination.js';
import { MAIL, type MailPort } from '#libs/common/mail-port.js';
import { SUBJECT_DIRECTORY, type SubjectDirectory } from '#libs/common/subject-ports.js';
import { PrivacyRequestEntity, PrivacyRequestEventEntity } from './privacy-request.entity.js';
import {
  canMovePrivacyRequest,
  dueDate,
  extendedDueDate,
  illegalTransition,
  OPEN_PRIVACY_REQUEST_STATUSES,
  type PrivacyRequestChannel,
  type PrivacyRequestStatus,
  type PrivacyRequestType,
  REQUIRED_FOR,
} from './privacy-request-states.js';
import { subjectMail } from './privacy-request-mails.js';

export { dueDate } from './privacy-request-states.js';

export interface PrivacyRequestFilter {
  type?: PrivacyRequestType;
  status?: PrivacyRequestStatus;
  subjectId?: string;
  overdue?: boolean;
  limit?: number;
  cursor?: string;
}

export interface IntakeInput {
  type: PrivacyRequestType;
  channel: PrivacyRequestChannel;
  subjectEmail?: string;
  subjectId?: string;
  receivedAt?: string;
  details?: string;
}

export interface TransitionInput {
  to: PrivacyRequestStatus;
  reason?: string;
  outcome?: string;
  identityMethod?: string;
}

export interface StaffContext {
  actor: AuthenticatedUser;
  requestId: string;
}

export const privacyRequestNotFound = () =>
  notFound('PRIVACY_REQUEST_NOT_FOUND', 'No such privacy request.');

/** SQL condition: still open and past its (extended, if extended) deadline. */
export const OVERDUE_SQL = `request.status IN (${OPEN_PRIVACY_REQUEST_STATUSES.map((s) => `'${s}'`).join(', ')}) AND coalesce(request.extended_due_at, request.due_at) < now()`;

/**
 * The register of data-subject requests: staff intake, the lifecycle (PRIVACY_REQUEST_TRANSITIONS)
 * with its history, the Art. 12(3) deadlines, and the self-service entries. Every change is an
 * audit event in the same transaction; the subject is mailed when the request is closed.
 */
@Injectable()
export class PrivacyRequestsService {
  private readonly logger = new Logger(PrivacyRequestsService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(AUDIT_LOG) private readonly audit: AuditLog,
    @Inject(SUBJECT_DIRECTORY) private readonly directory: SubjectDirectory,
    @Inject(MAIL) private readonly mail: MailPort,
  ) {}

  /**
   * A self-service request (`/me/export`, `DELETE /me`): in progress, or already completed; its
   * history names the subject as the actor (pseudonymised with them on erasure).
   */
  async open(
    type: PrivacyRequestType,
    subjectId: string,
    requestId: string | null,
    manager: EntityManager = this.dataSource.manager,
    options: {
      status?: 'in_progress' | 'completed';
      result?: Record<string, unknown>;
      outcome?: string;
      receivedAt?: Date;
    } = {},
  ): Promise<PrivacyRequestEntity> {
    const receivedAt = options.receivedAt ?? new Date();
    const status = options.status ?? 'in_progress';
    const created = await manager.save(
      manager.create(PrivacyRequestEntity, {
        type,
        channel: 'self_service',
        subjectId,
        status,
        receivedAt,
        dueAt: dueDate(receivedAt),
        completedAt: status === 'completed' ? receivedAt : null,
        outcome: options.outcome ?? null,
        result: options.result ?? {},
        identityMethod: 'signed-in account',
        requestId,
      }),
    );
    await this.history(manager, created.id, subjectId, null, status, 'self-service');
    return created;
  }

  /** Closes a self-service request that is still in progress (no mail: the subject is present). */
  async finish(
    id: string,
    status: 'completed' | 'rejected',
    result: Record<string, unknown>,
    text: string,
  ): Promise<void> {
    await this.dataSource.query(
      `WITH closed AS (
         UPDATE privacy_requests SET status = $2, result = $3, completed_at = now(),
                outcome = $4, rejection_reason = $5
          WHERE id = $1 AND status = 'in_progress'
          RETURNING id, subject_id)
       INSERT INTO privacy_request_events (privacy_request_id, actor_id, from_status, to_status, reason)
       SELECT id, subject_id, 'in_progress', $2::text, coalesce($4, $5) FROM closed`,
      [
        id,
        status,
        JSON.stringify(result),
        status === 'completed' ? text : null,
        status === 'rejected' ? text : null,
      ],
    );
  }

  /** Staff intake: `received`, the subject matched by email when an account has it. */
  async create(input: IntakeInput, context: StaffContext): Promise<PrivacyRequestEntity> {
    let subjectId = input.subjectId ?? null;
    if (subjectId) {
      const account = await this.directory.findById(subjectId);
      if (!account) throw unprocessable('SUBJECT_NOT_FOUND', 'No account has this subjectId.');
      if (input.subjectEmail && account.email !== input.subjectEmail.trim().toLowerCase()) {
        throw unprocessable(
          'SUBJECT_MISMATCH',
          'subjectEmail does not belong to the account subjectId names.',
        );
      }
    } else if (input.subjectEmail) {
      subjectId = (await this.directory.findByEmail(input.subjectEmail))?.id ?? null;
    } else {
      throw badRequest('SUBJECT_REQUIRED', 'Give subjectEmail or subjectId.');
    }
    const receivedAt = input.receivedAt ? new Date(input.receivedAt) : new Date();
    if (receivedAt.getTime() > Date.now() + 60_000) {
      throw badRequest('RECEIVED_IN_FUTURE', 'receivedAt cannot be in the future.');
    }
    return this.dataSource.transaction(async (manager) => {
      const created = await manager.save(
        manager.create(PrivacyRequestEntity, {
          type: input.type,
          channel: input.channel,
          subjectId,
          subjectEmail: input.subjectEmail?.trim().toLowerCase() ?? null,
          details: input.details ?? null,
          status: 'received',
          receivedAt,
          dueAt: dueDate(receivedAt),
          requestId: context.requestId,
        }),
      );
      await this.history(manager, created.id, context.actor.id, null, 'received', null);
      await this.record(manager, context, 'privacy_request.create', created, input.channel);
      return created;
    });
  }

  /**
   * One legal move, with its required field. The UPDATE is conditional on the status read, so of
   * two concurrent moves from the same status one wins and the other gets 409.
   */
  async transition(
    id: string,
    input: TransitionInput,
    context: StaffContext,
    manager?: EntityManager,
  ): Promise<PrivacyRequestEntity> {
    const required = REQUIRED_FOR[input.to];
    if (required && !input[required]?.trim()) {
      throw badRequest('FIELD_REQUIRED', `Moving to ${input.to} needs ${required}.`, {
        field: required,
      });
    }
    const run = async (tx: EntityManager): Promise<PrivacyRequestEntity> => {
      const current = await this.get(id, tx);
      if (!canMovePrivacyRequest(current.status, input.to)) {
        throw illegalTransition(current.status, input.to);
      }
      const closing = input.to === 'completed' || input.to === 'rejected';
      const [rows] = (await tx.query(
        `UPDATE privacy_requests
            SET status = $3,
                identity_method = coalesce($4, identity_method),
                outcome = coalesce($5, outcome),
                rejection_reason = coalesce($6, rejection_reason),
                completed_at = CASE WHEN $7 THEN now() ELSE completed_at END
          WHERE id = $1 AND status = $2
          RETURNING id`,
        [
          id,
          current.status,
          input.to,
          input.to === 'identity_verified' ? input.identityMethod : null,
          input.to === 'completed' ? input.outcome : null,
          input.to === 'rejected' ? input.reason : null,
          closing,
        ],
      )) as [{ id: string }[], number];
      if (rows.length === 0) {
        // Another move landed between the read and the update.
        const now = await this.get(id, tx);
        throw illegalTransition(now.status, input.to);
      }
      const reason = input.reason ?? input.identityMethod ?? input.outcome ?? null;
      await this.history(tx, id, context.actor.id, current.status, input.to, reason);
      const updated = await this.get(id, tx);
      await this.record(tx, context, `privacy_request.${input.to}`, updated, reason);
      return updated;
    };
    const updated = manager ? await run(manager) : await this.dataSource.transaction(run);
    if (!manager && (input.to === 'completed' || input.to === 'rejected')) {
      await this.mailSubject(updated);
    }
    return updated;
  }

  /** Art. 12(3): once, by two months, with a reason. */
  async extend(id: string, reason: string, context: StaffContext): Promise<PrivacyRequestEntity> {
    return this.dataSource.transaction(async (manager) => {
      const current = await this.get(id, manager);
      if (current.extendedDueAt) {
        throw conflict('ALREADY_EXTENDED', 'The deadline of this request was already extended.');
      }
      if (!OPEN_PRIVACY_REQUEST_STATUSES.some((status) => status === current.status)) {
        throw conflict('PRIVACY_REQUEST_CLOSED', `The request is ${current.status}.`);
      }
      const [rows] = (await manager.query(
        `UPDATE privacy_requests SET extended_due_at = $2, extension_reason = $3
          WHERE id = $1 AND extended_due_at IS NULL RETURNING id`,
        [id, extendedDueDate(current.dueAt), reason],
      )) as [{ id: string }[], number];
      if (rows.length === 0) {
        throw conflict('ALREADY_EXTENDED', 'The deadline of this request was already extended.');
      }
      await this.history(manager, id, context.actor.id, current.status, 'extended', reason);
      const updated = await this.get(id, manager);
      await this.record(manager, context, 'privacy_request.extend', updated, reason);
      return updated;
    });
  }

  async get(id: string, manager: EntityManager = this.dataSource.manager) {
    const found = await manager.findOne(PrivacyRequestEntity, { where: { id } });
    if (!found) throw privacyRequestNotFound();
    return found;
  }

  historyOf(id: string): Promise<PrivacyRequestEventEntity[]> {
    return this.dataSource.getRepository(PrivacyRequestEventEntity).find({
      where: { privacyRequestId: id },
      order: { at: 'ASC', id: 'ASC' },
    });
  }

  /** Newest first by `received_at`. */
  list(filter: PrivacyRequestFilter): Promise<Page<PrivacyRequestEntity>> {
    const query = this.dataSource.getRepository(PrivacyRequestEntity).createQueryBuilder('request');
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

  /** Writes a history row. */
  async history(
    manager: EntityManager,
    id: string,
    actorId: string | null,
    from: PrivacyRequestStatus | null,
    to: string,
    reason: string | null,
  ): Promise<void> {
    await manager.insert(PrivacyRequestEventEntity, {
      privacyRequestId: id,
      actorId,
      fromStatus: from,
      toStatus: to,
      reason,
    });
  }

  /** Tells the subject their request was answered (their account's address, else the intake's). */
  async mailSubject(request: PrivacyRequestEntity, knownEmail?: string | null): Promise<void> {
    const account = request.subjectId ? await this.directory.findById(request.subjectId) : null;
    const to = knownEmail ?? account?.email ?? request.subjectEmail;
    if (!to) return;
    await this.mail
      .send({ to, ...subjectMail(request) })
      .catch((error: unknown) =>
        this.logger.error(`privacy request mail failed: ${String(error)}`),
      );
  }

  private record(
    manager: EntityManager,
    context: StaffContext,
    action: string,
    request: PrivacyRequestEntity,
    reason: string | null,
  ): Promise<void> {
    return this.audit.record(
      {
        actorId: context.actor.id,
        actorRoles: context.actor.roles,
        action,
        subjectId: request.subjectId,
        resourceType: 'privacy_request',
        resourceId: request.id,
        reason,
        requestId: context.requestId,
      },
      manager,
    );
  }
}
