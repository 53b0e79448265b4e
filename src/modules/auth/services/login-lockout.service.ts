import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { type AppConfig, InjectConfig } from '#config/app-config.js';
import type { UserEntity } from '../entities/user.entity.js';
import { MAILER, type Mailer } from '../mailer/mailer.js';
import { AuthEventsService } from './auth-events.service.js';
import type { RequestMeta } from './request-meta.js';
import { lockedProblem, lockoutSeconds } from './lockout.js';

/** The window of the account-wide count, and how long the account lock lasts. */
export const ACCOUNT_FAILURE_WINDOW_SECONDS = 3600;

/** One failure against (account, address): the pair's failures in a row and its lock. */
const PAIR_FAILURE_SQL = `
  INSERT INTO login_failures (user_id, client_ip, failures, last_failed_at)
  VALUES ($1, $2, 1, now())
  ON CONFLICT (user_id, client_ip) DO UPDATE
    SET failures = login_failures.failures + 1, last_failed_at = now()
  RETURNING failures`;

/**
 * One failure against the account from any address, counted in an hourly window. The row lock
 * of the UPDATE serialises concurrent failures, so exactly one of them sees the count reach the
 * limit and starts the lock (`started`): only that one mails the owner.
 */
const ACCOUNT_FAILURE_SQL = `
  WITH counted AS (
    SELECT id,
      CASE WHEN failed_login_window_started_at IS NULL
             OR failed_login_window_started_at <= now() - make_interval(secs => $3)
           THEN 1 ELSE failed_login_count + 1 END AS failures,
      CASE WHEN failed_login_window_started_at IS NULL
             OR failed_login_window_started_at <= now() - make_interval(secs => $3)
           THEN now() ELSE failed_login_window_started_at END AS window_start
      FROM users WHERE id = $1 FOR UPDATE
  )
  UPDATE users u
     SET failed_login_count = counted.failures,
         failed_login_window_started_at = counted.window_start,
         locked_until = CASE WHEN counted.failures = $2 THEN now() + make_interval(secs => $3)
                             ELSE u.locked_until END
    FROM counted
   WHERE u.id = counted.id
  RETURNING counted.failures AS "failures", counted.failures = $2 AS "started",
            u.locked_until AS "lockedUntil"`;

/**
 * Lockout as something an attacker cannot turn into a weapon: failures count per (account,
 * client address), so guessing from one address locks only that pair, and the right password
 * from another address still signs in. Failures from all addresses together are capped per
 * account and hour (LOGIN_MAX_FAILURES_PER_ACCOUNT); when that lock starts, the owner is mailed.
 * Counters live in PostgreSQL, so every instance sees the same counts.
 */
@Injectable()
export class LoginLockoutService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectConfig() private readonly config: AppConfig,
    @Inject(MAILER) private readonly mailer: Mailer,
    private readonly events: AuthEventsService,
  ) {}

  /** 429 ACCOUNT_TEMPORARILY_LOCKED while the account, or this address for it, is locked. */
  async assertNotLocked(user: UserEntity, clientIp: string): Promise<void> {
    if (user.lockedUntil && user.lockedUntil.getTime() > Date.now()) {
      throw lockedProblem(user.lockedUntil.getTime() - Date.now());
    }
    const rows = (await this.dataSource.query(
      `SELECT extract(epoch FROM locked_until - now()) * 1000 AS "ms"
         FROM login_failures
        WHERE user_id = $1 AND client_ip = $2 AND locked_until > now()`,
      [user.id, clientIp],
    )) as { ms: string }[];
    if (rows[0]) throw lockedProblem(Number(rows[0].ms));
  }

  async recordFailure(user: UserEntity, clientIp: string, meta: RequestMeta): Promise<void> {
    const pair = (await this.dataSource.query(PAIR_FAILURE_SQL, [user.id, clientIp])) as {
      failures: number;
    }[];
    const failures = pair[0]?.failures ?? 0;
    const seconds = lockoutSeconds(
      failures,
      this.config.LOGIN_MAX_FAILURES,
      this.config.LOGIN_LOCKOUT_SECONDS,
    );
    if (seconds > 0) {
      await this.dataSource.query(
        `UPDATE login_failures SET locked_until = now() + make_interval(secs => $3)
          WHERE user_id = $1 AND client_ip = $2`,
        [user.id, clientIp, seconds],
      );
      await this.events.record('account_locked', {
        userId: user.id,
        meta,
        metadata: { scope: 'address', failures, seconds },
      });
    }
    const account = (await this.dataSource.query(ACCOUNT_FAILURE_SQL, [
      user.id,
      this.config.LOGIN_MAX_FAILURES_PER_ACCOUNT,
      ACCOUNT_FAILURE_WINDOW_SECONDS,
    ])) as [Array<{ failures: number; started: boolean; lockedUntil: Date | null }>, number];
    const counted = account[0][0];
    if (!counted?.started) return;
    await this.events.record('account_locked', {
      userId: user.id,
      meta,
      metadata: { scope: 'account', failures: counted.failures },
    });
    await this.alertOwner(user, counted.lockedUntil);
  }

  /** A successful sign-in from this address clears the pair's count (not the account's). */
  async clearAddress(userId: string, clientIp: string): Promise<void> {
    await this.dataSource.query(
      `DELETE FROM login_failures WHERE user_id = $1 AND client_ip = $2`,
      [userId, clientIp],
    );
  }

  /** Password reset, admin unlock, CLI credential reset: every lock of the account is lifted. */
  async clearAll(userId: string, manager: EntityManager): Promise<void> {
    await manager.query(
      `UPDATE users SET failed_login_count = 0, failed_login_window_started_at = NULL,
              locked_until = NULL WHERE id = $1`,
      [userId],
    );
    await manager.query(`DELETE FROM login_failures WHERE user_id = $1`, [userId]);
  }

  private async alertOwner(user: UserEntity, lockedUntil: Date | null): Promise<void> {
    const until = lockedUntil ? new Date(lockedUntil).toISOString() : 'an hour from now';
    await this.events.record('account_lock_alert', { userId: user.id });
    await this.mailer.send({
      to: user.email,
      subject: 'Security alert: your Pathavana account is temporarily locked',
      text:
        `Hello ${user.fullName},\n\n` +
        `There were ${this.config.LOGIN_MAX_FAILURES_PER_ACCOUNT} or more failed sign-ins to ` +
        `your Pathavana account within an hour, from one or more addresses. To protect it, ` +
        `sign-in with a password is locked until ${until} (UTC).\n\n` +
        `If this was not you, someone may be guessing your password: once the lock ends, ` +
        `choose a new, unique password (${this.config.PUBLIC_BASE_URL}/reset-password) and ` +
        `turn on two-step verification. Resetting your password also lifts the lock at once.\n`,
    });
  }
}
