import { Inject, Injectable, Logger } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { AuthenticatedUser } from '#libs/common/auth/authenticated-user.js';
import { AUDIT_LOG, type AuditLog } from '#libs/common/compliance-ports.js';
import {
  badRequest,
  conflict,
  notFound,
  unprocessable,
} from '#libs/common/errors/problem.exception.js';
import type { Page } from '#libs/common/pagination/pagination.js';
import { MAIL, type MailPort } from '#libs/common/mail-port.js';
import { SUBJECT_DIRECTORY, type SubjectDirectory } from '#libs/common/subject-ports.js';
import type { PrivacyRequestEntity, PrivacyRequestEventEntity } from './privacy-request.entity.js';
import {
  PrivacyRequestsRepository,
  type PrivacyRequestFilter,
} from './privacy-requests.repository.js';
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
export type { PrivacyRequestFilter } from './privacy-requests.repository.js';

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

/**
 * The register of data-subject requests: staff intake, the lifecycle (PRIVACY_REQUEST_TRANSITIONS)
 * with its history, the Art. 12(3) deadlines, and the self-service entries. Every change is an
 * audit event in the same transaction; the subject is mailed when the request is closed.
 */
@Injectable()
export class PrivacyRequestsService {
  private readonly logger = new Logger(PrivacyRequestsService.name);

  constructor(
    private readonly requests: PrivacyRequestsRepository,
    @Inject(AUDIT_LOG) private readonly audit: AuditLog,
    @Inject(SUBJECT_DIRECTORY) private readonly directory: SubjectDirectory,
    @Inject(MAIL) private readonly mail: MailPort,
  ) {}

  /**
   * A self-service request (`/me/export`, `DELETE /me`): in progress, or already completed; its
   * history names the subject as the actor (pseudonymised with them on erasure). Written in
   * the caller's transaction.
   */
  async open(
    type: PrivacyRequestType,
    subjectId: string,
    requestId: string | null,
    manager: EntityManager,
    options: {
      status?: 'in_progress' | 'completed';
      result?: Record<string, unknown>;
      outcome?: string;
      receivedAt?: Date;
    } = {},
  ): Promise<PrivacyRequestEntity> {
    const receivedAt = options.receivedAt ?? new Date();
    const status = options.status ?? 'in_progress';
    const created = await this.requests.insert(
      {
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
      },
      manager,
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
    await this.requests.closeInProgress(
      id,
      status,
      result,
      status === 'completed' ? text : null,
      status === 'rejected' ? text : null,
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
    return this.requests.transaction(async (_, manager) => {
      const created = await this.requests.insert(
        {
          type: input.type,
          channel: input.channel,
          subjectId,
          subjectEmail: input.subjectEmail?.trim().toLowerCase() ?? null,
          details: input.details ?? null,
          status: 'received',
          receivedAt,
          dueAt: dueDate(receivedAt),
          requestId: context.requestId,
        },
        manager,
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
      const moved = await this.requests.moveIfStatus(
        id,
        current.status,
        input.to,
        {
          identityMethod: input.to === 'identity_verified' ? (input.identityMethod ?? null) : null,
          outcome: input.to === 'completed' ? (input.outcome ?? null) : null,
          rejectionReason: input.to === 'rejected' ? (input.reason ?? null) : null,
          closing,
        },
        tx,
      );
      if (!moved) {
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
    const updated = manager
      ? await run(manager)
      : await this.requests.transaction((_, tx) => run(tx));
    if (!manager && (input.to === 'completed' || input.to === 'rejected')) {
      await this.mailSubject(updated);
    }
    return updated;
  }

  /** Art. 12(3): once, by two months, with a reason. */
  async extend(id: string, reason: string, context: StaffContext): Promise<PrivacyRequestEntity> {
    return this.requests.transaction(async (_, manager) => {
      const current = await this.get(id, manager);
      if (current.extendedDueAt) {
        throw conflict('ALREADY_EXTENDED', 'The deadline of this request was already extended.');
      }
      if (!OPEN_PRIVACY_REQUEST_STATUSES.some((status) => status === current.status)) {
        throw conflict('PRIVACY_REQUEST_CLOSED', `The request is ${current.status}.`);
      }
      if (!(await this.requests.extendOnce(id, extendedDueDate(current.dueAt), reason, manager))) {
        throw conflict('ALREADY_EXTENDED', 'The deadline of this request was already extended.');
      }
      await this.history(manager, id, context.actor.id, current.status, 'extended', reason);
      const updated = await this.get(id, manager);
      await this.record(manager, context, 'privacy_request.extend', updated, reason);
      return updated;
    });
  }

  async get(id: string, manager?: EntityManager): Promise<PrivacyRequestEntity> {
    const found = await this.requests.findById(id, manager);
    if (!found) throw privacyRequestNotFound();
    return found;
  }

  historyOf(id: string): Promise<PrivacyRequestEventEntity[]> {
    return this.requests.historyOf(id);
  }

  /** Newest first by `received_at`. */
  list(filter: PrivacyRequestFilter): Promise<Page<PrivacyRequestEntity>> {
    return this.requests.list(filter);
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
    await this.requests.insertHistory(
      id,
      { actorId, fromStatus: from, toStatus: to, reason },
      manager,
    );
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
