import { Inject, Injectable, Optional } from '@nestjs/common';
import {
  badRequest,
  conflict,
  forbidden,
  ProblemException,
} from '#libs/common/errors/problem.exception.js';
import { CONSENT_RECORDER, type ConsentRecorder } from '#libs/common/compliance-ports.js';
import { RateLimiters, tooManyRequests } from '#libs/common/http/rate-limit.js';
import { type AppConfig, InjectConfig } from '#config/app-config.js';
import type {
  AuthResponseDto,
  ChangePasswordDto,
  MfaChallengeResponseDto,
  RegisterDto,
} from '../dto/auth.dto.js';
import { toUserResponse, type UserResponseDto } from '../dto/user-response.dto.js';
import type { UserEntity } from '../entities/user.entity.js';
import { MAILER, type Mailer } from '../mailer/mailer.js';
import { PasswordService } from '../passwords/password.service.js';
import { UsersRepository } from '../repositories/users.repository.js';
import { AuthEventsService } from './auth-events.service.js';
import { OneTimeTokenService } from './one-time-token.service.js';
import type { RequestMeta } from './request-meta.js';
import { DeviceSessionsService } from './device-sessions.service.js';
import { lockedProblem } from './lockout.js';
import { LoginLockoutService } from './login-lockout.service.js';
import { sha256 } from './token.service.js';
import { UsersService } from './users.service.js';

const VERIFICATION_TTL_SECONDS = 24 * 3600;
const RESET_TTL_SECONDS = 3600;
const MFA_CHALLENGE_TTL_SECONDS = 300;
/** Failed logins allowed per client address per 15 minutes, across all accounts. */
const IP_FAILURE_WINDOW_SECONDS = 900;

export const invalidCredentials = (): ProblemException =>
  new ProblemException(401, 'INVALID_CREDENTIALS', 'The email or password is incorrect.');

export const accountSuspended = (): ProblemException =>
  forbidden('ACCOUNT_SUSPENDED', 'This account is suspended.');

export { lockedProblem, lockoutSeconds } from './lockout.js';

@Injectable()
export class AuthService {
  constructor(
    private readonly accounts: UsersRepository,
    @InjectConfig() private readonly config: AppConfig,
    @Inject(MAILER) private readonly mailer: Mailer,
    private readonly passwords: PasswordService,
    private readonly sessions: DeviceSessionsService,
    private readonly oneTimeTokens: OneTimeTokenService,
    private readonly events: AuthEventsService,
    private readonly users: UsersService,
    private readonly limiters: RateLimiters,
    private readonly lockout: LoginLockoutService,
    @Optional() @Inject(CONSENT_RECORDER) private readonly consentRecorder?: ConsentRecorder,
  ) {
    limiters.define('login-ip-failures', {
      points: Math.max(50, config.LOGIN_MAX_FAILURES * 10),
      duration: IP_FAILURE_WINDOW_SECONDS,
    });
    limiters.define('verify-email-resend', { points: 5, duration: 3600 });
    // Unknown emails "lock" like real accounts, so a lockout does not reveal that an account exists.
    limiters.define('login-unknown-email', {
      points: config.LOGIN_MAX_FAILURES,
      duration: config.LOGIN_LOCKOUT_SECONDS,
    });
  }

  async register(dto: RegisterDto, meta: RequestMeta): Promise<AuthResponseDto> {
    const consents = dto.consents ?? [];
    if (consents.length > 0 && !this.consentRecorder) {
      throw new ProblemException(
        503,
        'CONSENT_LEDGER_UNAVAILABLE',
        'Consents cannot be recorded right now; retry later or register without them.',
        { headers: { 'Retry-After': '60' } },
      );
    }
    const email = this.users.normalizeEmail(dto.email);
    this.passwords.assertAcceptable(dto.password, email);
    const passwordHash = await this.passwords.hash(dto.password);
    const { user, tokens, verificationToken } = await this.accounts.transaction(
      async (accounts, manager) => {
        const user = accounts.create({
          email,
          passwordHash,
          fullName: dto.fullName.trim(),
          status: 'pending_verification',
          roles: ['user'],
        });
        await accounts.save(user);
        for (const consent of consents) {
          await this.consentRecorder?.record(
            {
              subjectId: user.id,
              purpose: consent.purpose,
              version: consent.version,
              granted: consent.granted,
              source: 'registration',
              ip: meta.ip,
              userAgent: meta.userAgent,
            },
            manager,
          );
        }
        const verificationToken = await this.oneTimeTokens.issue(
          user.id,
          'email_verification',
          VERIFICATION_TTL_SECONDS,
          manager,
        );
        const tokens = await this.sessions.create(user.id, 'password', meta, manager);
        await this.events.record(
          'register',
          { userId: user.id, sessionId: tokens.sessionId, meta },
          manager,
        );
        return { user, tokens, verificationToken };
      },
    );
    await this.sendVerificationMail(user, verificationToken);
    const { sessionId: _sessionId, ...pair } = tokens;
    return { user: toUserResponse(user), ...pair };
  }

  async verifyEmail(token: string, meta: RequestMeta): Promise<UserResponseDto> {
    return this.accounts.transaction(async (accounts, manager) => {
      const used = await this.oneTimeTokens.consume(token, 'email_verification', manager);
      if (!used) throw invalidToken();
      const user = await this.users.getById(used.userId, manager);
      user.emailVerifiedAt ??= new Date();
      if (user.status === 'pending_verification') user.status = 'active';
      await accounts.save(user);
      await this.events.record('email_verified', { userId: user.id, meta }, manager);
      return toUserResponse(user);
    });
  }

  async resendVerification(userId: string): Promise<void> {
    const user = await this.users.getById(userId);
    if (user.emailVerifiedAt) {
      throw conflict('EMAIL_ALREADY_VERIFIED', 'The email address is already verified.');
    }
    await this.limiters.consume('verify-email-resend', user.id);
    const token = await this.accounts.transaction(async (_accounts, manager) => {
      await this.oneTimeTokens.revokeAll(user.id, 'email_verification', manager);
      return this.oneTimeTokens.issue(
        user.id,
        'email_verification',
        VERIFICATION_TTL_SECONDS,
        manager,
      );
    });
    await this.sendVerificationMail(user, token);
  }

  /**
   * Password sign-in. Unknown email and wrong password give the same answer after the same
   * work (a dummy argon2 verify). Per account and address: LOGIN_MAX_FAILURES failures in a row
   * lock that pair with an escalating delay; per account: LOGIN_MAX_FAILURES_PER_ACCOUNT an hour
   * from all addresses lock it (LoginLockoutService); per address: a cap across accounts.
   */
  async login(
    emailInput: string,
    password: string,
    meta: RequestMeta,
  ): Promise<AuthResponseDto | MfaChallengeResponseDto> {
    const ipKey = meta.ip ?? 'unknown';
    const ipState = await this.limiters.get('login-ip-failures').get(ipKey);
    if (ipState && ipState.remainingPoints <= 0) {
      throw tooManyRequests(
        'TOO_MANY_LOGIN_FAILURES',
        'Too many failed sign-ins from this address; try again later.',
        ipState.msBeforeNext,
      );
    }
    const user = await this.users.findByEmail(emailInput);
    if (!user || user.status === 'deleted' || !user.passwordHash) {
      // Keyed like real accounts (per address), so a lockout does not reveal that one exists.
      const emailKey = sha256(`${this.users.normalizeEmail(emailInput)}|${ipKey}`);
      const unknown = await this.limiters.get('login-unknown-email').get(emailKey);
      if (unknown && unknown.consumedPoints >= this.config.LOGIN_MAX_FAILURES) {
        throw lockedProblem(unknown.msBeforeNext);
      }
      await this.passwords.dummyVerify(password);
      await this.limiters
        .get('login-unknown-email')
        .consume(emailKey)
        .catch(() => undefined);
      await this.recordFailure(null, ipKey, meta, user?.id ?? null);
      throw invalidCredentials();
    }
    await this.lockout.assertNotLocked(user, ipKey);
    if (!(await this.passwords.verify(user.passwordHash, password))) {
      await this.recordFailure(user, ipKey, meta, user.id);
      throw invalidCredentials();
    }
    if (user.status === 'suspended') throw accountSuspended();
    const rehash = this.passwords.needsRehash(user.passwordHash)
      ? await this.passwords.hash(password)
      : null;
    // The account-wide count is an hourly window: a success does not reset it, or an attacker
    // could keep guessing across addresses for as long as the owner keeps signing in.
    await this.lockout.clearAddress(user.id, ipKey);
    await this.accounts.update(user.id, {
      lastLoginAt: new Date(),
      ...(rehash ? { passwordHash: rehash } : {}),
    });
    if (user.mfaEnabledAt) return this.mfaChallenge(user.id);
    return this.signIn(user, 'password', meta);
  }

  /**
   * The second step of a sign-in: a single-use challenge token for POST /auth/login/mfa. After an
   * identity provider the token carries the provider (`oidc.<name>.…`, hashed with the rest), so
   * the session records amr `oidc`+`otp` instead of `pwd`+`otp`.
   */
  async mfaChallenge(userId: string, provider?: string): Promise<MfaChallengeResponseDto> {
    const mfaToken = await this.oneTimeTokens.issue(
      userId,
      'mfa_challenge',
      MFA_CHALLENGE_TTL_SECONDS,
      undefined,
      provider ? `oidc.${provider}` : undefined,
    );
    return { mfaRequired: true, mfaToken };
  }

  /** Opens a session for a user who proved who they are. */
  async signIn(user: UserEntity, method: string, meta: RequestMeta): Promise<AuthResponseDto> {
    if (user.status === 'suspended') throw accountSuspended();
    const { sessionId, ...pair } = await this.sessions.create(user.id, method, meta);
    await this.events.record('login_success', {
      userId: user.id,
      sessionId,
      meta,
      metadata: { method },
    });
    return { user: toUserResponse(user), ...pair };
  }

  async forgotPassword(email: string, meta: RequestMeta): Promise<void> {
    const user = await this.users.findByEmail(email);
    if (!user || user.status === 'deleted' || user.status === 'suspended') return;
    const token = await this.oneTimeTokens.issue(user.id, 'password_reset', RESET_TTL_SECONDS);
    await this.events.record('password_reset_request', { userId: user.id, meta });
    const link = `${this.config.PUBLIC_BASE_URL}/reset-password?token=${token}`;
    await this.mailer.send({
      to: user.email,
      subject: 'Reset your Pathavana password',
      text:
        `Someone asked to reset the password of your Pathavana account.\n\n` +
        `Reset it within an hour: ${link}\n\nReset token: ${token}\n\n` +
        `If this was not you, ignore this message; your password stays unchanged.\n`,
    });
  }

  /** Sets a new password, lifts any lockout and signs every device out. */
  async resetPassword(token: string, password: string, meta: RequestMeta): Promise<void> {
    await this.accounts.transaction(async (accounts, manager) => {
      const used = await this.oneTimeTokens.consume(token, 'password_reset', manager);
      if (!used) throw invalidToken();
      const user = await this.users.getById(used.userId, manager);
      this.passwords.assertAcceptable(password, user.email);
      await accounts.update(user.id, {
        passwordHash: await this.passwords.hash(password),
        passwordChangedAt: new Date(),
      });
      await this.lockout.clearAll(user.id, manager);
      await this.oneTimeTokens.revokeAll(user.id, 'password_reset', manager);
      await this.sessions.revokeAll(user.id, 'password_reset', undefined, manager);
      await this.events.record('password_reset_complete', { userId: user.id, meta }, manager);
    });
  }

  /** Changes the password and signs the user's other devices out. */
  async changePassword(
    userId: string,
    sessionId: string,
    dto: ChangePasswordDto,
    meta: RequestMeta,
  ): Promise<void> {
    const user = await this.users.getById(userId);
    if (user.passwordHash) {
      if (
        dto.currentPassword === undefined ||
        !(await this.passwords.verify(user.passwordHash, dto.currentPassword))
      ) {
        throw new ProblemException(
          403,
          'INVALID_CURRENT_PASSWORD',
          'The current password is incorrect.',
        );
      }
    }
    // Accounts without a password: the route's @RequiresRecentAuth() (auth_time) is the proof.
    this.passwords.assertAcceptable(dto.newPassword, user.email, 'newPassword');
    const hash = await this.passwords.hash(dto.newPassword);
    await this.accounts.transaction(async (accounts, manager) => {
      await accounts.update(user.id, { passwordHash: hash, passwordChangedAt: new Date() });
      await this.sessions.revokeAll(user.id, 'password_change', sessionId, manager);
      await this.oneTimeTokens.revokeAll(user.id, 'password_reset', manager);
      await this.events.record('password_changed', { userId: user.id, sessionId, meta }, manager);
    });
  }

  async me(userId: string): Promise<UserResponseDto> {
    return toUserResponse(await this.users.getById(userId));
  }

  private async recordFailure(
    user: UserEntity | null,
    ipKey: string,
    meta: RequestMeta,
    userId: string | null,
  ): Promise<void> {
    await this.limiters
      .get('login-ip-failures')
      .consume(ipKey)
      .catch(() => undefined);
    await this.events.record('login_failed', { userId, meta });
    if (user) await this.lockout.recordFailure(user, ipKey, meta);
  }

  private async sendVerificationMail(user: UserEntity, token: string): Promise<void> {
    const link = `${this.config.PUBLIC_BASE_URL}/verify-email?token=${token}`;
    await this.mailer.send({
      to: user.email,
      subject: 'Verify your Pathavana email address',
      text:
        `Hello ${user.fullName},\n\nConfirm your email address within 24 hours: ${link}\n\n` +
        `Verification token: ${token}\n`,
    });
  }
}

export const invalidToken = (): ProblemException =>
  badRequest('INVALID_OR_EXPIRED_TOKEN', 'The token is invalid, expired or already used.');
