import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { type AppConfig, InjectConfig } from '#config/app-config.js';
import {
  badRequest,
  conflict,
  ProblemException,
  unprocessable,
} from '#libs/common/errors/problem.exception.js';
import { IdempotencyKeysRepository } from './idempotency-keys.repository.js';

/** Keys are kept (and replayed) for 24 hours; after that the same key starts afresh. */
export const IDEMPOTENCY_TTL_HOURS = 24;

const KEY_FORMAT = /^[\x21-\x7E]{1,255}$/;

/**
 * A stored answer: status and the exact body text sent the first time, and the version of the
 * resource in that body (for its ETag; null when the body has none, e.g. a stored error).
 */
export interface StoredResponse {
  status: number;
  body: string;
  version: number | null;
  replayed: boolean;
}

/** The owner holds the key's row `id` at `attempt` (a takeover bumps it; see `claim`). */
export type Owner = { kind: 'owner'; id: string; attempt: number };
export type Claim = Owner | { kind: 'replay'; response: StoredResponse };

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
 *
 * In flight is a lease (`locked_until`): a request that crashed after claiming would otherwise
 * block its key for 24 h. Past the lease, a retry with the same body takes over with one
 * conditional UPDATE (row lock + re-checked WHERE: one winner among concurrent retries) that
 * bumps `attempt`; the old owner, if merely slow, then fails to complete and rolls back.
 */
@Injectable()
export class IdempotencyService {
  constructor(
    private readonly keys: IdempotencyKeysRepository,
    @InjectConfig() private readonly config: AppConfig,
  ) {}

  async claim(userId: string, scope: string, key: string, fingerprint: string): Promise<Claim> {
    // An expired key is forgotten: the same key then starts afresh.
    await this.keys.deleteExpired(userId, scope, key);
    const inserted = await this.keys.insertInFlight(
      userId,
      scope,
      key,
      fingerprint,
      IDEMPOTENCY_TTL_HOURS,
      this.leaseSeconds(),
    );
    if (inserted) return { kind: 'owner', id: inserted.id, attempt: inserted.attempt };

    const existing = await this.keys.findForOwner(userId, scope, key);
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
    if (existing.state === 'in_flight') {
      const takenOver = await this.takeOver(existing.id);
      if (takenOver) return takenOver;
      throw this.inFlight();
    }
    if (existing.responseStatus === null || existing.responseBody === null) {
      throw this.inFlight();
    }
    return {
      kind: 'replay',
      response: {
        status: existing.responseStatus,
        body: existing.responseBody,
        version: existing.responseVersion,
        replayed: true,
      },
    };
  }

  /** Ownership of an in-flight key whose lease ran out; undefined while the lease holds. */
  private async takeOver(id: string): Promise<Owner | undefined> {
    const attempt = await this.keys.takeOver(id, this.leaseSeconds());
    return attempt === undefined ? undefined : { kind: 'owner', id, attempt };
  }

  /**
   * Stores the answer, inside the transaction that wrote the booking. An owner whose key was
   * taken over meanwhile gets a 409 and its transaction rolls back: the new owner's answer counts.
   */
  async complete(
    manager: EntityManager,
    owner: Owner,
    response: { status: number; body: string; bookingId: string | null },
  ): Promise<void> {
    if (!(await this.keys.complete(manager, owner, response))) throw this.inFlight();
  }

  /** The request failed before anything was written: forget the key so a retry can run. */
  async release(owner: Owner): Promise<void> {
    await this.keys.deleteInFlight(owner);
  }

  private leaseSeconds(): number {
    return this.config.IDEMPOTENCY_IN_FLIGHT_LEASE_SECONDS;
  }

  private inFlight(): ProblemException {
    return conflict(
      'IDEMPOTENCY_REQUEST_IN_FLIGHT',
      'A request with this Idempotency-Key is still being processed; retry shortly.',
      { headers: { 'Retry-After': '1' } },
    );
  }
}
