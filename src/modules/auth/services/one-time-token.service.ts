import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { OneTimeTokenEntity, OneTimeTokenPurpose } from '../entities/one-time-token.entity.js';
import { OneTimeTokensRepository } from '../repositories/one-time-tokens.repository.js';
import { randomToken, sha256 } from './token.service.js';

/** Single-use tokens: the plain token goes to the user, only its SHA-256 is stored. */
@Injectable()
export class OneTimeTokenService {
  constructor(private readonly tokens: OneTimeTokensRepository) {}

  async issue(
    userId: string,
    purpose: OneTimeTokenPurpose,
    ttlSeconds: number,
    manager?: EntityManager,
    prefix?: string,
  ): Promise<string> {
    // A prefix is covered by the stored hash: it cannot be changed without voiding the token.
    const token = prefix ? `${prefix}.${randomToken(32)}` : randomToken(32);
    await this.on(manager).insert(
      userId,
      purpose,
      sha256(token),
      new Date(Date.now() + ttlSeconds * 1000),
    );
    return token;
  }

  /** Marks the token used and returns it, or null when unknown, used, expired or of another purpose. */
  consume(
    token: string,
    purpose: OneTimeTokenPurpose,
    manager?: EntityManager,
  ): Promise<OneTimeTokenEntity | null> {
    return this.on(manager).consume(sha256(token), purpose);
  }

  /** The live token (not consumed), for flows that allow several attempts (MFA challenge). */
  findLive(token: string, purpose: OneTimeTokenPurpose): Promise<OneTimeTokenEntity | null> {
    return this.tokens.findLive(sha256(token), purpose);
  }

  /** Counts a wrong answer against a live token that allows several attempts. */
  countAttempt(id: string): Promise<void> {
    return this.tokens.countAttempt(id);
  }

  /** Invalidates the user's other unused tokens of a purpose. */
  revokeAll(userId: string, purpose: OneTimeTokenPurpose, manager?: EntityManager): Promise<void> {
    return this.on(manager).revokeAll(userId, purpose);
  }

  /** Deletes every token of the user (credentials reset by an operator). */
  deleteAllOf(userId: string, manager?: EntityManager): Promise<void> {
    return this.on(manager).deleteAllOf(userId);
  }

  private on(manager: EntityManager | undefined): OneTimeTokensRepository {
    return manager ? this.tokens.withManager(manager) : this.tokens;
  }
}
