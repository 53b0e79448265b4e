import { Injectable } from '@nestjs/common';
import { InjectEntityManager } from '@nestjs/typeorm';
import type { EntityManager } from 'typeorm';
import { IdempotencyKeyEntity, UQ_IDEMPOTENCY_KEY } from '../entities/idempotency-key.entity.js';

/** The stored answer a completed key replays. */
export interface CompletedResponse {
  status: number;
  body: string;
  bookingId: string | null;
}

/** A key as read back, with the `version` its stored body carries. */
export type StoredKey = IdempotencyKeyEntity & { responseVersion: number | null };

/**
 * The SQL of `Idempotency-Key` claims. Every key belongs to a user: reads and claims take the
 * user id; completion and release are by the owner's row id and attempt. Each statement runs on
 * its own (the claim must commit before the provider is called), except `complete`, which runs on
 * the booking transaction's manager.
 */
@Injectable()
export class IdempotencyKeysRepository {
  constructor(@InjectEntityManager() private readonly manager: EntityManager) {}

  /** Forgets the user's key when it expired, so the same key starts afresh. */
  async deleteExpired(userId: string, scope: string, key: string): Promise<void> {
    await this.manager.query(
      `DELETE FROM "idempotency_keys" WHERE "user_id" = $1 AND "scope" = $2 AND "key" = $3 AND "expires_at" <= now()`,
      [userId, scope, key],
    );
  }

  /**
   * INSERT … ON CONFLICT DO NOTHING: among concurrent claims of one key exactly one gets the row
   * (its id and attempt); the others get undefined.
   */
  async insertInFlight(
    userId: string,
    scope: string,
    key: string,
    fingerprint: string,
    ttlHours: number,
    leaseSeconds: number,
  ): Promise<{ id: string; attempt: number } | undefined> {
    const inserted = (await this.manager.query(
      `INSERT INTO "idempotency_keys" ("user_id", "scope", "key", "request_fingerprint", "state", "expires_at", "locked_until")
       VALUES ($1, $2, $3, $4, 'in_flight', now() + make_interval(hours => $5), now() + make_interval(secs => $6))
       ON CONFLICT ON CONSTRAINT "${UQ_IDEMPOTENCY_KEY}" DO NOTHING
       RETURNING "id", "attempt"`,
      [userId, scope, key, fingerprint, ttlHours, leaseSeconds],
    )) as { id: string; attempt: number }[];
    return inserted[0];
  }

  /**
   * The user's key, with the version of the resource in its stored body (read by PostgreSQL from
   * the JSON, so no caller parses the text; null when the body has no numeric `version`).
   */
  async findForOwner(userId: string, scope: string, key: string): Promise<StoredKey | null> {
    const { entities, raw } = await this.manager
      .getRepository(IdempotencyKeyEntity)
      .createQueryBuilder('idem')
      .addSelect(
        `CASE WHEN jsonb_typeof(idem.response_body::jsonb -> 'version') = 'number'
              THEN (idem.response_body::jsonb ->> 'version') END`,
        'response_version',
      )
      .where('idem.user_id = :userId AND idem.scope = :scope AND idem.key = :key', {
        userId,
        scope,
        key,
      })
      .getRawAndEntities<{ response_version: string | null }>();
    const entity = entities[0];
    if (!entity) return null;
    const version = raw[0]?.response_version == null ? null : Number(raw[0].response_version);
    return Object.assign(entity, {
      responseVersion: version !== null && Number.isSafeInteger(version) ? version : null,
    });
  }

  /**
   * One conditional UPDATE (row lock + re-checked WHERE: one winner among concurrent retries):
   * the new attempt when the in-flight lease had run out, else undefined.
   */
  async takeOver(id: string, leaseSeconds: number): Promise<number | undefined> {
    const [rows] = (await this.manager.query(
      `UPDATE "idempotency_keys"
          SET "locked_until" = now() + make_interval(secs => $2), "attempt" = "attempt" + 1
        WHERE "id" = $1 AND "state" = 'in_flight' AND "locked_until" <= now()
        RETURNING "attempt"`,
      [id, leaseSeconds],
    )) as [{ attempt: number }[], number];
    return rows[0]?.attempt;
  }

  /** Completes the key held at `attempt`, on `manager` (the booking's); false when not held. */
  async complete(
    manager: EntityManager,
    owner: { id: string; attempt: number },
    response: CompletedResponse,
  ): Promise<boolean> {
    const result = await manager.getRepository(IdempotencyKeyEntity).update(
      { id: owner.id, attempt: owner.attempt, state: 'in_flight' },
      {
        state: 'completed',
        responseStatus: response.status,
        responseBody: response.body,
        bookingId: response.bookingId,
      },
    );
    return result.affected === 1;
  }

  async deleteInFlight(owner: { id: string; attempt: number }): Promise<void> {
    await this.manager
      .getRepository(IdempotencyKeyEntity)
      .delete({ id: owner.id, attempt: owner.attempt, state: 'in_flight' });
  }
}
