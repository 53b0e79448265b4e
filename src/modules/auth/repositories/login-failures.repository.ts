import { Injectable } from '@nestjs/common';
import { InjectEntityManager } from '@nestjs/typeorm';
import type { EntityManager } from 'typeorm';

/** One failure against (account, address): the pair's failures in a row. */
const PAIR_FAILURE_SQL = `
  INSERT INTO login_failures (user_id, client_ip, failures, last_failed_at)
  VALUES ($1, $2, 1, now())
  ON CONFLICT (user_id, client_ip) DO UPDATE
    SET failures = login_failures.failures + 1, last_failed_at = now()
  RETURNING failures`;

/**
 * The SQL of login_failures: failed password sign-ins per (account, client address) and the
 * pair's lock. Every statement names the account; the policy (how many, how long) lives in
 * LoginLockoutService. `withManager` runs it in a caller's transaction.
 */
@Injectable()
export class LoginFailuresRepository {
  constructor(@InjectEntityManager() private readonly manager: EntityManager) {}

  /** This repository bound to `manager` (a transaction's). */
  withManager(manager: EntityManager): LoginFailuresRepository {
    return new LoginFailuresRepository(manager);
  }

  /** Milliseconds left of the pair's lock; undefined when the pair is not locked. */
  async lockRemainingMs(userId: string, clientIp: string): Promise<number | undefined> {
    const rows = (await this.manager.query(
      `SELECT extract(epoch FROM locked_until - now()) * 1000 AS "ms"
         FROM login_failures
        WHERE user_id = $1 AND client_ip = $2 AND locked_until > now()`,
      [userId, clientIp],
    )) as { ms: string }[];
    return rows[0] ? Number(rows[0].ms) : undefined;
  }

  /** Counts one failure of the pair; answers its failures in a row. */
  async countFailure(userId: string, clientIp: string): Promise<number> {
    const pair = (await this.manager.query(PAIR_FAILURE_SQL, [userId, clientIp])) as {
      failures: number;
    }[];
    return pair[0]?.failures ?? 0;
  }

  /** Locks the pair for `seconds` from now. */
  async lock(userId: string, clientIp: string, seconds: number): Promise<void> {
    await this.manager.query(
      `UPDATE login_failures SET locked_until = now() + make_interval(secs => $3)
        WHERE user_id = $1 AND client_ip = $2`,
      [userId, clientIp, seconds],
    );
  }

  async clearAddress(userId: string, clientIp: string): Promise<void> {
    await this.manager.query(`DELETE FROM login_failures WHERE user_id = $1 AND client_ip = $2`, [
      userId,
      clientIp,
    ]);
  }

  async clearAll(userId: string): Promise<void> {
    await this.manager.query(`DELETE FROM login_failures WHERE user_id = $1`, [userId]);
  }
}
