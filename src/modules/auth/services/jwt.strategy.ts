import { createSecretKey } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { InjectDataSource } from '@nestjs/typeorm';
import { ExtractJwt, Strategy } from 'passport-jwt';
import type { DataSource } from 'typeorm';
import {
  JWT_STRATEGY,
  type AuthenticatedUser,
  type Role,
} from '../../../../libs/common/auth/authenticated-user.js';
import { unauthenticated } from '../../../../libs/common/auth/problems.js';
import { preparedQuery } from '../../../../libs/database/prepared-query.js';
import { type AppConfig, InjectConfig } from '../../../config/app-config.js';
import { accountSuspended } from './auth.service.js';
import { ACCESS_TOKEN_ALGORITHM, type AccessTokenClaims, isUuid } from './token.service.js';

interface SessionRow {
  status: string;
  roles: Role[];
  email_verified: boolean;
}

const LIVENESS_SQL = `SELECT u.status, u.roles, (u.email_verified_at IS NOT NULL) AS email_verified
         FROM refresh_sessions s JOIN users u ON u.id = s.user_id
        WHERE s.id = $1 AND s.user_id = $2 AND s.revoked_at IS NULL
          AND s.absolute_expires_at > now()`;

/**
 * Bearer tokens: HS256 only, with our issuer and audience and an unexpired `exp`. Then ONE
 * primary-key lookup (refresh_sessions ⋈ users) proves the session live and the account active,
 * and supplies the current roles, so logout, suspension and role changes apply at once.
 */
@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, JWT_STRATEGY) {
  constructor(
    @InjectConfig() config: AppConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {
    super({
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      // A KeyObject, not the string: jsonwebtoken otherwise tries createPublicKey(secret) on
      // every request, which throws and was the largest single CPU cost of an authenticated
      // request (bench/RESULTS.md). jsonwebtoken accepts KeyObjects; the typings only say Buffer.
      secretOrKey: createSecretKey(Buffer.from(config.JWT_SECRET, 'utf8')) as unknown as Buffer,
      algorithms: [ACCESS_TOKEN_ALGORITHM],
      issuer: config.JWT_ISSUER,
      audience: config.JWT_AUDIENCE,
      ignoreExpiration: false,
    });
  }

  async validate(claims: Partial<AccessTokenClaims>): Promise<AuthenticatedUser> {
    const { sub, sid, iat } = claims;
    if (!isUuid(sub) || !isUuid(sid) || typeof iat !== 'number' || typeof claims.exp !== 'number') {
      throw unauthenticated();
    }
    const rows = await preparedQuery<SessionRow>(
      this.dataSource,
      'auth_session_live',
      LIVENESS_SQL,
      [sid, sub],
    );
    const row = rows[0];
    if (!row || row.status === 'deleted') throw unauthenticated();
    if (row.status === 'suspended') throw accountSuspended();
    return {
      id: sub,
      roles: row.roles,
      emailVerified: row.email_verified,
      sessionId: sid,
      issuedAt: iat,
    };
  }
}
