import { Injectable } from '@nestjs/common';
import { InjectEntityManager } from '@nestjs/typeorm';
import type { DeepPartial, EntityManager, SelectQueryBuilder } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity.js';
import { UserEntity, type UserStatus } from '../entities/user.entity.js';

/**
 * One failure against the account from any address, counted in a window of $3 seconds. The row
 * lock of the UPDATE serialises concurrent failures, so exactly one of them sees the count reach
 * the limit ($2) and starts the lock (`started`).
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
 * Reserves one second-factor attempt for the account in ONE statement (the row lock orders
 * parallel callers): it counts the attempt before the code is evaluated and, at the limit ($2),
 * starts the lock at once ($3 seconds, doubling per further lock, capped at $4). No row when the
 * second factor is locked.
 */
const RESERVE_MFA_ATTEMPT_SQL = `UPDATE users SET mfa_failed_count = mfa_failed_count + 1,
    mfa_locked_until = CASE WHEN mfa_failed_count + 1 >= $2
      THEN now() + make_interval(secs => least($4, $3 * 2 ^ least(mfa_failed_count + 1 - $2, 20)))
      ELSE mfa_locked_until END
  WHERE id = $1 AND (mfa_locked_until IS NULL OR mfa_locked_until <= now())
  RETURNING mfa_failed_count AS "failures"`;

/** Serialises every change that could leave no active admin (roles, status), across instances. */
const LAST_ADMIN_LOCK_SQL = `SELECT pg_advisory_xact_lock(hashtext('pathavana:last-admin'))`;

export type UserValues = QueryDeepPartialEntity<UserEntity>;

/** Filters of the staff account list. */
export interface UserListFilter {
  status?: UserStatus;
  role?: string;
  email?: string;
}

/**
 * The SQL of the users table: accounts, their sign-in counters and second-factor state. Every
 * method names the account by id (or by its normalised email, for sign-in); the rules (who may
 * change what, lockout policy, last admin) live in the auth services.
 *
 * Built on an EntityManager like the other repositories: `withManager` runs it on a transaction's
 * connection, `transaction` hands the work a copy bound to a new transaction (and that
 * transaction's manager, for the sibling repositories and ports that write in it).
 */
@Injectable()
export class UsersRepository {
  constructor(@InjectEntityManager() private readonly manager: EntityManager) {}

  /** This repository bound to `manager` (a transaction's). */
  withManager(manager: EntityManager): UsersRepository {
    return new UsersRepository(manager);
  }

  transaction<T>(work: (users: UsersRepository, manager: EntityManager) => Promise<T>): Promise<T> {
    const run = (manager: EntityManager): Promise<T> => work(new UsersRepository(manager), manager);
    return this.manager.queryRunner
      ? this.manager.transaction(run)
      : this.manager.connection.transaction(run);
  }

  /** An unsaved account (its id is set by `save`). */
  create(values: DeepPartial<UserEntity>): UserEntity {
    return this.manager.create(UserEntity, values);
  }

  /** Inserts or updates the whole account. */
  async save(user: UserEntity): Promise<void> {
    await this.manager.save(user);
  }

  async update(id: string, values: UserValues): Promise<void> {
    await this.manager.update(UserEntity, { id }, values);
  }

  /** `email` already normalised. */
  findByEmail(email: string): Promise<UserEntity | null> {
    return this.manager.findOne(UserEntity, { where: { email } });
  }

  findById(id: string): Promise<UserEntity | null> {
    return this.manager.findOne(UserEntity, { where: { id } });
  }

  /** The account; EntityNotFoundError when there is none (a broken reference). */
  findByIdOrFail(id: string): Promise<UserEntity> {
    return this.manager.findOneOrFail(UserEntity, { where: { id } });
  }

  /** The account, row-locked until the transaction ends. */
  findByIdForUpdate(id: string): Promise<UserEntity | null> {
    return this.manager.findOne(UserEntity, {
      where: { id },
      lock: { mode: 'pessimistic_write' },
    });
  }

  /** The account with this (normalised) email, row-locked until the transaction ends. */
  findByEmailForUpdate(email: string): Promise<UserEntity | null> {
    return this.manager.findOne(UserEntity, {
      where: { email },
      lock: { mode: 'pessimistic_write' },
    });
  }

  /** The account's status, or undefined when there is no such account. */
  async statusOf(id: string): Promise<string | undefined> {
    const [owner] = (await this.manager.query(`SELECT status FROM users WHERE id = $1`, [
      id,
    ])) as Array<{ status: string }>;
    return owner?.status;
  }

  /** Emails of the active accounts holding `role`, alphabetically. */
  async activeEmailsWithRole(role: string): Promise<string[]> {
    const rows = (await this.manager.query(
      `SELECT email FROM users WHERE $1 = ANY(roles) AND status = 'active' ORDER BY email`,
      [role],
    )) as { email: string }[];
    return rows.map((row) => row.email);
  }

  /** The staff list query; keysetPage orders and limits it. */
  listQuery(filter: UserListFilter): SelectQueryBuilder<UserEntity> {
    const builder = this.manager.getRepository(UserEntity).createQueryBuilder('user');
    if (filter.status) builder.andWhere('user.status = :status', { status: filter.status });
    if (filter.role) builder.andWhere(':role = ANY(user.roles)', { role: filter.role });
    if (filter.email) builder.andWhere('user.email = :email', { email: filter.email });
    return builder;
  }

  // ---- password sign-in counters ----

  /**
   * Counts one failed sign-in against the account in a window of `windowSeconds`; the failure
   * that reaches `limit` locks the account for the window and answers `started`.
   */
  async countAccountFailure(
    id: string,
    limit: number,
    windowSeconds: number,
  ): Promise<{ failures: number; started: boolean; lockedUntil: Date | null } | undefined> {
    const account = (await this.manager.query(ACCOUNT_FAILURE_SQL, [id, limit, windowSeconds])) as [
      Array<{ failures: number; started: boolean; lockedUntil: Date | null }>,
      number,
    ];
    return account[0][0];
  }

  /** Resets the account-wide failure count and lifts its lock. */
  async clearAccountLock(id: string): Promise<void> {
    await this.manager.query(
      `UPDATE users SET failed_login_count = 0, failed_login_window_started_at = NULL,
              locked_until = NULL WHERE id = $1`,
      [id],
    );
  }

  // ---- second factor ----

  /** Counts one second-factor attempt; false (nothing counted) while the second factor is locked. */
  async reserveMfaAttempt(
    id: string,
    maxFailures: number,
    lockSeconds: number,
    maxLockSeconds: number,
  ): Promise<boolean> {
    const rows = (await this.manager.query(RESERVE_MFA_ATTEMPT_SQL, [
      id,
      maxFailures,
      lockSeconds,
      maxLockSeconds,
    ])) as [Array<{ failures: number }>, number];
    return rows[0].length > 0;
  }

  /** Milliseconds until the account's second-factor lock ends (undefined: no such account). */
  async mfaLockRemainingMs(id: string): Promise<number | string | undefined> {
    const [state] = (await this.manager.query(
      `SELECT greatest(0, extract(epoch FROM mfa_locked_until - now()) * 1000) AS "ms"
         FROM users WHERE id = $1`,
      [id],
    )) as Array<{ ms: number | string }>;
    return state?.ms;
  }

  // ---- admins ----

  /** Takes the transaction-scoped lock that serialises changes able to leave no active admin. */
  async lockAdminChanges(): Promise<void> {
    await this.manager.query(LAST_ADMIN_LOCK_SQL);
  }

  async isActiveAdmin(id: string): Promise<boolean> {
    const [me] = (await this.manager.query(
      `SELECT 1 FROM users WHERE id = $1 AND status = 'active' AND 'admin' = ANY(roles)`,
      [id],
    )) as unknown[];
    return me !== undefined;
  }

  /** Whether an active admin other than `id` exists. */
  async hasOtherActiveAdmin(id: string): Promise<boolean> {
    const [other] = (await this.manager.query(
      `SELECT 1 FROM users WHERE id <> $1 AND status = 'active' AND 'admin' = ANY(roles) LIMIT 1`,
      [id],
    )) as unknown[];
    return other !== undefined;
  }
}
