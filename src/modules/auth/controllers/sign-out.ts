import type { FastifyRequest } from 'fastify';
import type { AuthenticatedUser } from '#libs/common/auth/authenticated-user.js';
import type { AuthEventsService } from '../services/auth-events.service.js';
import type { DeviceSessionsService } from '../services/device-sessions.service.js';
import { requestMeta } from '../services/request-meta.js';

/**
 * Sign-out of the caller's device session, as both sign-out routes do it (the JSON API's and
 * the console's): the session is revoked and the logout is recorded.
 */
export async function signOutSession(
  sessions: DeviceSessionsService,
  events: AuthEventsService,
  user: AuthenticatedUser,
  request: FastifyRequest,
): Promise<void> {
  await sessions.revoke(user.id, user.sessionId, 'logout');
  await events.record('logout', {
    userId: user.id,
    sessionId: user.sessionId,
    meta: requestMeta(request),
  });
}
