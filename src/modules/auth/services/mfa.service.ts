import { randomInt } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { generateSecret, generateURI, verify } from 'otplib';

import { FieldCipher } from '#libs/common/crypto/field-cipher.js';
import { conflict, ProblemException } from '#libs/common/errors/problem.exception.js';
import { tooManyRequests } from '#libs/common/http/rate-limit.js';
import { type AppConfig, InjectConfig } from '#config/app-config.js';
import type { AuthResponseDto } from '../dto/auth.dto.js';
import type { BackupCodesResponseDto, TotpSetupResponseDto } from '../dto/mfa.dto.js';
import type { UserEntity } from '../entities/user.entity.js';
import { UsersRepository } from '../repositories/users.repository.js';
import { AuthEventsService } from './auth-events.service.js';
import { AuthService } from './auth.service.js';
import { DeviceSessionsService } from './device-sessions.service.js';
import { OneTimeTokenService } from './one-time-token.service.js';
import type { RequestMeta } from './request-meta.js';
import { TokenService } from './token.service.js';
import { UsersService } from './users.service.js';

const TOTP_ISSUER = 'Pathavana';
const BACKUP_CODE_COUNT = 10;
const BACKUP_ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';
const MAX_CHALLENGE_ATTEMPTS = 5;
const MAX_MFA_LOCK_SECONDS = 3600;

export const invalidMfaCode = (): ProblemException =>
  new ProblemException(401, 'INVALID_MFA_CODE', 'The code is incorrect or was already used.');

function newBackupCode(): string {
  const chars = Array.from(
    { length: 10 },
    () => BACKUP_ALPHABET[randomInt(BACKUP_ALPHABET.length)],
  );
  return `${chars.slice(0, 5).join('')}-${chars.slice(5).join('')}`;
}

/** TOTP second factor: secret encrypted at rest, replay-protected codes, hashed backup codes. */
@Injectable()
export class MfaService {
  constructor(
    private readonly accounts: UsersRepository,
    private readonly cipher: FieldCipher,
    private readonly tokens: TokenService,
    private readonly users: UsersService,
    private readonly oneTimeTokens: OneTimeTokenService,
    private readonly events: AuthEventsService,
    private readonly auth: AuthService,
    private readonly sessions: DeviceSessionsService,
    @InjectConfig() private readonly config: AppConfig,
  ) {}

  /**
   * Counts one attempt against the account's second-factor budget before any code is looked at
   * (in one statement, so parallel guesses past MFA_MAX_FAILURES find the lock and are never
   * evaluated; each lock after the first doubles, capped); 429 TOO_MANY_MFA_FAILURES while the
   * account's second factor is locked. A correct code resets both.
   */
  async reserveAttempt(userId: string): Promise<void> {
    const reserved = await this.accounts.reserveMfaAttempt(
      userId,
      this.config.MFA_MAX_FAILURES,
      this.config.LOGIN_LOCKOUT_SECONDS,
      MAX_MFA_LOCK_SECONDS,
    );
    if (reserved) return;
    const ms = await this.accounts.mfaLockRemainingMs(userId);
    throw tooManyRequests(
      'TOO_MANY_MFA_FAILURES',
      'Too many wrong authentication codes for this account; try again later.',
      Number(ms ?? 1000),
    );
  }

  /** A correct code: the consecutive-failure count and any second-factor lock end. */
  private async resetAttempts(userId: string, accounts: UsersRepository): Promise<void> {
    await accounts.update(userId, { mfaFailedCount: 0, mfaLockedUntil: null });
  }

  /**
   * A TOTP or backup code for a step-up (`POST /auth/reauthenticate`), counted like a login code.
   */
  async verifyForStepUp(userId: string, code: string, meta: RequestMeta): Promise<boolean> {
    await this.reserveAttempt(userId);
    const passed = await this.accounts.transaction(async (accounts) => {
      const user = await this.lockUser(userId, accounts);
      if (!user.mfaEnabledAt || !(await this.verifyCode(user, code, accounts))) return false;
      await this.resetAttempts(user.id, accounts);
      return true;
    });
    if (!passed) await this.events.record('mfa_challenge_failed', { userId, meta });
    return passed;
  }

  async setup(userId: string): Promise<TotpSetupResponseDto> {
    const user = await this.users.getById(userId);
    if (user.mfaEnabledAt) throw conflict('MFA_ALREADY_ENABLED', 'TOTP is already enabled.');
    const secret = generateSecret();
    await this.accounts.update(user.id, {
      mfaTotpSecret: this.cipher.encrypt(secret, user.id),
      mfaLastTimeStep: null,
    });
    return {
      secret,
      otpauthUri: generateURI({ issuer: TOTP_ISSUER, label: user.email, secret }),
    };
  }

  /** Enabling counts as passing the second factor for the device session that enables. */
  async enable(
    userId: string,
    sessionId: string,
    code: string,
    meta: RequestMeta,
  ): Promise<BackupCodesResponseDto> {
    await this.reserveAttempt(userId);
    return this.accounts.transaction(async (accounts, manager) => {
      const user = await this.lockUser(userId, accounts);
      if (user.mfaEnabledAt) throw conflict('MFA_ALREADY_ENABLED', 'TOTP is already enabled.');
      if (!user.mfaTotpSecret) {
        throw conflict('MFA_NOT_SET_UP', 'Call POST /auth/mfa/totp/setup first.');
      }
      if (!(await this.verifyTotp(user, code, accounts))) throw invalidMfaCode();
      await this.resetAttempts(user.id, accounts);
      await this.sessions.markMfaPassed(user.id, sessionId, manager);
      const backupCodes = Array.from({ length: BACKUP_CODE_COUNT }, newBackupCode);
      await accounts.update(user.id, {
        mfaEnabledAt: new Date(),
        mfaBackupCodeHashes: backupCodes.map((backup) => this.tokens.keyedHash(backup)),
      });
      await this.events.record('mfa_enabled', { userId: user.id, meta }, manager);
      return { backupCodes };
    });
  }

  async disable(userId: string, code: string, meta: RequestMeta): Promise<void> {
    await this.reserveAttempt(userId);
    await this.accounts.transaction(async (accounts, manager) => {
      const user = await this.lockUser(userId, accounts);
      if (!user.mfaEnabledAt) throw conflict('MFA_NOT_ENABLED', 'TOTP is not enabled.');
      if (!(await this.verifyCode(user, code, accounts))) throw invalidMfaCode();
      await this.resetAttempts(user.id, accounts);
      await accounts.update(user.id, {
        mfaEnabledAt: null,
        mfaTotpSecret: null,
        mfaBackupCodeHashes: [],
        mfaLastTimeStep: null,
      });
      await this.events.record('mfa_disabled', { userId: user.id, meta }, manager);
    });
  }

  /** Second step of a password login: the challenge token plus a TOTP or backup code. */
  async completeLogin(mfaToken: string, code: string, meta: RequestMeta): Promise<AuthResponseDto> {
    const challenge = await this.oneTimeTokens.findLive(mfaToken, 'mfa_challenge');
    if (!challenge || challenge.attempts >= MAX_CHALLENGE_ATTEMPTS) {
      throw new ProblemException(401, 'INVALID_MFA_TOKEN', 'The MFA token is invalid or expired.');
    }
    await this.reserveAttempt(challenge.userId);
    const passed = await this.accounts.transaction(async (accounts) => {
      const user = await this.lockUser(challenge.userId, accounts);
      if (!user.mfaEnabledAt || !(await this.verifyCode(user, code, accounts))) return false;
      await this.resetAttempts(user.id, accounts);
      return true;
    });
    if (!passed) {
      await this.oneTimeTokens.countAttempt(challenge.id);
      await this.events.record('mfa_challenge_failed', { userId: challenge.userId, meta });
      throw invalidMfaCode();
    }
    const consumed = await this.oneTimeTokens.consume(mfaToken, 'mfa_challenge');
    if (!consumed) {
      throw new ProblemException(401, 'INVALID_MFA_TOKEN', 'The MFA token is invalid or expired.');
    }
    await this.events.record('mfa_challenge_success', { userId: challenge.userId, meta });
    const viaProvider = /^oidc\.([a-z0-9]{1,32})\./i.exec(mfaToken)?.[1];
    const method = viaProvider ? `oidc+mfa:${viaProvider}` : 'mfa';
    return this.auth.signIn(await this.users.getById(challenge.userId), method, meta);
  }

  private async lockUser(userId: string, accounts: UsersRepository): Promise<UserEntity> {
    const user = await accounts.findByIdForUpdate(userId);
    if (!user) throw invalidMfaCode();
    return user;
  }

  /** A TOTP code (6 digits) or an unused backup code, which is then spent. */
  private async verifyCode(
    user: UserEntity,
    code: string,
    accounts: UsersRepository,
  ): Promise<boolean> {
    const trimmed = code.trim();
    if (/^\d{6}$/.test(trimmed)) return this.verifyTotp(user, trimmed, accounts);
    const value = trimmed.toLowerCase();
    const hash = user.mfaBackupCodeHashes.find((stored) =>
      this.tokens.keyedHashMatches(stored, value),
    );
    if (hash === undefined) return false;
    await accounts.update(user.id, {
      mfaBackupCodeHashes: user.mfaBackupCodeHashes.filter((stored) => stored !== hash),
    });
    return true;
  }

  /** ±1 step of clock drift; a code's time step is never accepted twice. */
  private async verifyTotp(
    user: UserEntity,
    code: string,
    accounts: UsersRepository,
  ): Promise<boolean> {
    if (!user.mfaTotpSecret || !/^\d{6}$/.test(code.trim())) return false;
    const secret = this.cipher.decrypt(user.mfaTotpSecret, user.id);
    const result = await verify({
      secret,
      token: code.trim(),
      epochTolerance: 30,
      ...(user.mfaLastTimeStep !== null ? { afterTimeStep: Number(user.mfaLastTimeStep) } : {}),
    });
    if (!result.valid) return false;
    const step = 'timeStep' in result ? result.timeStep : null;
    if (step !== null && step !== undefined) {
      await accounts.update(user.id, { mfaLastTimeStep: String(step) });
    }
    return true;
  }
}
