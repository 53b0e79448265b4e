import { Inject, Injectable, Optional } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { Role } from '#libs/common/auth/authenticated-user.js';
import {
  CONSENT_DECIDER,
  type ConsentDecider,
  type ConsentDecisionSql,
} from '#libs/common/auth/consent-decider.js';
import type { OwnedListStatement, OwnedReadSql } from '#libs/common/auth/owned-read.js';
import { preparedQuery, unnamedQuery } from '#libs/database/prepared-query.js';

/** What the JWT strategy needs of a live session and its account (plus any prefetched columns). */
export interface SessionRow {
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
 * The per-request read of the JWT strategy: ONE primary-key lookup (refresh_sessions ⋈ users),
 * owner-scoped by the token's subject ($2), that proves the session live and supplies the
 * account's status and roles, optionally with the route's consent decision or owned object in
 * the same statement. Named prepared statements on the primary (`preparedQuery`): each method
 * hands back the driver's promise as is (the hot path, bench/RESULTS.md round 2).
 */
@Injectable()
export class SessionLivenessRepository {
  private readonly withConsentSql: string;
  /** SQL text per owned read (built once per read definition). */
  private readonly withOwnedSql = new Map<string, string>();

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Optional() @Inject(CONSENT_DECIDER) decider?: ConsentDecider,
  ) {
    this.withConsentSql = decider?.sql ? livenessWithConsentSql(decider.sql) : '';
  }

  /** The session alone. */
  live(sid: string, sub: string): Promise<SessionRow[]> {
    return preparedQuery<SessionRow>(this.dataSource, 'auth_session_live', LIVENESS_SQL, [
      sid,
      sub,
    ]);
  }

  /** The session plus the consent decision for `purpose` (only when a decider is present). */
  liveWithConsent(sid: string, sub: string, purpose: string): Promise<SessionRow[]> {
    return preparedQuery<SessionRow>(
      this.dataSource,
      'auth_session_live_consent',
      this.withConsentSql,
      [sid, sub, purpose],
    );
  }

  /** The session plus the owner's object `id` read by `read` (absent columns when not owned). */
  liveWithOwned(sid: string, sub: string, read: OwnedReadSql, id: string): Promise<SessionRow[]> {
    return preparedQuery<SessionRow>(
      this.dataSource,
      `auth_session_live_${read.name}`,
      this.ownedSql(read),
      [sid, sub, id],
    );
  }

  /**
   * The session plus one page of the owner's list (`@ListsOwned`). Unnamed: planned with its
   * values each time, since a cached generic plan can walk the owner's whole index range for a
   * containment filter (bench/RESULTS.md, planContains).
   */
  liveWithOwnedList(sid: string, sub: string, listed: OwnedListStatement): Promise<SessionRow[]> {
    return unnamedQuery<SessionRow>(
      this.dataSource,
      livenessWithOwnedListSql(listed.text, listed.orderBy('owned')),
      [sid, sub, ...listed.params],
    );
  }

  private ownedSql(owned: OwnedReadSql): string {
    let text = this.withOwnedSql.get(owned.name);
    if (text === undefined) {
      text = livenessWithOwnedSql(owned);
      this.withOwnedSql.set(owned.name, text);
    }
    return text;
  }
}
