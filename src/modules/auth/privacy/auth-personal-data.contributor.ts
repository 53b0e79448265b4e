import { Injectable } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { forbidden, notFound } from '#libs/common/errors/problem.exception.js';
import { iso, userRows } from '#libs/common/privacy/export-rows.js';
import {
  type ErasureCount,
  type IdentityProof,
  PersonalDataContributor,
  type PersonalDataDescription,
  type PersonalDataSink,
  type RetentionTask,
} from '#libs/common/privacy/personal-data-contributor.js';
import { PasswordService } from '../passwords/password.service.js';
import { deleteInBatchesTask } from '#libs/common/privacy/retention-task.js';

/** Accounts without a password re-authenticate with an access token at most this old. */
export const FRESH_TOKEN_SECONDS = 600;
const FOREIGN_KEY_VIOLATION = '23503';

interface AccountRow {
  id: string;
  email: string;
  full_name: string;
  status: string;
  roles: string[];
  email_verified_at: Date | null;
  last_login_at: Date | null;
  password_changed_at: Date | null;
  has_password: boolean;
  mfa_enabled_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

const deleteCount = async (manager: EntityManager, sql: string, params: unknown[]) => {
  const result = (await manager.query(sql, params)) as [unknown[], number];
  return result[1];
};

/**
 * The auth module's personal data: the account, device sessions, linked identities, one-time
 * tokens and the security trail. Erasure deletes all of it (the account row last, so the account
 * is gone and nothing can sign in as it); it also verifies the caller's re-authentication.
 */
@Injectable()
@PersonalDataContributor({ key: 'auth', order: 1000 })
export class AuthPersonalDataContributor implements PersonalDataContributor {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly passwords: PasswordService,
    private readonly discovery: DiscoveryService,
  ) {}

  describe(): PersonalDataDescription {
    return {
      categories: [
        {
          category: 'auth.account',
          processing: {
            purpose: 'Run the account: sign-in, contact, roles',
            legalBasis:
              'GDPR Art. 6(1)(b): performance of a contract (the travel-planning service the user signed up for)',
            retention: 'Until the account is erased',
            recipients: ['Email delivery provider (SMTP relay)'],
          },
          description:
            'Your account: email, name, roles, status, password hash, MFA secret and backup codes, sign-in timestamps. Deleted; while kept bookings still reference it, an empty row (no email, name or credentials) remains, purged with the last of them.',
          tables: ['users'],
          erasure: 'delete',
        },
        {
          category: 'auth.refresh_sessions',
          processing: {
            purpose: 'Keep devices signed in; detect token misuse',
            legalBasis:
              'GDPR Art. 6(1)(b): performance of a contract (the travel-planning service the user signed up for)',
            retention: '30 days after the device session ends (retention policy refresh_sessions)',
            recipients: [],
          },
          description: 'Signed-in devices: IP address, user agent, sign-in method and times.',
          tables: ['refresh_sessions'],
          erasure: 'delete',
        },
        {
          category: 'auth.identities',
          processing: {
            purpose: 'Sign-in through external identity providers',
            legalBasis:
              'GDPR Art. 6(1)(b): performance of a contract (the travel-planning service the user signed up for)',
            retention: 'Until unlinked or the account is erased',
            recipients: ['The linked OpenID Connect identity provider'],
          },
          description: 'Linked sign-in providers (issuer, subject, email they asserted).',
          tables: ['external_identities'],
          erasure: 'delete',
        },
        {
          category: 'auth.one_time_tokens',
          processing: {
            purpose: 'Email verification, password reset and MFA',
            legalBasis:
              'GDPR Art. 6(1)(b): performance of a contract (the travel-planning service the user signed up for)',
            retention: '7 days after expiry (retention policy one_time_tokens)',
            recipients: ['Email delivery provider (SMTP relay)'],
          },
          description: 'Pending email verification, password reset and MFA tokens (hashed).',
          tables: ['one_time_tokens'],
          erasure: 'delete',
        },
        {
          category: 'auth.auth_events',
          processing: {
            purpose: 'Security monitoring of sign-ins',
            legalBasis: 'GDPR Art. 6(1)(f): legitimate interest (account security)',
            retention: '1 year (retention policy auth_events)',
            recipients: [],
          },
          description:
            'The security trail of your account: sign-ins, failures, changes, with IP and user agent.',
          tables: ['auth_events'],
          erasure: 'delete',
        },
        {
          category: 'auth.login_failures',
          processing: {
            purpose: 'Lock out password guessing per client address without locking the owner out',
            legalBasis: 'GDPR Art. 6(1)(f): legitimate interest (account security)',
            retention:
              '1 day after the last failure or the end of the lock (retention policy login_failures)',
            recipients: [],
          },
          description:
            'Failed sign-ins to your account per client address: the address, how many in a row, until when it is locked.',
          tables: ['login_failures'],
          erasure: 'delete',
        },
      ],
    };
  }

  async export(userId: string, sink: PersonalDataSink): Promise<void> {
    const accounts = (await this.dataSource.query(
      `SELECT id, email, full_name, status, roles, email_verified_at, last_login_at,
              password_changed_at, (password_hash IS NOT NULL) AS has_password, mfa_enabled_at,
              created_at, updated_at
         FROM users WHERE id = $1`,
      [userId],
    )) as AccountRow[];
    const account = accounts[0];
    await sink.value(
      'account',
      account
        ? {
            id: account.id,
            email: account.email,
            fullName: account.full_name,
            status: account.status,
            roles: account.roles,
            emailVerifiedAt: iso(account.email_verified_at),
            hasPassword: account.has_password,
            mfaEnabledAt: iso(account.mfa_enabled_at),
            lastLoginAt: iso(account.last_login_at),
            passwordChangedAt: iso(account.password_changed_at),
            createdAt: iso(account.created_at),
            updatedAt: iso(account.updated_at),
          }
        : null,
    );
    await sink.rows(
      'refreshSessions',
      this.rows(
        `SELECT id, method, ip, user_agent, created_at, last_used_at, idle_expires_at,
                absolute_expires_at, revoked_at, revoked_reason
           FROM refresh_sessions WHERE user_id = $1`,
        userId,
        (row) => ({
          id: row.id as string,
          method: row.method as string,
          ip: row.ip as string | null,
          userAgent: row.user_agent as string | null,
          createdAt: iso(row.created_at as Date),
          lastUsedAt: iso(row.last_used_at as Date),
          idleExpiresAt: iso(row.idle_expires_at as Date),
          absoluteExpiresAt: iso(row.absolute_expires_at as Date),
          revokedAt: iso(row.revoked_at as Date | null),
          revokedReason: row.revoked_reason as string | null,
        }),
      ),
    );
    await sink.rows(
      'identities',
      this.rows(
        `SELECT id, provider, issuer, subject, email, created_at, last_used_at
           FROM external_identities WHERE user_id = $1`,
        userId,
        (row) => ({
          id: row.id as string,
          provider: row.provider as string,
          issuer: row.issuer as string,
          subject: row.subject as string,
          email: row.email as string | null,
          createdAt: iso(row.created_at as Date),
          lastUsedAt: iso(row.last_used_at as Date | null),
        }),
      ),
    );
    await sink.rows(
      'oneTimeTokens',
      this.rows(
        `SELECT id, purpose, created_at, expires_at, used_at FROM one_time_tokens WHERE user_id = $1`,
        userId,
        (row) => ({
          id: row.id as string,
          purpose: row.purpose as string,
          createdAt: iso(row.created_at as Date),
          expiresAt: iso(row.expires_at as Date),
          usedAt: iso(row.used_at as Date | null),
        }),
      ),
    );
    await sink.rows(
      'loginFailures',
      this.rows(
        `SELECT id, client_ip, failures, locked_until, last_failed_at
           FROM login_failures WHERE user_id = $1`,
        userId,
        (row) => ({
          id: row.id as string,
          clientIp: row.client_ip as string,
          failures: row.failures as number,
          lockedUntil: iso(row.locked_until as Date | null),
          lastFailedAt: iso(row.last_failed_at as Date),
        }),
      ),
    );
    await sink.rows(
      'authEvents',
      this.rows(
        `SELECT id, type, ip, user_agent, session_id, metadata, created_at
           FROM auth_events WHERE user_id = $1`,
        userId,
        (row) => ({
          id: row.id as string,
          type: row.type as string,
          ip: row.ip as string | null,
          userAgent: row.user_agent as string | null,
          sessionId: row.session_id as string | null,
          metadata: row.metadata,
          occurredAt: iso(row.created_at as Date),
        }),
      ),
    );
  }

  async erase(userId: string, manager: EntityManager): Promise<ErasureCount[]> {
    // Serialises concurrent erasures of one account: the second finds it gone (or a tombstone).
    const locked = (await manager.query(`SELECT status FROM users WHERE id = $1 FOR UPDATE`, [
      userId,
    ])) as { status: string }[];
    if (locked.length === 0 || locked[0]?.status === 'deleted') {
      throw notFound('USER_NOT_FOUND', 'The account no longer exists.');
    }
    const remove = (table: string) =>
      deleteCount(manager, `DELETE FROM ${table} WHERE user_id = $1`, [userId]);
    const authEvents = await remove('auth_events');
    const oneTimeTokens = await remove('one_time_tokens');
    const identities = await remove('external_identities');
    const refreshSessions = await remove('refresh_sessions');
    const loginFailures = await remove('login_failures');
    const account = await this.removeAccount(userId, manager);
    return [
      { category: 'auth.account', rows: account },
      { category: 'auth.refresh_sessions', rows: refreshSessions },
      { category: 'auth.identities', rows: identities },
      { category: 'auth.one_time_tokens', rows: oneTimeTokens },
      { category: 'auth.auth_events', rows: authEvents },
      { category: 'auth.login_failures', rows: loginFailures },
    ];
  }

  /**
   * Deletes the account row; when records kept for legal retention still reference it (bookings:
   * FK RESTRICT), keeps an empty tombstone instead: status `deleted`, no email, name, password,
   * MFA or roles beyond `user`. Either way nothing can sign in as it again.
   */
  private async removeAccount(userId: string, manager: EntityManager): Promise<number> {
    await manager.query('SAVEPOINT erase_account');
    try {
      const deleted = await deleteCount(manager, `DELETE FROM users WHERE id = $1`, [userId]);
      await manager.query('RELEASE SAVEPOINT erase_account');
      return deleted;
    } catch (error) {
      const code =
        (error as { code?: string }).code ??
        (error as { driverError?: { code?: string } }).driverError?.code;
      if (code !== FOREIGN_KEY_VIOLATION) throw error;
      await manager.query('ROLLBACK TO SAVEPOINT erase_account');
    }
    return deleteCount(
      manager,
      `UPDATE users
          SET email = 'erased-' || id || '@erased.invalid', full_name = 'Erased account',
              password_hash = NULL, status = 'deleted', roles = '{user}', email_verified_at = NULL,
              failed_login_count = 0, failed_login_window_started_at = NULL, locked_until = NULL, last_login_at = NULL,
              password_changed_at = NULL, mfa_totp_secret = NULL, mfa_enabled_at = NULL,
              mfa_backup_code_hashes = '{}', mfa_last_time_step = NULL
        WHERE id = $1`,
      [userId],
    );
  }

  /**
   * Accounts with a password must send it; accounts without one (OpenID Connect only) need an
   * access token issued in the last 10 minutes.
   */
  async confirmIdentity(userId: string, proof: IdentityProof): Promise<void> {
    const rows = (await this.dataSource.query(`SELECT password_hash FROM users WHERE id = $1`, [
      userId,
    ])) as { password_hash: string | null }[];
    const row = rows[0];
    if (!row) throw notFound('USER_NOT_FOUND', 'The account no longer exists.');
    if (row.password_hash) {
      if (!proof.password) {
        throw forbidden('REAUTHENTICATION_REQUIRED', 'Confirm with your password.', {
          errors: { password: ['password is required'] },
        });
      }
      if (!(await this.passwords.verify(row.password_hash, proof.password))) {
        throw forbidden('REAUTHENTICATION_FAILED', 'The password is not correct.');
      }
      return;
    }
    const age = Math.floor(Date.now() / 1000) - proof.tokenIssuedAt;
    if (age > FRESH_TOKEN_SECONDS) {
      throw forbidden(
        'REAUTHENTICATION_REQUIRED',
        'Sign in again: deleting an account without a password needs a token issued in the last 10 minutes.',
        { maxTokenAgeSeconds: FRESH_TOKEN_SECONDS },
      );
    }
  }

  retentionTasks(): readonly RetentionTask[] {
    return [
      deleteInBatchesTask('auth_events', 'auth_events', 'created_at < $1'),
      deleteInBatchesTask(
        'refresh_sessions',
        'refresh_sessions',
        'coalesce(revoked_at, least(idle_expires_at, absolute_expires_at)) < $1',
      ),
      deleteInBatchesTask('one_time_tokens', 'one_time_tokens', 'expires_at < $1'),
      deleteInBatchesTask(
        'login_failures',
        'login_failures',
        'greatest(last_failed_at, coalesce(locked_until, last_failed_at)) < $1',
      ),
      deleteInBatchesTask('oauth_login_flows', 'oauth_login_flows', 'expires_at < $1'),
      // The empty rows erasure leaves while other modules' kept rows reference the account (FK
      // RESTRICT; bookings): each such module says when through `referencesAccountSql`. Their
      // tasks run first (lower contributor order), so the last purged booking frees its account
      // in the same run.
      deleteInBatchesTask(
        'erased_accounts',
        'users',
        [
          `status = 'deleted' AND updated_at <= $1`,
          ...this.accountReferences().map((condition) => `NOT ${condition}`),
        ].join(' AND '),
      ),
    ];
  }

  /** The other contributors' conditions for "still references the account `users.id`". */
  private accountReferences(): string[] {
    const contributors = new Set<PersonalDataContributor>();
    for (const wrapper of this.discovery.getProviders({
      metadataKey: PersonalDataContributor.KEY,
    })) {
      const instance = wrapper.instance as PersonalDataContributor | undefined;
      if (instance && instance !== this) contributors.add(instance);
    }
    return [...contributors].flatMap((contributor) =>
      contributor.referencesAccountSql ? [`(${contributor.referencesAccountSql('users.id')})`] : [],
    );
  }

  private rows<T>(sql: string, userId: string, map: (row: Record<string, unknown>) => T) {
    return userRows(this.dataSource, sql, userId, map);
  }
}
