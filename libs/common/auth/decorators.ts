import { createParamDecorator, type ExecutionContext, SetMetadata } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { unauthenticated } from './problems.js';
import type { AuthenticatedUser, Role } from './authenticated-user.js';
import type { PrefetchedConsent } from './consent-decider.js';
import type {
  OwnedListSql,
  OwnedReadSql,
  PrefetchedOwned,
  PrefetchedOwnedList,
} from './owned-read.js';

export const IS_PUBLIC_KEY = 'pathavana:public';
export const ROLES_KEY = 'pathavana:roles';
export const CONSENT_KEY = 'pathavana:consent';
export const VERIFIED_EMAIL_KEY = 'pathavana:verified-email';
export const RECENT_AUTH_KEY = 'pathavana:recent-auth';

/** The route needs no bearer token. */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(IS_PUBLIC_KEY, true);

/** The caller needs at least one of these roles. */
export const Roles = (...roles: Role[]): MethodDecorator & ClassDecorator =>
  SetMetadata(ROLES_KEY, roles);

/** The caller needs a live grant of the current notice of this consent purpose. */
export const RequiresConsent = (purpose: string): MethodDecorator & ClassDecorator =>
  SetMetadata(CONSENT_KEY, purpose);

/** The caller's email address must be verified. */
export const RequiresVerifiedEmail = (): MethodDecorator & ClassDecorator =>
  SetMetadata(VERIFIED_EMAIL_KEY, true);

/**
 * The caller must have signed in (or stepped up with `POST /auth/reauthenticate`) within the
 * last `STEP_UP_MAX_AGE_SECONDS`; read from the token's `auth_time`, which a refresh keeps.
 */
export const RequiresRecentAuth = (): MethodDecorator & ClassDecorator =>
  SetMetadata(RECENT_AUTH_KEY, true);

export type RequestWithUser = FastifyRequest & {
  user?: AuthenticatedUser;
  /** The route's @RequiresConsent purpose, set by the JwtAuthGuard for the bearer authenticator. */
  consentPurpose?: string;
  /** The consent decision read with the session (bearer authenticator), for the ConsentGuard. */
  prefetchedConsent?: PrefetchedConsent;
  /** The route's owned read (`@ReadsOwned`) and its id, set by the JwtAuthGuard. */
  ownedRead?: { read: OwnedReadSql; id: string };
  /** The object read with the session (bearer authenticator), for the handler. */
  prefetchedOwned?: PrefetchedOwned;
  /** The route's owned list (`@ListsOwned`), set by the JwtAuthGuard. */
  ownedList?: OwnedListSql;
  /** The list page read with the session (bearer authenticator), for the handler. */
  prefetchedOwnedList?: PrefetchedOwnedList;
};

/** The authenticated caller; only on guarded routes. */
export const CurrentUser = createParamDecorator(
  (_data: unknown, context: ExecutionContext): AuthenticatedUser => {
    const user = context.switchToHttp().getRequest<RequestWithUser>().user;
    if (!user) throw unauthenticated();
    return user;
  },
);
