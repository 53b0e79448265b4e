import {
  type CanActivate,
  type ExecutionContext,
  Inject,
  Injectable,
  Optional,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { problemFromDatabaseError } from '../errors/constraint-codes.js';
import { ProblemException } from '../errors/problem.exception.js';
import { routeMetadata } from '../http/route-metadata.js';
import { STAFF_ROLES, type AuthenticatedUser, type Role } from './authenticated-user.js';
import { BEARER_AUTHENTICATOR, type BearerAuthenticator } from './bearer-authenticator.js';
import { CONSENT_DECIDER, type ConsentDecider } from './consent-decider.js';
import {
  CONSENT_KEY,
  IS_PUBLIC_KEY,
  RECENT_AUTH_KEY,
  ROLES_KEY,
  VERIFIED_EMAIL_KEY,
  type RequestWithUser,
} from './decorators.js';
import {
  OWNED_LIST_KEY,
  OWNED_READ_KEY,
  type OwnedListSql,
  type OwnedReadSql,
} from './owned-read.js';
import { unauthenticated } from './problems.js';

/** Any UUID version, as `ParseUUIDPipe` accepts by default. */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Route metadata is read method first, then class (once per handler, see routeMetadata). */
const metadata = routeMetadata;

function isPublic(reflector: Reflector, context: ExecutionContext): boolean {
  return metadata<boolean>(reflector, IS_PUBLIC_KEY, context) === true;
}

function callerOf(context: ExecutionContext): AuthenticatedUser {
  const user = context.switchToHttp().getRequest<RequestWithUser>().user;
  if (!user) throw unauthenticated();
  return user;
}

/**
 * 1st: bearer token and its session (the auth module's `BearerAuthenticator`), unless @Public().
 * Called directly rather than through passport: the strategy indirection (a strategy object and
 * callbacks per request) bought nothing here and was a measurable share of a hot read's CPU
 * (bench/RESULTS.md).
 */
@Injectable()
export class JwtAuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Inject(BEARER_AUTHENTICATOR) private readonly authenticator: BearerAuthenticator,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (isPublic(this.reflector, context)) return true;
    // Tells the authenticator which consent to read along with the session (one round trip);
    // the ConsentGuard still decides, after the roles and verified-email guards.
    const purpose = metadata<string>(this.reflector, CONSENT_KEY, context);
    const request = context.switchToHttp().getRequest<RequestWithUser>();
    if (purpose) request.consentPurpose = purpose;
    // An owner read by id (`@ReadsOwned`): the session statement reads the object too.
    // A malformed id is left to the route's UUID pipe (400), never bound to the statement.
    const owned = metadata<OwnedReadSql>(this.reflector, OWNED_READ_KEY, context);
    if (owned) {
      const id = (request.params as Record<string, string | undefined>)[owned.param];
      if (id !== undefined && UUID.test(id)) request.ownedRead = { read: owned, id };
    }
    // An owner-scoped list (`@ListsOwned`): the session statement reads the page too.
    const list = metadata<OwnedListSql>(this.reflector, OWNED_LIST_KEY, context);
    if (list) request.ownedList = list;
    try {
      request.user = await this.authenticator.authenticate(request);
    } catch (error) {
      // A database outage while checking the session is a 503, not "sign in again" (401).
      throw error instanceof ProblemException
        ? error
        : (problemFromDatabaseError(error) ?? unauthenticated());
    }
    return true;
  }
}

/** 2nd: @Roles(...) — the caller needs one of them. */
@Injectable()
export class RolesGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    if (isPublic(this.reflector, context)) return true;
    const required = metadata<Role[]>(this.reflector, ROLES_KEY, context);
    if (!required || required.length === 0) return true;
    const user = callerOf(context);
    if (required.some((role) => user.roles.includes(role))) return true;
    throw new ProblemException(403, 'FORBIDDEN_ROLE', 'Your role does not allow this action.');
  }
}

/** Seconds a sign-in counts as recent for `@RequiresRecentAuth()` (provided from the config). */
export const STEP_UP_MAX_AGE = Symbol('STEP_UP_MAX_AGE');
export const DEFAULT_STEP_UP_MAX_AGE_SECONDS = 600;

/**
 * After the roles guard: a staff-only route (its `@Roles` are staff roles only) needs a device
 * session that passed a second factor. A staff account without TOTP is sent to enrolment.
 */
@Injectable()
export class StaffMfaGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    if (isPublic(this.reflector, context)) return true;
    const required = metadata<Role[]>(this.reflector, ROLES_KEY, context);
    if (!required || required.length === 0) return true;
    if (!required.every((role) => STAFF_ROLES.includes(role))) return true;
    const user = callerOf(context);
    if (!user.mfaEnrolled) {
      throw new ProblemException(
        403,
        'MFA_ENROLMENT_REQUIRED',
        'Staff accounts need an authenticator app: enrol with POST /auth/mfa/totp/setup and ' +
          'POST /auth/mfa/totp/enable.',
      );
    }
    if (!user.mfaPassed) {
      throw new ProblemException(
        403,
        'MFA_REQUIRED',
        'Sign in with your authentication code to use staff routes.',
      );
    }
    return true;
  }
}

/** `@RequiresRecentAuth()`: a sign-in or step-up within STEP_UP_MAX_AGE seconds. */
@Injectable()
export class RecentAuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Optional() @Inject(STEP_UP_MAX_AGE) private readonly maxAgeSeconds?: number,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    if (isPublic(this.reflector, context)) return true;
    if (metadata<boolean>(this.reflector, RECENT_AUTH_KEY, context) !== true) return true;
    const maxAge = this.maxAgeSeconds ?? DEFAULT_STEP_UP_MAX_AGE_SECONDS;
    const age = Date.now() / 1000 - callerOf(context).authTime;
    if (age <= maxAge) return true;
    throw new ProblemException(
      403,
      'REAUTHENTICATION_REQUIRED',
      'Confirm it is you: POST /auth/reauthenticate with your password or authentication code.',
      { maxAgeSeconds: maxAge },
    );
  }
}

/** 3rd: @RequiresVerifiedEmail(). */
@Injectable()
export class VerifiedEmailGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    if (isPublic(this.reflector, context)) return true;
    if (metadata<boolean>(this.reflector, VERIFIED_EMAIL_KEY, context) !== true) return true;
    if (callerOf(context).emailVerified) return true;
    throw new ProblemException(403, 'EMAIL_NOT_VERIFIED', 'Verify your email address first.');
  }
}

/**
 * 4th: @RequiresConsent(purpose) — decided by the compliance module's ConsentDecider.
 * Without a decider it refuses: consent is never assumed.
 */
@Injectable()
export class ConsentGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Optional() @Inject(CONSENT_DECIDER) private readonly decider?: ConsentDecider,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (isPublic(this.reflector, context)) return true;
    const purpose = metadata<string>(this.reflector, CONSENT_KEY, context);
    if (!purpose) return true;
    const request = context.switchToHttp().getRequest<RequestWithUser>();
    const user = callerOf(context);
    // Read in this request's liveness query by the bearer authenticator (same freshness: no cache).
    const prefetched = request.prefetchedConsent;
    const decision =
      prefetched?.subjectId === user.id && prefetched.decision.purpose === purpose
        ? prefetched.decision
        : this.decider
          ? await this.decider.decide(user.id, purpose)
          : { granted: false, purpose, currentVersion: null };
    if (decision.granted) return true;
    throw new ProblemException(
      403,
      'CONSENT_REQUIRED',
      `This action needs your consent for "${purpose}"` +
        (decision.currentVersion === null ? '.' : ` (notice version ${decision.currentVersion}).`),
      { purpose, version: decision.currentVersion },
    );
  }
}
