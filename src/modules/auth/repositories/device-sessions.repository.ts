import { Injectable } from '@nestjs/common';
import { InjectEntityManager } from '@nestjs/typeorm';
import {
  type DeepPartial,
  type EntityManager,
  IsNull,
  MoreThan,
  type SelectQueryBuilder,
} from 'typeorm';
import { RefreshSessionEntity } from '../entities/refresh-session.entity.js';

/**
 * The SQL of refresh_sessions (device sessions). Every method but the refresh-token lookup takes
 * the owner id: another user's session is simply not found. The refresh token names its session
 * only (`findByIdForUpdate`); DeviceSessionsService proves the token against the stored hash
 * before anything else. The rules (rotation, reuse, grace, step-up) live in that service.
 *
 * Built on an EntityManager like the other repositories: `withManager` runs it on a transaction's
 * connection, `transaction` hands the work a copy bound to a new transaction.
 */
@Injectable()
export class DeviceSessionsRepository {
  constructor(@InjectEntityManager() private readonly manager: EntityManager) {}

  /** This repository bound to `manager` (a transaction's). */
  withManager(manager: EntityManager): DeviceSessionsRepository {
    return new DeviceSessionsRepository(manager);
  }

  transaction<T>(
    work: (sessions: DeviceSessionsRepository, manager: EntityManager) => Promise<T>,
  ): Promise<T> {
    const run = (manager: EntityManager): Promise<T> =>
      work(new DeviceSessionsRepository(manager), manager);
    return this.manager.queryRunner
      ? this.manager.transaction(run)
      : this.manager.connection.transaction(run);
  }

  /** An unsaved session. */
  create(values: DeepPartial<RefreshSessionEntity>): RefreshSessionEntity {
    return this.manager.create(RefreshSessionEntity, values);
  }

  /** Inserts the session (its id is set on the entity). */
  async insert(session: RefreshSessionEntity): Promise<void> {
    await this.manager.insert(RefreshSessionEntity, session);
  }

  async save(session: RefreshSessionEntity): Promise<void> {
    await this.manager.save(session);
  }

  /** The session a refresh token names, row-locked until the transaction ends. */
  findByIdForUpdate(id: string): Promise<RefreshSessionEntity | null> {
    return this.manager.findOne(RefreshSessionEntity, {
      where: { id },
      lock: { mode: 'pessimistic_write' },
    });
  }

  /** The owner's session, row-locked until the transaction ends. */
  findOwnedForUpdate(userId: string, id: string): Promise<RefreshSessionEntity | null> {
    return this.manager.findOne(RefreshSessionEntity, {
      where: { id, userId },
      lock: { mode: 'pessimistic_write' },
    });
  }

  /** Revokes the session (reuse detected); the caller holds it locked. */
  async revokeForReuse(id: string, at: Date): Promise<void> {
    await this.manager.update(
      RefreshSessionEntity,
      { id },
      { revokedAt: at, revokedReason: 'reuse' },
    );
  }

  async markMfaPassed(userId: string, id: string, at: Date): Promise<void> {
    await this.manager.update(RefreshSessionEntity, { id, userId }, { mfaVerifiedAt: at });
  }

  /** Revokes one of the owner's live sessions; false when there is none with that id. */
  async revoke(userId: string, id: string, reason: string): Promise<boolean> {
    const result = await this.manager.update(
      RefreshSessionEntity,
      { id, userId, revokedAt: IsNull() },
      { revokedAt: new Date(), revokedReason: reason },
    );
    return (result.affected ?? 0) > 0;
  }

  /** Revokes every live session of the owner, except `keepSessionId` when given. */
  async revokeAll(userId: string, reason: string, keepSessionId?: string): Promise<number> {
    const query = this.manager
      .createQueryBuilder()
      .update(RefreshSessionEntity)
      .set({ revokedAt: () => 'now()', revokedReason: reason })
      .where('user_id = :userId AND revoked_at IS NULL', { userId });
    if (keepSessionId) query.andWhere('id <> :keepSessionId', { keepSessionId });
    const result = await query.execute();
    return result.affected ?? 0;
  }

  /** The owner's live sessions (not revoked, neither expiry passed); keysetPage orders them. */
  liveQuery(userId: string): SelectQueryBuilder<RefreshSessionEntity> {
    return this.manager
      .getRepository(RefreshSessionEntity)
      .createQueryBuilder('session')
      .where('session.userId = :userId', { userId })
      .andWhere('session.revokedAt IS NULL')
      .andWhere('session.absoluteExpiresAt > now()')
      .andWhere('session.idleExpiresAt > now()');
  }

  /** Whether the owner's session is neither revoked nor past its absolute expiry. */
  isLive(userId: string, id: string): Promise<boolean> {
    return this.manager.getRepository(RefreshSessionEntity).exists({
      where: { id, userId, revokedAt: IsNull(), absoluteExpiresAt: MoreThan(new Date()) },
    });
  }
}
