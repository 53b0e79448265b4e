import { randomUUID } from 'node:crypto';
import { daysFromNow, hotelBookingBody } from '../factories/bookings.js';
import type { TestApp } from '../utils/test-app.js';
import {
  type Actor,
  documentBody,
  type Fixtures,
  multipartUpload,
  uniqueSecurityEmail,
} from './fixtures.js';
import { inject } from './http.js';
import { API_PREFIX } from '#libs/common/http/api-prefix.js';

/**
 * How the matrix walk calls each route: the concrete path (ids of objects owned by "user"),
 * a valid body and headers. Bodies are valid so that a refusal can only come from
 * authentication, role, consent or ownership — never from validation.
 */
export interface RouteRequest {
  /** The concrete URL; defaults to the route path. */
  url?: (fx: Fixtures) => string;
  body?: (fx: Fixtures, actor: Actor, ctx: TestApp) => unknown;
  headers?: (fx: Fixtures, actor: Actor, ctx: TestApp) => Promise<Record<string, string>>;
  /** Sign the actor in again for this request (routes that end the current session). */
  freshLogin?: boolean;
}

const API = API_PREFIX;

/** One multipart body (and its boundary) for every upload the walk makes. */
let upload: ReturnType<typeof multipartUpload> | undefined;
const matrixUpload = (): ReturnType<typeof multipartUpload> =>
  (upload ??= multipartUpload('other'));

/** The console's cookie routes only answer requests from its own origin. */
const consoleOrigin = async (): Promise<Record<string, string>> => ({
  host: 'console.pathavana.test',
  origin: 'https://console.pathavana.test',
});

async function etagOf(ctx: TestApp, fx: Fixtures, url: string): Promise<string> {
  const response = await inject(ctx, {
    method: 'GET',
    url,
    headers: fx.actors.user.authHeader,
  });
  const etag = response.headers.etag;
  if (typeof etag !== 'string') throw new Error(`no ETag on GET ${url}: ${response.status}`);
  return etag;
}

/** Quotes once per run; the quote of `bookingToCancel` is what `cancel` presents. */
const quotes = new WeakMap<Fixtures, Promise<string>>();
function quoteFor(ctx: TestApp, fx: Fixtures): Promise<string> {
  let quote = quotes.get(fx);
  if (!quote) {
    quote = inject(ctx, {
      method: 'POST',
      url: `${API}/bookings/${fx.bookingToCancel}/cancellation-quote`,
      headers: fx.actors.user.authHeader,
    }).then((response) => {
      if (response.status !== 201) throw new Error(`quote failed: ${response.text}`);
      return (response.json() as { quoteId: string }).quoteId;
    });
    quotes.set(fx, quote);
  }
  return quote;
}

export const ROUTE_REQUESTS: Record<string, RouteRequest> = {
  'GET /docs/*': { url: () => '/docs/swagger-ui.css' },
  'OPTIONS /*': { url: () => `${API}/profile` },
  'GET /console/*': { url: () => '/console/documents' },

  'POST /api/v1/auth/register': {
    body: () => ({
      email: uniqueSecurityEmail('register'),
      password: 'correct horse battery staple',
      fullName: 'Matrix Walker',
    }),
  },
  'POST /api/v1/auth/login': {
    body: (fx) => ({ email: fx.actors.user.email, password: fx.actors.user.password }),
  },
  'POST /api/v1/auth/login/mfa': { body: () => ({ mfaToken: 'not-a-token', code: '123456' }) },
  'POST /api/v1/auth/console/login': {
    headers: consoleOrigin,
    body: (fx) => ({ email: fx.actors.user.email, password: fx.actors.user.password }),
  },
  'POST /api/v1/auth/console/login/mfa': {
    headers: consoleOrigin,
    body: () => ({ mfaToken: 'not-a-token', code: '123456' }),
  },
  'POST /api/v1/auth/console/refresh': { headers: consoleOrigin },
  'POST /api/v1/auth/console/logout': { freshLogin: true },
  'POST /api/v1/auth/console/reauthenticate': {
    headers: consoleOrigin,
    body: () => ({ password: 'this is not the password' }),
  },
  'POST /api/v1/compliance/consent-records/download-links': { body: () => ({ format: 'csv' }) },
  'GET /api/v1/compliance/consent-records/download': {
    url: () => `${API}/compliance/consent-records/download?token=cdl1.forged.link`,
  },
  'POST /api/v1/auth/refresh': {
    body: async (fx) => ({ refreshToken: (await fx.freshLogin('otherUser')).refreshToken }),
  },
  'POST /api/v1/auth/verify-email': { body: () => ({ token: 'not-a-real-token' }) },
  'POST /api/v1/auth/password/forgot': { body: (fx) => ({ email: fx.actors.user.email }) },
  'POST /api/v1/auth/password/reset': {
    body: () => ({ token: 'not-a-real-token', password: 'another fine password 42' }),
  },
  'GET /api/v1/auth/oauth/:provider/authorize': { url: () => `${API}/auth/oauth/nope/authorize` },
  'GET /api/v1/auth/oauth/:provider/callback': {
    url: () => `${API}/auth/oauth/nope/callback?code=x&state=y`,
  },
  'POST /api/v1/auth/logout': { freshLogin: true },
  'POST /api/v1/auth/logout-all': { freshLogin: true },
  'POST /api/v1/auth/password/change': {
    body: () => ({
      currentPassword: 'this is not the password',
      newPassword: 'another fine password 42',
    }),
  },
  'POST /api/v1/auth/mfa/totp/enable': { body: () => ({ code: '000000' }) },
  'POST /api/v1/auth/mfa/totp/disable': { body: () => ({ code: '000000' }) },
  'DELETE /api/v1/auth/sessions/:id': {
    url: (fx) => `${API}/auth/sessions/${fx.authSessionToRevoke}`,
  },
  'DELETE /api/v1/auth/identities/:id': { url: () => `${API}/auth/identities/${randomUUID()}` },

  'GET /api/v1/admin/users/:id': { url: (fx) => `${API}/admin/users/${fx.actors.user.id}` },
  'PATCH /api/v1/admin/users/:id': {
    url: (fx) => `${API}/admin/users/${fx.actors.user.id}`,
    body: () => ({ status: 'active' }),
  },
  'PUT /api/v1/admin/users/:id/roles': {
    url: (fx) => `${API}/admin/users/${fx.actors.user.id}/roles`,
    body: () => ({ roles: ['user'] }),
  },
  'POST /api/v1/admin/users/:id/mfa/reset': {
    url: () => `${API}/admin/users/${randomUUID()}/mfa/reset`,
    body: () => ({ reason: 'Authorization matrix check' }),
  },
  'POST /api/v1/auth/reauthenticate': { body: () => ({ password: 'this is not the password' }) },
  'POST /api/v1/admin/users/:id/unlock': {
    url: (fx) => `${API}/admin/users/${fx.actors.user.id}/unlock`,
  },
  'GET /api/v1/admin/documents/:id': { url: (fx) => `${API}/admin/documents/${fx.document}` },
  'POST /api/v1/admin/documents/:id/claim': {
    url: (fx) => `${API}/admin/documents/${fx.document}/claim`,
  },
  'POST /api/v1/admin/documents/:id/review': {
    url: (fx) => `${API}/admin/documents/${fx.document}/review`,
    body: () => ({ decision: 'verify' }),
  },
  'POST /api/v1/admin/documents/:id/reveal': {
    url: (fx) => `${API}/admin/documents/${fx.document}/reveal`,
    body: () => ({ reason: 'Authorization matrix check' }),
  },
  'GET /api/v1/admin/bookings/:id': { url: (fx) => `${API}/admin/bookings/${fx.booking}` },

  'POST /api/v1/me/consents': {
    body: (fx) => ({ purpose: 'marketing', version: fx.noticeVersions.marketing, granted: true }),
  },
  'POST /api/v1/compliance/consent-notices': {
    body: () => ({
      purpose: 'analytics',
      title: 'Analytics',
      text: `We measure how the product is used (${randomUUID()}).`,
      requiresReconsent: false,
    }),
  },
  'GET /api/v1/compliance/consent-records/verify': {
    url: (fx) => `${API}/compliance/consent-records/verify?subjectId=${fx.actors.user.id}`,
  },

  'POST /api/v1/compliance/retention/run': { body: () => ({ dryRun: true }) },
  'POST /api/v1/compliance/privacy-requests': {
    body: (fx) => ({ type: 'objection', channel: 'phone', subjectId: fx.actors.user.id }),
  },
  'GET /api/v1/compliance/privacy-requests/:id': {
    url: (fx) => `${API}/compliance/privacy-requests/${fx.privacyRequest}`,
  },
  'POST /api/v1/compliance/privacy-requests/:id/transition': {
    url: (fx) => `${API}/compliance/privacy-requests/${fx.privacyRequest}/transition`,
    body: () => ({ to: 'identity_verified', identityMethod: 'phone call-back' }),
  },
  'POST /api/v1/compliance/privacy-requests/:id/extend': {
    url: (fx) => `${API}/compliance/privacy-requests/${fx.privacyRequest}/extend`,
    body: () => ({ reason: 'Records in several systems.' }),
  },
  'GET /api/v1/compliance/privacy-requests/:id/export': {
    url: (fx) => `${API}/compliance/privacy-requests/${fx.privacyRequestToExport}/export`,
  },
  // Always a dry run: the walk never erases the fixture user.
  'POST /api/v1/compliance/privacy-requests/:id/erasure': {
    url: (fx) => `${API}/compliance/privacy-requests/${fx.privacyRequestToErase}/erasure`,
    body: () => ({ dryRun: true }),
  },
  'DELETE /api/v1/me': { body: () => ({ password: 'this is not the password' }) },

  'PATCH /api/v1/profile': { body: () => ({ city: 'Lisbon' }) },
  'PUT /api/v1/profile/travel-preferences': { body: () => ({ preferredCabinClass: 'economy' }) },
  'PATCH /api/v1/profile/travel-preferences': { body: () => ({ maxLayovers: 1 }) },
  'POST /api/v1/profile/documents': { body: () => documentBody() },
  'GET /api/v1/profile/documents/:id': { url: (fx) => `${API}/profile/documents/${fx.document}` },
  'PATCH /api/v1/profile/documents/:id': {
    url: (fx) => `${API}/profile/documents/${fx.document}`,
    body: () => ({ issuingAuthority: 'Préfecture de Lyon' }),
  },
  'DELETE /api/v1/profile/documents/:id': {
    url: (fx) => `${API}/profile/documents/${fx.documentToDelete}`,
  },

  'POST /api/v1/travelers': { body: () => ({ firstName: 'Matrix', lastName: 'Walker' }) },
  'GET /api/v1/travelers/:id': { url: (fx) => `${API}/travelers/${fx.traveler}` },
  'PATCH /api/v1/travelers/:id': {
    url: (fx) => `${API}/travelers/${fx.traveler}`,
    body: () => ({ middleName: 'Maria' }),
  },
  'DELETE /api/v1/travelers/:id': { url: (fx) => `${API}/travelers/${fx.travelerToArchive}` },
  'GET /api/v1/travelers/:id/preferences': {
    url: (fx) => `${API}/travelers/${fx.traveler}/preferences`,
  },
  'PUT /api/v1/travelers/:id/preferences': {
    url: (fx) => `${API}/travelers/${fx.traveler}/preferences`,
    body: () => ({ seatType: 'window' }),
  },
  'POST /api/v1/travelers/:id/guardian-consent': {
    url: (fx) => `${API}/travelers/${fx.minor}/guardian-consent`,
    body: () => ({ granted: true, guardianName: 'Ana Silva', relationship: 'parent' }),
  },
  'GET /api/v1/travelers/:id/bookability': {
    url: (fx) => `${API}/travelers/${fx.traveler}/bookability?travelDate=${daysFromNow(30)}`,
  },
  'GET /api/v1/travelers/:id/bookings': {
    url: (fx) => `${API}/travelers/${fx.traveler}/bookings`,
  },

  'POST /api/v1/traveler-groups': { body: () => ({ name: `Matrix ${randomUUID()}` }) },
  'GET /api/v1/traveler-groups/:id': { url: (fx) => `${API}/traveler-groups/${fx.travelerGroup}` },
  'PATCH /api/v1/traveler-groups/:id': {
    url: (fx) => `${API}/traveler-groups/${fx.travelerGroup}`,
    body: () => ({ name: `Renamed ${randomUUID()}` }),
  },
  'DELETE /api/v1/traveler-groups/:id': {
    url: (fx) => `${API}/traveler-groups/${fx.travelerGroupToDelete}`,
  },
  'PUT /api/v1/traveler-groups/:id/members/:travelerId': {
    url: (fx) => `${API}/traveler-groups/${fx.travelerGroup}/members/${fx.minor}`,
  },
  'DELETE /api/v1/traveler-groups/:id/members/:travelerId': {
    url: (fx) => `${API}/traveler-groups/${fx.travelerGroup}/members/${fx.traveler}`,
  },

  'POST /api/v1/travelers/:travelerId/documents': {
    url: (fx) => `${API}/travelers/${fx.traveler}/documents`,
    body: () => documentBody({ holderName: 'Ana Silva' }),
  },
  'GET /api/v1/travelers/:travelerId/documents': {
    url: (fx) => `${API}/travelers/${fx.traveler}/documents`,
  },
  'GET /api/v1/travelers/:travelerId/documents/:documentId': {
    url: (fx) => `${API}/travelers/${fx.traveler}/documents/${fx.travelerDocument}`,
  },
  'PATCH /api/v1/travelers/:travelerId/documents/:documentId': {
    url: (fx) => `${API}/travelers/${fx.traveler}/documents/${fx.travelerDocument}`,
    body: () => ({ issuingAuthority: 'Câmara de Lisboa' }),
  },
  'DELETE /api/v1/travelers/:travelerId/documents/:documentId': {
    url: (fx) => `${API}/travelers/${fx.traveler}/documents/${fx.travelerDocumentToDelete}`,
  },

  'POST /api/v1/profile/documents/:id/files': {
    url: (fx) => `${API}/profile/documents/${fx.document}/files`,
    body: async () => (await matrixUpload()).body,
    headers: async () => (await matrixUpload()).headers,
  },
  'GET /api/v1/profile/documents/:id/files': {
    url: (fx) => `${API}/profile/documents/${fx.document}/files`,
  },
  'GET /api/v1/profile/documents/:id/files/:fileId/content': {
    url: (fx) => `${API}/profile/documents/${fx.document}/files/${fx.documentFile}/content`,
  },
  'DELETE /api/v1/profile/documents/:id/files/:fileId': {
    url: (fx) => `${API}/profile/documents/${fx.document}/files/${fx.documentFileToDelete}`,
  },
  'POST /api/v1/travelers/:travelerId/documents/:documentId/files': {
    url: (fx) => `${API}/travelers/${fx.traveler}/documents/${fx.travelerDocument}/files`,
    body: async () => (await matrixUpload()).body,
    headers: async () => (await matrixUpload()).headers,
  },
  'GET /api/v1/travelers/:travelerId/documents/:documentId/files': {
    url: (fx) => `${API}/travelers/${fx.traveler}/documents/${fx.travelerDocument}/files`,
  },
  'GET /api/v1/travelers/:travelerId/documents/:documentId/files/:fileId/content': {
    url: (fx) =>
      `${API}/travelers/${fx.traveler}/documents/${fx.travelerDocument}/files/${fx.travelerDocumentFile}/content`,
  },
  'DELETE /api/v1/travelers/:travelerId/documents/:documentId/files/:fileId': {
    url: (fx) =>
      `${API}/travelers/${fx.traveler}/documents/${fx.travelerDocument}/files/${fx.travelerDocumentFileToDelete}`,
  },
  'GET /api/v1/admin/documents/:id/files/:fileId/content': {
    url: (fx) => `${API}/admin/documents/${fx.document}/files/${fx.documentFile}/content`,
  },

  'POST /api/v1/sessions': { body: () => ({ title: 'Matrix trip' }) },
  'GET /api/v1/sessions/:id': { url: (fx) => `${API}/sessions/${fx.session}` },
  'PATCH /api/v1/sessions/:id': {
    url: (fx) => `${API}/sessions/${fx.session}`,
    body: () => ({ title: 'Lisbon, again' }),
    headers: async (fx, _actor, ctx) => ({
      'if-match': await etagOf(ctx, fx, `${API}/sessions/${fx.session}`),
    }),
  },
  'DELETE /api/v1/sessions/:id': { url: (fx) => `${API}/sessions/${fx.sessionToArchive}` },
  'POST /api/v1/sessions/:id/messages': {
    url: (fx) => `${API}/sessions/${fx.session}/messages`,
    body: () => ({ role: 'user', content: 'Somewhere warm in May' }),
  },
  'GET /api/v1/sessions/:id/messages': { url: (fx) => `${API}/sessions/${fx.session}/messages` },
  'POST /api/v1/sessions/:id/saved-items': {
    url: (fx) => `${API}/sessions/${fx.session}/saved-items`,
    body: () => ({ itemType: 'activity', title: 'Tram 28' }),
  },
  'GET /api/v1/sessions/:id/saved-items': {
    url: (fx) => `${API}/sessions/${fx.session}/saved-items`,
  },
  'GET /api/v1/sessions/:id/saved-items/:itemId': {
    url: (fx) => `${API}/sessions/${fx.session}/saved-items/${fx.savedItem}`,
  },
  'PATCH /api/v1/sessions/:id/saved-items/:itemId': {
    url: (fx) => `${API}/sessions/${fx.session}/saved-items/${fx.savedItem}`,
    body: () => ({ notes: 'Book early' }),
  },
  'DELETE /api/v1/sessions/:id/saved-items/:itemId': {
    url: (fx) => `${API}/sessions/${fx.session}/saved-items/${fx.savedItemToDelete}`,
  },
  'GET /api/v1/sessions/:id/bookings': { url: (fx) => `${API}/sessions/${fx.session}/bookings` },

  'POST /api/v1/bookings': {
    body: (fx) => hotelBookingBody([fx.traveler]),
    headers: () => Promise.resolve({ 'idempotency-key': randomUUID() }),
  },
  'GET /api/v1/bookings/:id': { url: (fx) => `${API}/bookings/${fx.booking}` },
  'GET /api/v1/bookings/:id/ledger': { url: (fx) => `${API}/bookings/${fx.booking}/ledger` },
  'POST /api/v1/bookings/:id/cancellation-quote': {
    url: (fx) => `${API}/bookings/${fx.booking}/cancellation-quote`,
  },
  'POST /api/v1/providers/:provider/events': {
    url: () => `${API}/providers/sandbox/events`,
    body: () => ({
      id: `evt_${randomUUID()}`,
      type: 'booking.failed',
      providerReference: 'SBX-000000000000',
      occurredAt: new Date().toISOString(),
    }),
  },
  'POST /api/v1/bookings/:id/cancel': {
    url: (fx) => `${API}/bookings/${fx.bookingToCancel}/cancel`,
    body: async (fx, _actor, ctx) => ({ quoteId: await quoteFor(ctx, fx) }),
  },
};
