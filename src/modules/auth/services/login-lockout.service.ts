import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { type AppConfig, InjectConfig } from '#config/app-config.js';
import type { UserEntity } from '../entities/user.entity.js';
import { MAILER, type Mailer } from '../mailer/mailer.js';
import { LoginFailuresRepository } from '../repositories/login-failures.repository.js';
import { UsersRepository } from '../repositories/users.repository.js';
import { AuthEventsService } from './auth-events.service.js';
import type { RequestMeta } from './request-meta.js';
import { lockedProblem, lockoutSeconds } from './lockout.js';

/** The window of the account-wide count, and how long the account lock lasts. */
export const ACCOUNT_FAILURE_WINDOW_SECONDS = 3600;

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
    private readonly failures: LoginFailuresRepository,
    private readonly users: UsersRepository,
    @InjectConfig() private readonly config: AppConfig,
    @Inject(MAILER) private readonly mailer: Mailer,
    private readonly events: AuthEventsService,
  ) {}

  /** 429 ACCOUNT_TEMPORARILY_LOCKED while the account, or this address for it, is locked. */
  async assertNotLocked(user: UserEntity, clientIp: string): Promise<void> {
    if (user.lockedUntil && user.lockedUntil.getTime() > Date.now()) {
      throw lockedProblem(user.lockedUntil.getTime() - Date.now());
    }
    const ms = await this.failures.lockRemainingMs(user.id, clientIp);
    if (ms !== undefined) throw lockedProblem(ms);
  }

  async recordFailure(user: UserEntity, clientIp: string, meta: RequestMeta): Promise<void> {
    const failures = await this.failures.countFailure(user.id, clientIp);
    const seconds = lockoutSeconds(
      failures,
      this.config.LOGIN_MAX_FAILURES,
      this.config.LOGIN_LOCKOUT_SECONDS,
    );
    if (seconds > 0) {
      await this.failures.lock(user.id, clientIp, seconds);
      await this.events.record('account_locked', {
        userId: user.id,
        meta,
        metadata: { scope: 'address', failures, seconds },
      });
    }
    // Exactly one of concurrent failures sees the count reach the limit and starts the lock
    // (`started`): only that one mails the owner.
    const counted = await this.users.countAccountFailure(
      user.id,
      this.config.LOGIN_MAX_FAILURES_PER_ACCOUNT,
      ACCOUNT_FAILURE_WINDOW_SECONDS,
    );
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
    await this.failures.clearAddress(userId, clientIp);
  }

  /** Password reset, admin unlock, CLI credential reset: every lock of the account is lifted. */
  async clearAll(userId: string, manager: EntityManager): Promise<void> {
    await this.users.withManager(manager).clearAccountLock(userId);
    await this.failures.withManager(manager).clearAll(userId);
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
