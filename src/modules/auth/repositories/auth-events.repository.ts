import { Injectable } from '@nestjs/common';
import { InjectEntityManager } from '@nestjs/typeorm';
import type { DeepPartial, EntityManager } from 'typeorm';
import { AuthEventEntity } from '../entities/auth-event.entity.js';

/**
 * The SQL of auth_events, the append-only security trail: rows are only ever inserted here.
 * `withManager` writes an event in the caller's transaction.
 */
@Injectable()
export class AuthEventsRepository {
  constructor(@InjectEntityManager() private readonly manager: EntityManager) {}

  /** This repository bound to `manager` (a transaction's). */
  withManager(manager: EntityManager): AuthEventsRepository {
    return new AuthEventsRepository(manager);
  }

  async insert(values: DeepPartial<AuthEventEntity>): Promise<void> {
    await this.manager.save(this.manager.create(AuthEventEntity, values));
  }
}
