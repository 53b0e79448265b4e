import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import {
  badRequest,
  conflict,
  ProblemException,
  unprocessable,
} from '../../../libs/common/errors/problem.exception.js';
import { IdempotencyKeyEntity } from './booking-links.entity.js';

/** Keys are kept (and replayed) for 24 hours; after that the same key starts afresh. */
export const IDEMPOTENCY_TTL_HOURS = 24;

const KEY_FORMAT = /^[\x21-\x7E]{1,255}$/;

/** A stored answer: status and the exact body text sent the first time. */
export interface StoredResponse {
  status: number;
  body: string;
  replayed: boolean;
}

export type Claim = { kind: 'owner'; id: string } | { kind: 'replay'; response: StoredResponse };

export function assertIdempotencyKey(key: string | undefined): string {
  if (key === undefined || key === '') {
    throw new ProblemException(
      428,
      'IDEMPOTENCY_KEY_REQUIRED',
      'Send an Idempotency-Key header (for example a UUID) so the request can be retried safely.',
    );
  }
  if (!KEY_FORMAT.test(key)) {
    throw badRequest(
      'INVALID_IDEMPOTENCY_KEY',
      'Idempotency-Key must be 1-255 visible ASCII characters.',
      {
        errors: { 'Idempotency-Key': ['must be 1-255 visible ASCII characters'] },
      },
    );
  }
  return key;
}

/**
 * `Idempotency-Key` handling. The claim is a single INSERT … ON CONFLICT DO NOTHING in its own
 * (auto-committed) statement, so among any number of concurrent requests with one key exactly
 * one becomes the owner; the others see the row: same body still in flight → 409, completed →
 * the stored answer, different body → 422.
 */
@Injectable()
export class IdempotencyService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async claim(userId: string, scope: string, key: string, fingerprint: string): Promise<Claim> {
    // An expired key is forgotten: the same key then starts afresh.
    await this.dataSource.query(
      `DELETE FROM "idempotency_keys" WHERE "user_id" = $1 AND "scope" = $2 AND "key" = $3 AND "expires_at" <= now()`,
      [userId, scope, key],
    );
    const inserted = (await this.dataSource.query(
      `INSERT INTO "idempotency_keys" ("user_id", "scope", "key", "request_fingerprint", "state", "expires_at")
       VALUES ($1, $2, $3, $4, 'in_flight', now() + make_interval(hours => $5))
       ON CONFLICT ON CONSTRAINT "uq_idempotency_keys_user_id_scope_key" DO NOTHING
       RETURNING "id"`,
      [userId, scope, key, fingerprint, IDEMPOTENCY_TTL_HOURS],
    )) as { id: string }[];
    if (inserted[0]) return { kind: 'owner', id: inserted[0].id };

    const existing = await this.dataSource
      .getRepository(IdempotencyKeyEntity)
      .findOneBy({ userId, scope, key });
    if (!existing) {
      // Released (the first request failed) between our insert and read: the client may retry.
      throw this.inFlight();
    }
    if (existing.requestFingerprint !== fingerprint) {
      throw unprocessable(
        'IDEMPOTENCY_KEY_REUSED',
        'This Idempotency-Key was already used with a different request body.',
      );
    }
    if (
      existing.state !== 'completed' ||
      existing.responseStatus === null ||
      existing.responseBody === null
    ) {
      throw this.inFlight();
    }
    return {
      kind: 'replay',
      response: { status: existing.responseStatus, body: existing.responseBody, replayed: true },
    };
  }

  /** Stores the answer, inside the transaction that wrote the booking. */
  async complete(
    manager: EntityManager,
    id: string,
    response: { status: number; body: string; bookingId: string | null },
  ): Promise<void> {
    await manager.getRepository(IdempotencyKeyEntity).update(
      { id, state: 'in_flight' },
      {
        state: 'completed',
        responseStatus: response.status,
        responseBody: response.body,
        bookingId: response.bookingId,
      },
    );
  }

  /** The first request failed before anything was written: forget the key so a retry can run. */
  async release(id: string): Promise<void> {
    await this.dataSource.getRepository(IdempotencyKeyEntity).delete({ id, state: 'in_flight' });
  }

  private inFlight(): ProblemException {
    return conflict(
      'IDEMPOTENCY_REQUEST_IN_FLIGHT',
      'A request with this Idempotency-Key is still being processed; retry shortly.',
      { headers: { 'Retry-After': '1' } },
    );
  }
}
