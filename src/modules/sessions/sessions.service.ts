import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { validationProblem } from '#libs/common/http/validation.js';
import {
  decodeCursor,
  DEFAULT_PAGE_SIZE,
  encodeCursor,
  mapPage,
  type Page,
} from '#libs/common/pagination/pagination.js';
import type { MessageResponseDto } from './dto/message.dto.js';
import type {
  CreateSessionDto,
  ListSessionsQueryDto,
  SessionResponseDto,
  SessionSummaryDto,
  UpdateSessionDto,
} from './dto/session.dto.js';
import { applyMergePatch, type JsonObject } from './json-merge-patch.js';
import {
  assertNoFieldErrors,
  validateMessageMetadata,
  validatePlanData,
  validateSessionData,
  validateSessionMetadata,
} from './session-documents.js';
import { SESSION_LIMITS } from './session-limits.js';
import { sessionListKey, sessionListPage, sessionListRequest } from './session-list.js';
import { canTransition, type MessageRole, type SessionStatus } from './session-status.js';
import {
  invalidTransition,
  messageLimitReached,
  preconditionFailed,
  preconditionRequired,
  sessionArchived,
  sessionNotFound,
  sessionTooLarge,
} from './sessions.exception.js';
import { toMessageResponse, toSessionResponse, toSessionSummary } from './sessions.mapper.js';
import { type SessionChanges, SessionsRepository } from './sessions.repository.js';
import type { TravelSessionEntity } from './travel-session.entity.js';

export interface AppendMessageInput {
  role: MessageRole;
  content: string;
  metadata?: JsonObject;
}

export interface AppendedMessage {
  message: MessageResponseDto;
  version: number;
}

@Injectable()
export class SessionsService {
  constructor(private readonly sessions: SessionsRepository) {}

  async create(userId: string, dto: CreateSessionDto): Promise<SessionResponseDto> {
    const chatMessages: JsonObject[] = [];
    if (dto.message !== undefined) {
      chatMessages.push({
        id: randomUUID(),
        seq: 1,
        role: 'user',
        content: dto.message,
        createdAt: new Date().toISOString(),
      });
    }
    const session = await this.sessions.insert(userId, {
      title: dto.title ?? null,
      messages: chatMessages,
    });
    return toSessionResponse(session);
  }

  /**
   * `prefetched(key)`: the rows the bearer-token check already read in its statement
   * (`@ListsOwned(SESSION_OWNED_LIST)`) for the list request with that key, if it did.
   */
  async list(
    userId: string,
    query: ListSessionsQueryDto,
    prefetched?: (key: string) => readonly object[] | undefined,
  ): Promise<Page<SessionSummaryDto>> {
    const request = sessionListRequest(query);
    const rows = prefetched?.(sessionListKey(request));
    const page = rows
      ? sessionListPage(rows, request.limit)
      : await this.sessions.listPage(userId, request);
    return mapPage(page, toSessionSummary);
  }

  /**
   * `prefetched`: the row the bearer-token check already read in its statement (`@ReadsOwned`
   * with `SESSION_OWNED_READ`, same owner and id); without it the row is read here.
   */
  async get(
    userId: string,
    id: string,
    prefetched?: { row: TravelSessionEntity | null },
  ): Promise<SessionResponseDto> {
    if (prefetched) {
      if (!prefetched.row) throw sessionNotFound();
      return toSessionResponse(prefetched.row);
    }
    return toSessionResponse(await this.owned(userId, id));
  }

  /**
   * JSON merge patch under optimistic concurrency: the If-Match version must be the current
   * one (412 otherwise, nothing written), the status change must be allowed (409), and the
   * merged documents must validate (400). The write itself is a compare-and-set on the
   * version, so a concurrent change between our read and our write is also a 412.
   */
  async update(
    userId: string,
    id: string,
    ifMatch: number[] | undefined,
    patch: UpdateSessionDto,
  ): Promise<SessionResponseDto> {
    const current = await this.owned(userId, id);
    if (ifMatch === undefined) throw preconditionRequired();
    if (!ifMatch.includes(current.version)) throw preconditionFailed(current.version);
    if (current.status === 'archived') throw sessionArchived();

    const changes = this.mergeChanges(current, patch);
    if (Object.keys(changes).length === 0) return toSessionResponse(current);

    const updated = await this.sessions.updateIfVersion(id, userId, current.version, changes);
    if (!updated) {
      const now = await this.owned(userId, id);
      throw preconditionFailed(now.version);
    }
    return toSessionResponse(updated);
  }

  /** DELETE archives (idempotent). */
  async archive(userId: string, id: string): Promise<void> {
    for (let attempt = 0; attempt < 5; attempt += 1) {
      const current = await this.owned(userId, id);
      if (current.status === 'archived') return;
      if (!canTransition(current.status, 'archived')) {
        throw invalidTransition(current.status, 'archived');
      }
      const updated = await this.sessions.updateIfVersion(id, userId, current.version, {
        status: 'archived',
      });
      if (updated) return;
    }
    throw preconditionFailed((await this.owned(userId, id)).version);
  }

  async appendMessage(
    userId: string,
    id: string,
    input: AppendMessageInput,
  ): Promise<AppendedMessage> {
    if (input.metadata !== undefined) {
      assertNoFieldErrors(validateMessageMetadata(input.metadata, 'metadata'));
    }
    const appended = await this.sessions.appendMessage(
      id,
      userId,
      { id: randomUUID(), role: input.role, content: input.content, metadata: input.metadata },
      {
        maxMessages: SESSION_LIMITS.maxChatMessages,
        maxBytes: SESSION_LIMITS.sessionDataMaxBytes,
      },
    );
    if (appended) {
      return { message: toMessageResponse(appended.message), version: appended.version };
    }
    const state = await this.sessions.appendState(id, userId);
    if (!state) throw sessionNotFound();
    if (state.status === 'archived') throw sessionArchived();
    if (state.messages >= SESSION_LIMITS.maxChatMessages) throw messageLimitReached();
    throw sessionTooLarge();
  }

  async listMessages(
    userId: string,
    id: string,
    query: { limit?: number; cursor?: string },
  ): Promise<Page<MessageResponseDto>> {
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const beforeSeq = query.cursor === undefined ? undefined : decodeMessageCursor(query.cursor);
    if ((await this.sessions.findOwnedStatus(id, userId)) === null) throw sessionNotFound();
    const rows = await this.sessions.listMessages(id, userId, beforeSeq, limit);
    const items = rows.slice(0, limit);
    const last = items.at(-1);
    return {
      items: items.map((row) => toMessageResponse(row.message)),
      nextCursor: rows.length > limit && last ? encodeCursor(['msg', String(last.ord)]) : null,
    };
  }

  /** For other modules (bookings): the session's status if the user owns it, else 404. */
  async assertOwned(userId: string, id: string): Promise<SessionStatus> {
    const status = await this.sessions.findOwnedStatus(id, userId);
    if (status === null) throw sessionNotFound();
    return status;
  }

  private async owned(userId: string, id: string): Promise<TravelSessionEntity> {
    const session = await this.sessions.findOwned(id, userId);
    if (!session) throw sessionNotFound();
    return session;
  }

  private mergeChanges(current: TravelSessionEntity, patch: UpdateSessionDto): SessionChanges {
    const changes: SessionChanges = {};
    const errors = [];
    if (patch.title !== undefined && patch.title !== current.title) changes.title = patch.title;
    if (patch.status !== undefined && patch.status !== current.status) {
      if (!canTransition(current.status, patch.status)) {
        throw invalidTransition(current.status, patch.status);
      }
      changes.status = patch.status;
    }
    if (patch.sessionData !== undefined) {
      if (Object.prototype.hasOwnProperty.call(patch.sessionData, 'chatMessages')) {
        throw validationProblem({
          'sessionData.chatMessages': [
            'chat messages are append-only: use POST /sessions/{id}/messages',
          ],
        });
      }
      const merged = applyMergePatch(current.sessionData, patch.sessionData) as JsonObject;
      errors.push(validateSessionData(merged));
      changes.sessionData = merged;
    }
    if (patch.planData !== undefined) {
      const merged = applyMergePatch(current.planData, patch.planData) as JsonObject;
      errors.push(validatePlanData(merged));
      changes.planData = merged;
    }
    if (patch.sessionMetadata !== undefined) {
      const merged = applyMergePatch(current.sessionMetadata, patch.sessionMetadata) as JsonObject;
      errors.push(validateSessionMetadata(merged));
      changes.sessionMetadata = merged;
    }
    assertNoFieldErrors(...errors);
    return changes;
  }
}

function decodeMessageCursor(cursor: string): number {
  const [kind, value] = decodeCursor(cursor);
  const seq = Number(value);
  if (kind !== 'msg' || !/^\d{1,9}$/.test(value) || seq < 1) decodeCursor('');
  return seq;
}
