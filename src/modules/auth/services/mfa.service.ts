import { randomInt } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { generateSecret, generateURI, verify } from 'otplib';
import type { DataSource, EntityManager } from 'typeorm';
import { FieldCipher } from '#libs/common/crypto/field-cipher.js';
import { conflict, ProblemException } from '#libs/common/errors/problem.exception.js';
import type { AuthResponseDto } from '../dto/auth.dto.js';
import type { BackupCodesResponseDto, TotpSetupResponseDto } from '../dto/mfa.dto.js';
import { UserEntity } from '../entities/user.entity.js';
import { AuthEventsService } from './auth-events.service.js';
import { AuthService } from './auth.service.js';
import { OneTimeTokenService } from './one-time-token.service.js';
import type { RequestMeta } from './request-meta.js';
import { TokenService } from './token.service.js';
import { UsersService } from './users.service.js';

const TOTP_ISSUER = 'Pathavana';
const BACKUP_CODE_COUNT = 10;
const BACKUP_ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';
const MAX_CHALLENGE_ATTEMPTS = 5;

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
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly cipher: FieldCipher,
    private readonly tokens: TokenService,
    private readonly users: UsersService,
    private readonly oneTimeTokens: OneTimeTokenService,
    private readonly events: AuthEventsService,
    private readonly auth: AuthService,
  ) {}

  async setup(userId: string): Promise<TotpSetupResponseDto> {
    const user = await this.users.getById(userId);
    if (user.mfaEnabledAt) throw conflict('MFA_ALREADY_ENABLED', 'TOTP is already enabled.');
    const secret = generateSecret();
    await this.dataSource.manager.update(
      UserEntity,
      { id: user.id },
      { mfaTotpSecret: this.cipher.encrypt(secret, user.id), mfaLastTimeStep: null },
    );
    return {
      secret,
      otpauthUri: generateURI({ issuer: TOTP_ISSUER, label: user.email, secret }),
    };
  }

  async enable(userId: string, code: string, meta: RequestMeta): Promise<BackupCodesResponseDto> {
    return this.dataSource.transaction(async (manager) => {
      const user = await this.lockUser(userId, manager);
      if (user.mfaEnabledAt) throw conflict('MFA_ALREADY_ENABLED', 'TOTP is already enabled.');
      if (!user.mfaTotpSecret) {
        throw conflict('MFA_NOT_SET_UP', 'Call POST /auth/mfa/totp/setup first.');
      }
      if (!(await this.verifyTotp(user, code, manager))) throw invalidMfaCode();
      const backupCodes = Array.from({ length: BACKUP_CODE_COUNT }, newBackupCode);
      await manager.update(
        UserEntity,
        { id: user.id },
        {
          mfaEnabledAt: new Date(),
          mfaBackupCodeHashes: backupCodes.map((backup) => this.tokens.keyedHash(backup)),
        },
      );
      await this.events.record('mfa_enabled', { userId: user.id, meta }, manager);
      return { backupCodes };
    });
  }

  async disable(userId: string, code: string, meta: RequestMeta): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const user = await this.lockUser(userId, manager);
      if (!user.mfaEnabledAt) throw conflict('MFA_NOT_ENABLED', 'TOTP is not enabled.');
      if (!(await this.verifyCode(user, code, manager))) throw invalidMfaCode();
      await manager.update(
        UserEntity,
        { id: user.id },
        {
          mfaEnabledAt: null,
          mfaTotpSecret: null,
          mfaBackupCodeHashes: [],
          mfaLastTimeStep: null,
        },
      );
      await this.events.record('mfa_disabled', { userId: user.id, meta }, manager);
    });
  }

  /** Second step of a password login: the challenge token plus a TOTP or backup code. */
  async completeLogin(mfaToken: string, code: string, meta: RequestMeta): Promise<AuthResponseDto> {
    const challenge = await this.oneTimeTokens.findLive(mfaToken, 'mfa_challenge');
    if (!challenge || challenge.attempts >= MAX_CHALLENGE_ATTEMPTS) {
      throw new ProblemException(401, 'INVALID_MFA_TOKEN', 'The MFA token is invalid or expired.');
    }
    const passed = await this.dataSource.transaction(async (manager) => {
      const user = await this.lockUser(challenge.userId, manager);
      if (!user.mfaEnabledAt) return false;
      return this.verifyCode(user, code, manager);
    });
    if (!passed) {
      await this.dataSource.query(
        `UPDATE one_time_tokens SET attempts = attempts + 1 WHERE id = $1`,
        [challenge.id],
      );
      await this.events.record('mfa_challenge_failed', { userId: challenge.userId, meta });
      throw invalidMfaCode();
    }
    const consumed = await this.oneTimeTokens.consume(mfaToken, 'mfa_challenge');
    if (!consumed) {
      throw new ProblemException(401, 'INVALID_MFA_TOKEN', 'The MFA token is invalid or expired.');
    }
    await this.events.record('mfa_challenge_success', { userId: challenge.userId, meta });
    return this.auth.signIn(await this.users.getById(challenge.userId), 'mfa', meta);
  }

  private async lockUser(userId: string, manager: EntityManager): Promise<UserEntity> {
    const user = await manager.findOne(UserEntity, {
      where: { id: userId },
      lock: { mode: 'pessimistic_write' },
    });
    if (!user) throw invalidMfaCode();
    return user;
  }

  /** A TOTP code (6 digits) or an unused backup code, which is then spent. */
  private async verifyCode(
    user: UserEntity,
    code: string,
    manager: EntityManager,
  ): Promise<boolean> {
    const trimmed = code.trim();
    if (/^\d{6}$/.test(trimmed)) return this.verifyTotp(user, trimmed, manager);
    const hash = this.tokens.keyedHash(trimmed.toLowerCase());
    if (!user.mfaBackupCodeHashes.includes(hash)) return false;
    await manager.update(
      UserEntity,
      { id: user.id },
      { mfaBackupCodeHashes: user.mfaBackupCodeHashes.filter((stored) => stored !== hash) },
    );
    return true;
  }

  /** ±1 step of clock drift; a code's time step is never accepted twice. */
  private async verifyTotp(
    user: UserEntity,
    code: string,
    manager: EntityManager,
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
      await manager.update(UserEntity, { id: user.id }, { mfaLastTimeStep: String(step) });
    }
    return true;
  }
}
