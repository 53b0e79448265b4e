/**
 * The authorization matrix: every route the app registers × who calls it → the status it must
 * answer. The e2e walk (test/e2e/security/authorization-matrix.e2e-spec.ts) discovers the routes
 * from the Fastify router and fails when one is missing here or answers differently.
 *
 * Callers:
 * - anonymous   no bearer token
 * - user        verified, consents to travel_planning, travel_documents and travel_booking;
 *               owns every object the path ids address
 * - otherUser   the same kind of account, owning none of them: another user's object is 404
 * - admin       staff with roles user+admin, TOTP enrolled and passed on the session (no
 *               consents: data routes are 403 CONSENT_REQUIRED)
 * - compliance  staff with roles user+compliance, TOTP as admin (no consents)
 *
 * Further states (checked for the routes they concern, see below): staff without TOTP get
 * 403 MFA_ENROLMENT_REQUIRED on every staff-only route; staff with TOTP on a session that has
 * not passed it (signed in before enrolling from another session) get 403 MFA_REQUIRED there;
 * a session whose sign-in is older than
 * STEP_UP_MAX_AGE_SECONDS gets 403 REAUTHENTICATION_REQUIRED on the STEP_UP_ROUTES.
 *
 * How each route is called (path ids, bodies, headers) lives in route-requests.ts.
 */
export type Expected = number | readonly number[];

export interface MatrixRow {
  anonymous: Expected;
  user: Expected;
  otherUser: Expected;
  admin: Expected;
  compliance: Expected;
}

const row = (
  anonymous: Expected,
  user: Expected,
  otherUser: Expected,
  admin: Expected,
  compliance: Expected,
): MatrixRow => ({ anonymous, user, otherUser, admin, compliance });

/** Everyone gets the same answer. */
const all = (status: Expected): MatrixRow => row(status, status, status, status, status);
/** Any signed-in account, no role, consent or ownership involved. */
const signedIn = (status: Expected): MatrixRow => row(401, status, status, status, status);
/** Needs `role`; `admin` and `compliance` are the staff accounts. */
const staffOnly = (role: 'admin' | 'compliance', status: Expected): MatrixRow =>
  role === 'admin' ? row(401, 403, 403, status, 403) : row(401, 403, 403, 403, status);
/**
 * A consent-guarded collection (no path id): staff hold no consent. Consent gates creating and
 * changing only; reads, exports, cancellations, archives and deletions use the rows without it.
 */
const consented = (status: Expected): MatrixRow => row(401, status, status, 403, 403);
/** A consent-guarded object owned by "user": the other user gets 404, staff 403. */
const owned = (status: Expected): MatrixRow => row(401, status, 404, 403, 403);
/** An object owned by "user" on a route without consent: anyone else signed in gets 404. */
const ownedNoConsent = (status: Expected): MatrixRow => row(401, status, 404, 404, 404);

/** The staff role a row is for, when only that staff role may call it. */
export function staffRoleOf(row: MatrixRow): 'admin' | 'compliance' | null {
  if (row.anonymous !== 401 || row.user !== 403 || row.otherUser !== 403) return null;
  if (row.compliance === 403 && row.admin !== 403) return 'admin';
  if (row.admin === 403 && row.compliance !== 403) return 'compliance';
  return null;
}

/** `@RequiresRecentAuth()` routes and who may call them otherwise. */
export const STEP_UP_ROUTES: Record<string, 'user' | 'admin'> = {
  'POST /api/v1/auth/password/change': 'user',
  'POST /api/v1/auth/mfa/totp/setup': 'user',
  'POST /api/v1/auth/mfa/totp/enable': 'user',
  'POST /api/v1/auth/mfa/totp/disable': 'user',
  'DELETE /api/v1/auth/identities/:id': 'user',
  'POST /api/v1/admin/documents/:id/reveal': 'admin',
  'PUT /api/v1/admin/users/:id/roles': 'admin',
  'POST /api/v1/admin/users/:id/mfa/reset': 'admin',
};

export const AUTHORIZATION_MATRIX: Record<string, MatrixRow> = {
  // Documentation and CORS preflight (served by Fastify plugins, public).
  'GET /docs': all(200),
  'GET /docs/': all(200),
  'GET /docs/*': all(200),
  // swagger-ui-dist ships no LICENSE file: the static route exists, the file does not.
  'GET /docs/LICENSE': all(404),
  'GET /docs/docs/swagger-ui-init.js': all(200),
  'GET /docs/index.html': all(200),
  'GET /docs/swagger-ui-init.js': all(200),
  'GET /docs-json': all(200),
  // The staff console (a page and its assets; 404 until `npm run build` has built it).
  'GET /console': all([200, 404]),
  'GET /console/': all([200, 404]),
  // Client-side routes; /console/assets/* (static files) does not show in the router's tree.
  'GET /console/*': all([200, 404]),
  'GET /docs-yaml': all(200),
  // Preflight from an origin outside CORS_ORIGINS (empty in tests) is not answered: 404.
  // The allowed-origin case is in security-headers.e2e-spec.ts.
  'OPTIONS /*': all(404),

  // Platform
  'GET /api/v1/health/live': all(200),
  'GET /api/v1/health/ready': all(200),
  'GET /api/v1/meta/enums': all(200),
  'GET /api/v1/meta/models': staffOnly('admin', 200),

  // Auth: public entry points
  'POST /api/v1/auth/register': all(201),
  'POST /api/v1/auth/login': all(200),
  'POST /api/v1/auth/login/mfa': all(401),
  // The console's sign-in (same origin; the refresh token goes into an httpOnly cookie).
  'POST /api/v1/auth/console/login': all(200),
  'POST /api/v1/auth/console/login/mfa': all(401),
  // No refresh cookie on the walk's requests.
  'POST /api/v1/auth/console/refresh': all(401),
  'POST /api/v1/auth/console/logout': signedIn(204),
  // Same rules as /auth/reauthenticate: a wrong password (403); staff also need their code (400).
  'POST /api/v1/auth/console/reauthenticate': row(401, 403, 403, 400, 400),
  'POST /api/v1/auth/refresh': all(200),
  'POST /api/v1/auth/verify-email': all(400),
  'POST /api/v1/auth/password/forgot': all(202),
  'POST /api/v1/auth/password/reset': all(400),
  'GET /api/v1/auth/oauth/:provider/authorize': all(404),
  'GET /api/v1/auth/oauth/:provider/callback': all(404),

  // Auth: the caller's own account
  'GET /api/v1/auth/me': signedIn(200),
  'POST /api/v1/auth/verify-email/resend': signedIn(409),
  'POST /api/v1/auth/logout': signedIn(204),
  'POST /api/v1/auth/logout-all': signedIn(204),
  // Wrong current password (the walk never changes a password): 403 INVALID_CURRENT_PASSWORD.
  'POST /api/v1/auth/password/change': signedIn(403),
  // Staff have TOTP already: 409 MFA_ALREADY_ENABLED.
  'POST /api/v1/auth/mfa/totp/setup': row(401, 200, 200, 409, 409),
  // The walk reaches enable before setup: 409 MFA_NOT_SET_UP (staff: MFA_ALREADY_ENABLED).
  'POST /api/v1/auth/mfa/totp/enable': signedIn(409),
  // Users have no TOTP (409 MFA_NOT_ENABLED); staff give a wrong code (401 INVALID_MFA_CODE).
  'POST /api/v1/auth/mfa/totp/disable': row(401, 409, 409, 401, 401),
  // A wrong password (403 REAUTHENTICATION_FAILED); staff also need their code (400).
  'POST /api/v1/auth/reauthenticate': row(401, 403, 403, 400, 400),
  'GET /api/v1/auth/sessions': signedIn(200),
  'DELETE /api/v1/auth/sessions/:id': ownedNoConsent(204),
  'GET /api/v1/auth/identities': signedIn(200),
  // No OIDC identity exists in the fixtures: a random id is 404 for everyone signed in.
  'DELETE /api/v1/auth/identities/:id': signedIn(404),

  // Admin: users
  'GET /api/v1/admin/users': staffOnly('admin', 200),
  'GET /api/v1/admin/users/:id': staffOnly('admin', 200),
  'PATCH /api/v1/admin/users/:id': staffOnly('admin', 200),
  'PUT /api/v1/admin/users/:id/roles': staffOnly('admin', 200),
  'POST /api/v1/admin/users/:id/unlock': staffOnly('admin', 200),
  // A random id: the walk never removes anyone's second factor.
  'POST /api/v1/admin/users/:id/mfa/reset': staffOnly('admin', 404),

  // Admin: documents and bookings (support desk)
  'GET /api/v1/admin/documents': staffOnly('admin', 200),
  'GET /api/v1/admin/documents/:id': staffOnly('admin', 200),
  'POST /api/v1/admin/documents/:id/claim': staffOnly('admin', 200),
  'POST /api/v1/admin/documents/:id/review': staffOnly('admin', 200),
  'POST /api/v1/admin/documents/:id/reveal': staffOnly('admin', 200),
  'GET /api/v1/admin/documents/:id/files/:fileId/content': staffOnly('admin', 200),
  'GET /api/v1/admin/bookings': staffOnly('admin', 200),
  'GET /api/v1/admin/bookings/:id': staffOnly('admin', 200),

  // Compliance
  'GET /api/v1/consent-notices': all(200),
  'GET /api/v1/me/consents': signedIn(200),
  'POST /api/v1/me/consents': signedIn(201),
  'GET /api/v1/me/consents/history': signedIn(200),
  'POST /api/v1/compliance/consent-notices': staffOnly('compliance', 201),
  'GET /api/v1/compliance/consent-records/verify': staffOnly('compliance', 200),
  'GET /api/v1/compliance/audit-events': staffOnly('compliance', 200),
  'GET /api/v1/compliance/consent-records': staffOnly('compliance', 200),
  'POST /api/v1/compliance/consent-records/download-links': staffOnly('compliance', 201),
  // Public: the signed link is the credential (a forged one here).
  'GET /api/v1/compliance/consent-records/download': all(403),
  'GET /api/v1/compliance/privacy-requests': staffOnly('compliance', 200),
  'POST /api/v1/compliance/privacy-requests': staffOnly('compliance', 201),
  'GET /api/v1/compliance/privacy-requests/:id': staffOnly('compliance', 200),
  'POST /api/v1/compliance/privacy-requests/:id/transition': staffOnly('compliance', 200),
  'POST /api/v1/compliance/privacy-requests/:id/extend': staffOnly('compliance', 200),
  'GET /api/v1/compliance/privacy-requests/:id/export': staffOnly('compliance', 200),
  'POST /api/v1/compliance/privacy-requests/:id/erasure': staffOnly('compliance', 200),
  'GET /api/v1/compliance/processing-activities': staffOnly('compliance', 200),
  'GET /api/v1/compliance/retention-policies': staffOnly('compliance', 200),
  'POST /api/v1/compliance/retention/run': staffOnly('compliance', 200),

  // Data-subject rights (the caller's own data)
  'GET /api/v1/me/export': signedIn(200),
  'POST /api/v1/me/erasure/preview': signedIn(200),
  // The walk never erases an account: a wrong password is refused.
  // Staff accounts cannot erase themselves (422 STAFF_ACCOUNT).
  'DELETE /api/v1/me': row(401, 403, 403, 422, 422),

  // Profiles (own profile, no consent) and profile documents (verified email + consent)
  'GET /api/v1/profile': signedIn(200),
  'PATCH /api/v1/profile': signedIn(200),
  'GET /api/v1/profile/travel-preferences': signedIn(200),
  'PUT /api/v1/profile/travel-preferences': signedIn(200),
  'PATCH /api/v1/profile/travel-preferences': signedIn(200),
  'POST /api/v1/profile/documents': consented(201),
  'GET /api/v1/profile/documents': signedIn(200),
  'GET /api/v1/profile/documents/:id': ownedNoConsent(200),
  'PATCH /api/v1/profile/documents/:id': owned(200),
  'DELETE /api/v1/profile/documents/:id': ownedNoConsent(204),
  // Document files: uploading needs the consent; reading and deleting one's own do not.
  'POST /api/v1/profile/documents/:id/files': owned(201),
  'GET /api/v1/profile/documents/:id/files': ownedNoConsent(200),
  'GET /api/v1/profile/documents/:id/files/:fileId/content': ownedNoConsent(200),
  'DELETE /api/v1/profile/documents/:id/files/:fileId': ownedNoConsent(204),

  // Travelers (no consent purpose of their own; owner-scoped)
  'POST /api/v1/travelers': signedIn(201),
  'GET /api/v1/travelers': signedIn(200),
  'GET /api/v1/travelers/:id': ownedNoConsent(200),
  'PATCH /api/v1/travelers/:id': ownedNoConsent(200),
  'DELETE /api/v1/travelers/:id': ownedNoConsent(204),
  'GET /api/v1/travelers/:id/preferences': ownedNoConsent(200),
  'PUT /api/v1/travelers/:id/preferences': ownedNoConsent(200),
  'POST /api/v1/travelers/:id/guardian-consent': ownedNoConsent(200),
  'GET /api/v1/travelers/:id/bookability': ownedNoConsent(200),
  'GET /api/v1/travelers/:id/bookings': ownedNoConsent(200),
  'POST /api/v1/traveler-groups': signedIn(201),
  'GET /api/v1/traveler-groups': signedIn(200),
  'GET /api/v1/traveler-groups/:id': ownedNoConsent(200),
  'PATCH /api/v1/traveler-groups/:id': ownedNoConsent(200),
  'DELETE /api/v1/traveler-groups/:id': ownedNoConsent(204),
  'PUT /api/v1/traveler-groups/:id/members/:travelerId': ownedNoConsent(200),
  'DELETE /api/v1/traveler-groups/:id/members/:travelerId': ownedNoConsent(204),
  // Traveler documents (verified email + travel_documents), under the owner's traveler
  'POST /api/v1/travelers/:travelerId/documents': owned(201),
  'GET /api/v1/travelers/:travelerId/documents': ownedNoConsent(200),
  'GET /api/v1/travelers/:travelerId/documents/:documentId': ownedNoConsent(200),
  'PATCH /api/v1/travelers/:travelerId/documents/:documentId': owned(200),
  'DELETE /api/v1/travelers/:travelerId/documents/:documentId': ownedNoConsent(204),
  'POST /api/v1/travelers/:travelerId/documents/:documentId/files': owned(201),
  'GET /api/v1/travelers/:travelerId/documents/:documentId/files': ownedNoConsent(200),
  'GET /api/v1/travelers/:travelerId/documents/:documentId/files/:fileId/content':
    ownedNoConsent(200),
  'DELETE /api/v1/travelers/:travelerId/documents/:documentId/files/:fileId': ownedNoConsent(204),

  // Sessions (travel_planning)
  'POST /api/v1/sessions': consented(201),
  'GET /api/v1/sessions': signedIn(200),
  'GET /api/v1/sessions/:id': ownedNoConsent(200),
  'PATCH /api/v1/sessions/:id': owned(200),
  'DELETE /api/v1/sessions/:id': ownedNoConsent(204),
  'POST /api/v1/sessions/:id/messages': owned(201),
  'GET /api/v1/sessions/:id/messages': ownedNoConsent(200),
  'POST /api/v1/sessions/:id/saved-items': owned(201),
  'GET /api/v1/sessions/:id/saved-items': ownedNoConsent(200),
  'GET /api/v1/sessions/:id/saved-items/:itemId': ownedNoConsent(200),
  'PATCH /api/v1/sessions/:id/saved-items/:itemId': owned(200),
  'DELETE /api/v1/sessions/:id/saved-items/:itemId': ownedNoConsent(204),
  'GET /api/v1/sessions/:id/bookings': ownedNoConsent(200),

  // Bookings (verified email + travel_booking)
  'POST /api/v1/bookings': row(401, 201, 404, 403, 403),
  'GET /api/v1/bookings': signedIn(200),
  'GET /api/v1/bookings/:id': ownedNoConsent(200),
  'GET /api/v1/bookings/:id/ledger': ownedNoConsent(200),
  'POST /api/v1/bookings/:id/cancellation-quote': ownedNoConsent(201),
  'POST /api/v1/bookings/:id/cancel': ownedNoConsent(200),

  // Provider events: public (no account is involved); the HMAC signature is the only credential,
  // and an unsigned event is refused to everyone alike.
  'POST /api/v1/providers/:provider/events': all(401),
};
