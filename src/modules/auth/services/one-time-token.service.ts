import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { OneTimeTokenEntity, type OneTimeTokenPurpose } from '../entities/one-time-token.entity.js';
import { randomToken, sha256 } from './token.service.js';

/** Single-use tokens: the plain token goes to the user, only its SHA-256 is stored. */
@Injectable()
export class OneTimeTokenService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async issue(
    userId: string,
    purpose: OneTimeTokenPurpose,
    ttlSeconds: number,
    manager: EntityManager = this.dataSource.manager,
    prefix?: string,
  ): Promise<string> {
    // A prefix is covered by the stored hash: it cannot be changed without voiding the token.
    const token = prefix ? `${prefix}.${randomToken(32)}` : randomToken(32);
    await manager.insert(OneTimeTokenEntity, {
      userId,
      purpose,
      tokenHash: sha256(token),
      expiresAt: new Date(Date.now() + ttlSeconds * 1000),
    });
    return token;
  }

  /** Marks the token used and returns it, or null when unknown, used, expired or of another purpose. */
  async consume(
    token: string,
    purpose: OneTimeTokenPurpose,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<OneTimeTokenEntity | null> {
    const rows = (await manager.query(
      `UPDATE one_time_tokens SET used_at = now()
        WHERE token_hash = $1 AND purpose = $2 AND used_at IS NULL AND expires_at > now()
        RETURNING id, user_id AS "userId"`,
      [sha256(token), purpose],
    )) as [Array<{ id: string; userId: string }>, number];
    const row = rows[0][0];
    return row
      ? manager.create(OneTimeTokenEntity, { id: row.id, userId: row.userId, purpose })
      : null;
  }

  /** The live token (not consumed), for flows that allow several attempts (MFA challenge). */
  async findLive(token: string, purpose: OneTimeTokenPurpose): Promise<OneTimeTokenEntity | null> {
    return this.dataSource
      .getRepository(OneTimeTokenEntity)
      .createQueryBuilder('t')
      .where('t.tokenHash = :hash AND t.purpose = :purpose', { hash: sha256(token), purpose })
      .andWhere('t.usedAt IS NULL AND t.expiresAt > now()')
      .getOne();
  }

  /** Invalidates the user's other unused tokens of a purpose. */
  async revokeAll(
    userId: string,
    purpose: OneTimeTokenPurpose,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<void> {
    await manager.query(
      `UPDATE one_time_tokens SET used_at = now() WHERE user_id = $1 AND purpose = $2 AND used_at IS NULL`,
      [userId, purpose],
    );
  }
}
