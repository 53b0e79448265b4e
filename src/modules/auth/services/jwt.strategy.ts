import { createHmac, createSecretKey, type KeyObject, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable, Optional } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { InjectDataSource } from '@nestjs/typeorm';
import { ExtractJwt, Strategy } from 'passport-jwt';
import type { DataSource } from 'typeorm';
import {
  JWT_STRATEGY,
  type AuthenticatedUser,
  type Role,
} from '#libs/common/auth/authenticated-user.js';
import {
  CONSENT_DECIDER,
  type ConsentDecider,
  type ConsentDecisionSql,
} from '#libs/common/auth/consent-decider.js';
import type { RequestWithUser } from '#libs/common/auth/decorators.js';
import type { OwnedReadSql } from '#libs/common/auth/owned-read.js';
import { unauthenticated } from '#libs/common/auth/problems.js';
import { preparedQuery, unnamedQuery } from '#libs/database/prepared-query.js';
import { type AppConfig, InjectConfig } from '#config/app-config.js';
import { accountSuspended } from './auth.service.js';
import { ACCESS_TOKEN_ALGORITHM, type AccessTokenClaims, isUuid } from './token.service.js';

interface SessionRow {
  status: string;
  roles: Role[];
  email_verified: boolean;
  mfa_enrolled: boolean;
  mfa_passed: boolean;
}

const LIVENESS_FROM = `FROM refresh_sessions s JOIN users u ON u.id = s.user_id`;
const LIVENESS_WHERE = `WHERE s.id = $1 AND s.user_id = $2 AND s.revoked_at IS NULL
          AND s.absolute_expires_at > now()`;
const LIVENESS_COLUMNS = `u.status, u.roles, (u.email_verified_at IS NOT NULL) AS email_verified,
  (u.mfa_enabled_at IS NOT NULL) AS mfa_enrolled,
  (s.mfa_verified_at IS NOT NULL AND u.mfa_enabled_at IS NOT NULL) AS mfa_passed`;

const LIVENESS_SQL = `SELECT ${LIVENESS_COLUMNS} ${LIVENESS_FROM} ${LIVENESS_WHERE}`;

/** Liveness plus the compliance module's consent decision for purpose $3, in one statement. */
const livenessWithConsentSql = (consent: ConsentDecisionSql): string =>
  `SELECT ${LIVENESS_COLUMNS}, consent.* ${LIVENESS_FROM}
    CROSS JOIN LATERAL (${consent.subquery('$2', '$3')}) AS consent
   ${LIVENESS_WHERE}`;

/** Liveness plus the route's owned object (id $3, owner $2), in one statement. */
const livenessWithOwnedSql = (owned: OwnedReadSql): string =>
  `SELECT ${LIVENESS_COLUMNS}, owned.* ${LIVENESS_FROM}
    LEFT JOIN LATERAL (${owned.subquery('$2', '$3')}) AS owned ON true
   ${LIVENESS_WHERE}`;

/** Liveness plus one page of the route's owned list (owner $2, the list's parameters from $3). */
const livenessWithOwnedListSql = (text: string, orderBy: string): string =>
  `SELECT ${LIVENESS_COLUMNS}, owned.* ${LIVENESS_FROM}
    LEFT JOIN LATERAL (${text}) AS owned ON true
   ${LIVENESS_WHERE} ORDER BY ${orderBy}`;

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
type KeyCallback = (error: Error | null, key?: string | Buffer) => void;

/**
 * passport-jwt asks for one key per token. With several secrets (during a rotation) the one that
 * verifies is found by recomputing the HS256 signature of `header.payload` under each (cheap, a
 * handful of HMACs); jsonwebtoken then verifies the token fully (algorithm, issuer, audience,
 * expiry) with it. KeyObjects, not strings (see the note above).
 */
export function verificationKeyProvider(
  secrets: readonly string[],
): (request: unknown, rawJwtToken: string, done: KeyCallback) => void {
  const keys: Array<[KeyObject, Buffer]> = secrets.map((secret) => {
    const bytes = Buffer.from(secret, 'utf8');
    return [createSecretKey(bytes), bytes];
  });
  const [signing] = keys as [[KeyObject, Buffer]];
  return (_request, rawJwtToken, done) => {
    if (keys.length === 1) return done(null, signing[0] as unknown as Buffer);
    const lastDot = rawJwtToken.lastIndexOf('.');
    const signature = Buffer.from(rawJwtToken.slice(lastDot + 1), 'base64url');
    const signed = rawJwtToken.slice(0, Math.max(lastDot, 0));
    const match = keys.find(([, bytes]) => {
      const expected = createHmac('sha256', bytes).update(signed).digest();
      return expected.length === signature.length && timingSafeEqual(expected, signature);
    });
    done(null, (match ?? signing)[0] as unknown as Buffer);
  };
}

@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, JWT_STRATEGY) {
  constructor(
    @InjectConfig() config: AppConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
    @Optional() @Inject(CONSENT_DECIDER) decider?: ConsentDecider,
  ) {
    super({
      passReqToCallback: true,
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      // A KeyObject, not the string: jsonwebtoken otherwise tries createPublicKey(secret) on
      // every request, which throws and was the largest single CPU cost of an authenticated
      // request (bench/RESULTS.md). jsonwebtoken accepts KeyObjects; the typings only say Buffer.
      // Rotation: the secret whose HMAC the token carries (JWT_SECRETS, the signing one first);
      // a token no configured secret signed gets the signing one and fails verification.
      secretOrKeyProvider: verificationKeyProvider(config.JWT_SECRETS),
      algorithms: [ACCESS_TOKEN_ALGORITHM],
      issuer: config.JWT_ISSUER,
      audience: config.JWT_AUDIENCE,
      ignoreExpiration: false,
    });
    this.consent = decider?.sql;
    this.withConsentSql = this.consent ? livenessWithConsentSql(this.consent) : '';
  }

  private readonly consent: ConsentDecisionSql | undefined;
  private readonly withConsentSql: string;
  /** SQL text per owned read (built once per read definition). */
  private readonly withOwnedSql = new Map<string, string>();

  private ownedSql(owned: OwnedReadSql): string {
    let text = this.withOwnedSql.get(owned.name);
    if (text === undefined) {
      text = livenessWithOwnedSql(owned);
      this.withOwnedSql.set(owned.name, text);
    }
    return text;
  }

  async validate(
    request: RequestWithUser,
    claims: Partial<AccessTokenClaims>,
  ): Promise<AuthenticatedUser> {
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
      rows = await preparedQuery<SessionRow>(
        this.dataSource,
        'auth_session_live_consent',
        this.withConsentSql,
        [sid, sub, purpose],
      );
    } else if (owned) {
      rows = await preparedQuery<SessionRow>(
        this.dataSource,
        `auth_session_live_${owned.read.name}`,
        this.ownedSql(owned.read),
        [sid, sub, owned.id],
      );
    } else if (listed) {
      rows = await unnamedQuery<SessionRow>(
        this.dataSource,
        livenessWithOwnedListSql(listed.text, listed.orderBy('owned')),
        [sid, sub, ...listed.params],
      );
    } else {
      rows = await preparedQuery<SessionRow>(this.dataSource, 'auth_session_live', LIVENESS_SQL, [
        sid,
        sub,
      ]);
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
}
