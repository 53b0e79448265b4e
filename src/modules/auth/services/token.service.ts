import { createHash, randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { KeyedHasher } from '#libs/common/crypto/keyed-hash.js';
import { type AppConfig, InjectConfig } from '#config/app-config.js';
import { dataMasterKeys } from '#config/key-rings.js';

/** The one algorithm access tokens are signed and verified with. */
export const ACCESS_TOKEN_ALGORITHM = 'HS256';

export interface AccessTokenClaims {
  sub: string;
  sid: string;
  iat: number;
  exp: number;
  jti: string;
  /** Seconds since epoch of the sign-in (or step-up) that the device session carries. */
  auth_time: number;
  /** Authentication methods references (RFC 8176): `pwd`, `otp`, `oidc`. */
  amr: string[];
}

/** What an access token says about its device session. */
export interface AccessTokenSession {
  userId: string;
  id: string;
  rotationCounter: number;
  rotatedAt: Date;
  authTime: Date;
  amr: string[];
}

export interface ParsedRefreshToken {
  sessionId: string;
  counter: number;
  secret: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const REFRESH = /^rt1\.([0-9a-f-]{36})\.(\d{1,9})\.([A-Za-z0-9_-]{43})$/;

export function sha256(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID.test(value);
}

/**
 * Access tokens (HS256 JWTs) and refresh tokens `rt1.<sessionId>.<counter>.<secret>`.
 * Each rotated secret is HMAC(refreshKey, previous secret): the successor of a token can be
 * recomputed (the grace window answers the identical pair without storing it), and any genuine
 * older token can be proven genuine by walking the chain forward to the stored hash.
 */
@Injectable()
export class TokenService {
  private readonly jwt: JwtService;
  private readonly refreshChain: KeyedHasher;
  private readonly backupCodes: KeyedHasher;

  constructor(@InjectConfig() private readonly config: AppConfig) {
    this.jwt = new JwtService({
      secret: config.JWT_SECRET,
      signOptions: {
        algorithm: ACCESS_TOKEN_ALGORITHM,
        issuer: config.JWT_ISSUER,
        audience: config.JWT_AUDIENCE,
      },
    });
    // Keyed from the data key ring (not the JWT secret): rotating JWT_SECRETS voids neither.
    // Hashes from earlier releases were keyed from the JWT secret(s): those still verify.
    const masters = dataMasterKeys(config.DATA_KEY_RING);
    this.refreshChain = new KeyedHasher('refresh-token-chain', masters, config.JWT_SECRETS);
    this.backupCodes = new KeyedHasher('backup-codes', masters, config.JWT_SECRETS);
  }

  get accessTtlSeconds(): number {
    return this.config.JWT_ACCESS_TTL_SECONDS;
  }

  /** Deterministic for the session's state: same inputs, same token. */
  signAccess(session: AccessTokenSession): string {
    const iat = Math.floor(session.rotatedAt.getTime() / 1000);
    const claims: AccessTokenClaims = {
      sub: session.userId,
      sid: session.id,
      iat,
      exp: iat + this.config.JWT_ACCESS_TTL_SECONDS,
      jti: `${session.id}.${session.rotationCounter}`,
      auth_time: Math.floor(session.authTime.getTime() / 1000),
      amr: [...session.amr],
    };
    return this.jwt.sign(claims);
  }

  newRefreshSecret(): string {
    return randomToken(32);
  }

  /** The successor of a refresh secret, under the current key. */
  nextRefreshSecret(secret: string): string {
    return this.refreshChain.mac(secret);
  }

  /**
   * Successor functions of every key that verifies (the current one first): a chain written
   * before a key rotation is walked with the key it was written under.
   */
  refreshChainSteps(): Array<(secret: string) => string> {
    return this.refreshChain.macFunctions();
  }

  formatRefresh(sessionId: string, counter: number, secret: string): string {
    return `rt1.${sessionId}.${counter}.${secret}`;
  }

  parseRefresh(token: string): ParsedRefreshToken | null {
    const match = REFRESH.exec(token);
    if (!match || !isUuid(match[1])) return null;
    return { sessionId: match[1], counter: Number(match[2]), secret: match[3] as string };
  }

  /** Keyed hash for low-entropy-ish secrets we only compare (backup codes): `<keyId>:<hex>`. */
  keyedHash(value: string): string {
    return this.backupCodes.hash(value);
  }

  /** True when `stored` (any key of the ring, or a hash of an earlier release) hashes `value`. */
  keyedHashMatches(stored: string, value: string): boolean {
    return this.backupCodes.matches(stored, value);
  }

  /** Key id prefix of hashes written under the current key (stale ones show another). */
  get keyedHashKeyId(): string {
    return this.backupCodes.currentKeyId;
  }
}
