import { createHmac, createSecretKey, type KeyObject, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable, Optional } from '@nestjs/common';
import jwt from 'jsonwebtoken';
import type { AuthenticatedUser } from '#libs/common/auth/authenticated-user.js';
import type { BearerAuthenticator } from '#libs/common/auth/bearer-authenticator.js';
import {
  CONSENT_DECIDER,
  type ConsentDecider,
  type ConsentDecisionSql,
} from '#libs/common/auth/consent-decider.js';
import type { RequestWithUser } from '#libs/common/auth/decorators.js';
import { unauthenticated } from '#libs/common/auth/problems.js';
import { type AppConfig, InjectConfig } from '#config/app-config.js';
import {
  type SessionRow,
  SessionLivenessRepository,
} from '../repositories/session-liveness.repository.js';
import { accountSuspended } from './auth.service.js';
import { ACCESS_TOKEN_ALGORITHM, type AccessTokenClaims, isUuid } from './token.service.js';

/**
 * The key a token is verified with. With several secrets (during a rotation) the one that
 * verifies is found by recomputing the HS256 signature of `header.payload` under each (cheap, a
 * handful of HMACs); jsonwebtoken then verifies the token fully (algorithm, issuer, audience,
 * expiry) with it; a token no configured secret signed gets the signing key and fails.
 * KeyObjects, not strings: jsonwebtoken otherwise tries createPublicKey(secret) on every request,
 * which throws and was the largest single CPU cost of an authenticated request (bench/RESULTS.md).
 */
export function verificationKeyFinder(secrets: readonly string[]): (token: string) => KeyObject {
  const keys: Array<[KeyObject, Buffer]> = secrets.map((secret) => {
    const bytes = Buffer.from(secret, 'utf8');
    return [createSecretKey(bytes), bytes];
  });
  const [signing] = keys as [[KeyObject, Buffer]];
  return (token) => {
    if (keys.length === 1) return signing[0];
    const lastDot = token.lastIndexOf('.');
    const signature = Buffer.from(token.slice(lastDot + 1), 'base64url');
    const signed = token.slice(0, Math.max(lastDot, 0));
    const match = keys.find(([, bytes]) => {
      const expected = createHmac('sha256', bytes).update(signed).digest();
      return expected.length === signature.length && timingSafeEqual(expected, signature);
    });
    return (match ?? signing)[0];
  };
}

/** `Authorization: Bearer <token>` (scheme case-insensitive, as RFC 6750 allows). */
const BEARER = /^\s*bearer\s+(\S+)\s*$/i;

/**
 * Bearer tokens: HS256 only, with our issuer and audience and an unexpired `exp`. Then ONE
 * primary-key lookup (refresh_sessions ⋈ users) proves the session live and the account active,
 * and supplies the current roles, so logout, suspension and role changes apply at once.
 * On a `@RequiresConsent` route the same statement also reads the caller's consent decision
 * (`ConsentDecider.sql`), which the ConsentGuard then enforces: one round trip instead of two,
 * and every decision still comes from the database on this request. Likewise on an owner read by
 * id (`@ReadsOwned`) the same statement reads the object (owner = the token's subject), so an
 * authenticated `GET /sessions/:id` is one round trip.
 */
@Injectable()
export class JwtBearerAuthenticator implements BearerAuthenticator {
  private readonly keyFor: (token: string) => KeyObject;
  private readonly verifyOptions: jwt.VerifyOptions & { complete?: false };

  constructor(
    @InjectConfig() config: AppConfig,
    private readonly liveness: SessionLivenessRepository,
    @Optional() @Inject(CONSENT_DECIDER) decider?: ConsentDecider,
  ) {
    this.keyFor = verificationKeyFinder(config.JWT_SECRETS);
    this.verifyOptions = {
      algorithms: [ACCESS_TOKEN_ALGORITHM],
      issuer: config.JWT_ISSUER,
      audience: config.JWT_AUDIENCE,
      ignoreExpiration: false,
    };
    this.consent = decider?.sql;
  }

  private readonly consent: ConsentDecisionSql | undefined;

  async authenticate(request: RequestWithUser): Promise<AuthenticatedUser> {
    const claims = this.verifiedClaims(request.headers.authorization);
    const { sub, sid, iat } = claims;
    // Tokens from before `auth_time` existed count as a sign-in long ago (step-up needed).
    const authTime = typeof claims.auth_time === 'number' ? claims.auth_time : 0;
    const amr = Array.isArray(claims.amr)
      ? claims.amr.filter((value): value is string => typeof value === 'string')
      : [];
    if (!isUuid(sub) || !isUuid(sid) || typeof iat !== 'number' || typeof claims.exp !== 'number') {
      throw unauthenticated();
    }
    const purpose = request.consentPurpose;
    const consent = purpose !== undefined && this.consent?.knows(purpose) ? this.consent : null;
    // A gated route reads the consent with the session; otherwise an owner read by id reads
    // its object with the session; otherwise the session alone.
    const owned = consent ? undefined : request.ownedRead;
    // Likewise an owner-scoped list (`@ListsOwned`), when its raw query is a plain one.
    const list = consent || !request.ownedList ? null : request.ownedList;
    const listed = list?.statement(request.query, sub, 3) ?? null;
    let rows: SessionRow[];
    if (consent) {
      rows = await this.liveness.liveWithConsent(sid, sub, purpose as string);
    } else if (owned) {
      rows = await this.liveness.liveWithOwned(sid, sub, owned.read, owned.id);
    } else if (listed) {
      rows = await this.liveness.liveWithOwnedList(sid, sub, listed);
    } else {
      rows = await this.liveness.live(sid, sub);
    }
    const row = rows[0];
    if (!row || row.status === 'deleted') throw unauthenticated();
    if (row.status === 'suspended') throw accountSuspended();
    if (consent && purpose !== undefined) {
      request.prefetchedConsent = { subjectId: sub, decision: consent.read(row, purpose) };
    }
    if (owned) {
      request.prefetchedOwned = {
        name: owned.read.name,
        ownerId: sub,
        id: owned.id,
        row: owned.read.read(row),
      };
    }
    if (list && listed) {
      request.prefetchedOwnedList = {
        name: list.name,
        ownerId: sub,
        key: listed.key,
        page: list.read(rows),
      };
    }
    return {
      id: sub,
      roles: row.roles,
      emailVerified: row.email_verified,
      sessionId: sid,
      issuedAt: iat,
      authTime,
      amr,
      mfaEnrolled: row.mfa_enrolled,
      mfaPassed: row.mfa_passed,
    };
  }

  /** The token's claims once its signature, algorithm, issuer, audience and expiry check out. */
  private verifiedClaims(header: string | undefined): Partial<AccessTokenClaims> {
    const token = header === undefined ? undefined : BEARER.exec(header)?.[1];
    if (!token) throw unauthenticated();
    let claims: string | jwt.JwtPayload;
    try {
      claims = jwt.verify(token, this.keyFor(token), this.verifyOptions);
    } catch {
      throw unauthenticated();
    }
    if (typeof claims !== 'object') throw unauthenticated();
    return claims as Partial<AccessTokenClaims>;
  }
}
