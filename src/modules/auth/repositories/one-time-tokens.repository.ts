import { Injectable } from '@nestjs/common';
import { InjectEntityManager } from '@nestjs/typeorm';
import type { EntityManager } from 'typeorm';
import { OneTimeTokenEntity, type OneTimeTokenPurpose } from '../entities/one-time-token.entity.js';

/**
 * The SQL of one_time_tokens. Tokens are found by the SHA-256 of the plain token (the service
 * hashes; the plain token is never stored) and always with their purpose, so a token of one
 * purpose never answers for another. `withManager` runs it in a caller's transaction.
 */
@Injectable()
export class OneTimeTokensRepository {
  constructor(@InjectEntityManager() private readonly manager: EntityManager) {}

  /** This repository bound to `manager` (a transaction's). */
  withManager(manager: EntityManager): OneTimeTokensRepository {
    return new OneTimeTokensRepository(manager);
  }

  async insert(
    userId: string,
    purpose: OneTimeTokenPurpose,
    tokenHash: string,
    expiresAt: Date,
  ): Promise<void> {
    await this.manager.insert(OneTimeTokenEntity, { userId, purpose, tokenHash, expiresAt });
  }

  /** Marks the live token used and returns it; null when unknown, used, expired or of another purpose. */
  async consume(
    tokenHash: string,
    purpose: OneTimeTokenPurpose,
  ): Promise<OneTimeTokenEntity | null> {
    const rows = (await this.manager.query(
      `UPDATE one_time_tokens SET used_at = now()
        WHERE token_hash = $1 AND purpose = $2 AND used_at IS NULL AND expires_at > now()
        RETURNING id, user_id AS "userId"`,
      [tokenHash, purpose],
    )) as [Array<{ id: string; userId: string }>, number];
    const row = rows[0][0];
    return row
      ? this.manager.create(OneTimeTokenEntity, { id: row.id, userId: row.userId, purpose })
      : null;
  }

  /** The live (unused, unexpired) token. */
  findLive(tokenHash: string, purpose: OneTimeTokenPurpose): Promise<OneTimeTokenEntity | null> {
    return this.manager
      .getRepository(OneTimeTokenEntity)
      .createQueryBuilder('t')
      .where('t.tokenHash = :hash AND t.purpose = :purpose', { hash: tokenHash, purpose })
      .andWhere('t.usedAt IS NULL AND t.expiresAt > now()')
      .getOne();
  }

  /** Counts one wrong answer against a token that allows several (an MFA challenge). */
  async countAttempt(id: string): Promise<void> {
    await this.manager.query(`UPDATE one_time_tokens SET attempts = attempts + 1 WHERE id = $1`, [
      id,
    ]);
  }

  /** Marks the user's unused tokens of a purpose used. */
  async revokeAll(userId: string, purpose: OneTimeTokenPurpose): Promise<void> {
    await this.manager.query(
      `UPDATE one_time_tokens SET used_at = now() WHERE user_id = $1 AND purpose = $2 AND used_at IS NULL`,
      [userId, purpose],
    );
  }

  /** Deletes every token of the user (any purpose, used or not). */
  async deleteAllOf(userId: string): Promise<void> {
    await this.manager.query(`DELETE FROM one_time_tokens WHERE user_id = $1`, [userId]);
  }
}
