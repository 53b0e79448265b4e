import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { AuthEventEntity, type AuthEventType } from '../entities/auth-event.entity.js';
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
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async record(type: AuthEventType, input: AuthEventInput, manager?: EntityManager): Promise<void> {
    const target = manager ?? this.dataSource.manager;
    const event = target.create(AuthEventEntity, {
      type,
      userId: input.userId ?? null,
      sessionId: input.sessionId ?? null,
      ip: input.meta?.ip ?? null,
      userAgent: input.meta?.userAgent ?? null,
      metadata: input.metadata ?? {},
    });
    await target.save(event);
  }
}
