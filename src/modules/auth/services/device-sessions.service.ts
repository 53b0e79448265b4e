import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { ProblemException } from '#libs/common/errors/problem.exception.js';
import { type AppConfig, InjectConfig } from '#config/app-config.js';
import type { TokenPairDto } from '../dto/token-pair.dto.js';
import type { RefreshSessionEntity } from '../entities/refresh-session.entity.js';
import { DeviceSessionsRepository } from '../repositories/device-sessions.repository.js';
import { UsersRepository } from '../repositories/users.repository.js';
import { AuthEventsService } from './auth-events.service.js';
import type { RequestMeta } from './request-meta.js';
import { sha256, TokenService } from './token.service.js';

/** Longest chain walk when checking an old refresh token (rotations since it was issued). */
const MAX_CHAIN_WALK = 1000;

/** Authentication methods references (RFC 8176) a sign-in method proves. */
export function amrOf(method: string): string[] {
  if (method === 'mfa') return ['pwd', 'otp'];
  if (method.startsWith('oidc+mfa:')) return ['oidc', 'otp'];
  if (method.startsWith('oidc:')) return ['oidc'];
  return ['pwd'];
}

export const invalidRefreshToken = (): ProblemException =>
  new ProblemException(401, 'INVALID_REFRESH_TOKEN', 'The refresh token is invalid or expired.');

@Injectable()
export class DeviceSessionsService {
  constructor(
    private readonly sessions: DeviceSessionsRepository,
    private readonly users: UsersRepository,
    @InjectConfig() private readonly config: AppConfig,
    private readonly tokens: TokenService,
    private readonly events: AuthEventsService,
  ) {}

  /** Opens a device session and returns its first token pair. */
  async create(
    userId: string,
    method: string,
    meta: RequestMeta,
    manager?: EntityManager,
  ): Promise<TokenPairDto & { sessionId: string }> {
    const sessions = this.on(manager);
    const now = new Date();
    const secret = this.tokens.newRefreshSecret();
    const amr = amrOf(method);
    const session = sessions.create({
      userId,
      method,
      authTime: now,
      amr,
      mfaVerifiedAt: amr.includes('otp') ? now : null,
      secretHash: sha256(secret),
      previousSecretHash: null,
      rotationCounter: 0,
      rotatedAt: now,
      ip: meta.ip,
      userAgent: meta.userAgent,
      lastUsedAt: now,
      idleExpiresAt: this.after(now, this.config.REFRESH_IDLE_TTL_SECONDS),
      absoluteExpiresAt: this.after(now, this.config.REFRESH_ABSOLUTE_TTL_SECONDS),
    });
    await sessions.insert(session);
    return { ...this.pair(session, secret), sessionId: session.id };
  }

  /**
   * Rotation with reuse detection. The current token rotates; the token just rotated returns the
   * identical successor inside the grace window; any older genuine token (or the previous one
   * after the window) revokes the whole session (family) and is refused.
   */
  async refresh(refreshToken: string, meta: RequestMeta): Promise<TokenPairDto> {
    const parsed = this.tokens.parseRefresh(refreshToken);
    if (!parsed) throw invalidRefreshToken();
    const outcome = await this.sessions.transaction(async (sessions, manager) => {
      const session = await sessions.findByIdForUpdate(parsed.sessionId);
      if (!session) return { error: invalidRefreshToken() };
      const behind = session.rotationCounter - parsed.counter;
      if (behind < 0 || behind > MAX_CHAIN_WALK) return { error: invalidRefreshToken() };
      // Prove the token genuine: walking the HMAC chain forward must reach the stored secret.
      // Walked with each key that verifies (the current one first): a chain written before a
      // data-key rotation proves genuine under its own key (a walk across one does not).
      let successor: string | null = null;
      let genuine = false;
      for (const step of behind === 0 ? [null] : this.tokens.refreshChainSteps()) {
        let secret = parsed.secret;
        successor = null;
        for (let index = 0; step && index < behind; index += 1) {
          secret = step(secret);
          if (index === 0) successor = secret;
        }
        if (sha256(secret) === session.secretHash) {
          genuine = true;
          break;
        }
      }
      if (!genuine) return { error: invalidRefreshToken() };
      const now = new Date();
      if (session.revokedAt || session.absoluteExpiresAt <= now || session.idleExpiresAt <= now) {
        return { error: invalidRefreshToken() };
      }
      const status = await this.users.withManager(manager).statusOf(session.userId);
      if (status === undefined || status === 'deleted') return { error: invalidRefreshToken() };
      if (status === 'suspended') {
        return {
          error: new ProblemException(403, 'ACCOUNT_SUSPENDED', 'This account is suspended.'),
        };
      }
      if (behind === 1 && successor !== null) {
        const graceEnds =
          session.rotatedAt.getTime() + this.config.REFRESH_REUSE_GRACE_SECONDS * 1000;
        if (now.getTime() <= graceEnds) return { pair: this.pair(session, successor) };
      }
      if (behind >= 1) {
        await sessions.revokeForReuse(session.id, now);
        await this.events.record(
          'refresh_reuse',
          {
            userId: session.userId,
            sessionId: session.id,
            meta,
            metadata: { presentedCounter: parsed.counter, currentCounter: session.rotationCounter },
          },
          manager,
        );
        return {
          error: new ProblemException(
            401,
            'REFRESH_TOKEN_REUSED',
            'This refresh token was already used; the session has been signed out.',
          ),
        };
      }
      const next = this.tokens.nextRefreshSecret(parsed.secret);
      session.previousSecretHash = session.secretHash;
      session.secretHash = sha256(next);
      session.rotationCounter += 1;
      session.rotatedAt = now;
      session.lastUsedAt = now;
      session.idleExpiresAt = this.after(now, this.config.REFRESH_IDLE_TTL_SECONDS);
      if (meta.ip) session.ip = meta.ip;
      if (meta.userAgent) session.userAgent = meta.userAgent;
      await sessions.save(session);
      return { pair: this.pair(session, next) };
    });
    if ('error' in outcome && outcome.error) throw outcome.error;
    return (outcome as { pair: TokenPairDto }).pair;
  }

  /**
   * Step-up: the caller proved who they are again on this device session. The session gets a
   * fresh secret (its previous refresh token stops working) and `auth_time` now.
   */
  async reauthenticate(
    userId: string,
    sessionId: string,
    amr: readonly string[],
    meta: RequestMeta,
  ): Promise<TokenPairDto> {
    return this.sessions.transaction(async (sessions) => {
      const session = await sessions.findOwnedForUpdate(userId, sessionId);
      const now = new Date();
      if (!session || session.revokedAt || session.absoluteExpiresAt <= now) {
        throw invalidRefreshToken();
      }
      const secret = this.tokens.newRefreshSecret();
      session.previousSecretHash = null;
      session.secretHash = sha256(secret);
      session.rotationCounter += 1;
      session.rotatedAt = now;
      session.lastUsedAt = now;
      session.authTime = now;
      session.amr = [...amr];
      if (amr.includes('otp')) session.mfaVerifiedAt = now;
      session.idleExpiresAt = this.after(now, this.config.REFRESH_IDLE_TTL_SECONDS);
      if (meta.ip) session.ip = meta.ip;
      await sessions.save(session);
      return this.pair(session, secret);
    });
  }

  /** Records that this device session passed a second factor (e.g. the one that enabled TOTP). */
  async markMfaPassed(userId: string, sessionId: string, manager?: EntityManager): Promise<void> {
    await this.on(manager).markMfaPassed(userId, sessionId, new Date());
  }

  /** Revokes one of the user's live sessions; false when there is none with that id. */
  async revoke(
    userId: string,
    sessionId: string,
    reason: string,
    manager?: EntityManager,
  ): Promise<boolean> {
    return this.on(manager).revoke(userId, sessionId, reason);
  }

  /** Revokes every live session of the user, except `keepSessionId` when given. */
  async revokeAll(
    userId: string,
    reason: string,
    keepSessionId?: string,
    manager?: EntityManager,
  ): Promise<number> {
    return this.on(manager).revokeAll(userId, reason, keepSessionId);
  }

  liveSessionsQuery(userId: string) {
    return this.sessions.liveQuery(userId);
  }

  isLive(userId: string, sessionId: string): Promise<boolean> {
    return this.sessions.isLive(userId, sessionId);
  }

  private on(manager: EntityManager | undefined): DeviceSessionsRepository {
    return manager ? this.sessions.withManager(manager) : this.sessions;
  }

  private pair(session: RefreshSessionEntity, secret: string): TokenPairDto {
    return {
      accessToken: this.tokens.signAccess(session),
      refreshToken: this.tokens.formatRefresh(session.id, session.rotationCounter, secret),
      tokenType: 'Bearer',
      expiresIn: this.tokens.accessTtlSeconds,
    };
  }

  private after(from: Date, seconds: number): Date {
    return new Date(from.getTime() + seconds * 1000);
  }
}
