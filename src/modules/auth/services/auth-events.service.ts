import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { AuthEventType } from '../entities/auth-event.entity.js';
import { AuthEventsRepository } from '../repositories/auth-events.repository.js';
import type { RequestMeta } from './request-meta.js';

export interface AuthEventInput {
  userId?: string | null;
  sessionId?: string | null;
  meta?: RequestMeta;
  metadata?: Record<string, unknown>;
}

/** Append-only security trail of the auth module (never returned by the API). */
@Injectable()
export class AuthEventsService {
  constructor(private readonly events: AuthEventsRepository) {}

  async record(type: AuthEventType, input: AuthEventInput, manager?: EntityManager): Promise<void> {
    await (manager ? this.events.withManager(manager) : this.events).insert({
      type,
      userId: input.userId ?? null,
      sessionId: input.sessionId ?? null,
      ip: input.meta?.ip ?? null,
      userAgent: input.meta?.userAgent ?? null,
      metadata: input.metadata ?? {},
    });
  }
}
