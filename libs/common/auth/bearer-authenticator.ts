import type { AuthenticatedUser } from './authenticated-user.js';
import type { RequestWithUser } from './decorators.js';

/**
 * Proves a request's bearer token and its session (implemented by the auth module, injected by
 * the JwtAuthGuard: libs/common knows the port, never auth's classes). Resolves the caller or
 * throws a ProblemException (401 unauthenticated, 403 suspended); a database failure is thrown
 * as it is, for the guard to map to 503.
 */
export interface BearerAuthenticator {
  authenticate(request: RequestWithUser): Promise<AuthenticatedUser>;
}

export const BEARER_AUTHENTICATOR = Symbol('BEARER_AUTHENTICATOR');
