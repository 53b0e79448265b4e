import { randomUUID } from 'node:crypto';
import { hotelBookingBody } from '../factories/bookings.js';
import { grantConsent } from '../factories/consents.js';
import { sampleFiles } from '../factories/document-files.js';
import {
  createStaff,
  createVerifiedUser,
  login,
  loginAgain,
  type TestUser,
} from '../factories/users.js';
import type { TestApp } from '../utils/test-app.js';
import { inject, type ResponseLog } from './http.js';
import { PASSPORT_FIELDS } from '../factories/documents.js';

export const ACTORS = ['anonymous', 'user', 'otherUser', 'admin', 'compliance'] as const;
export type Actor = (typeof ACTORS)[number];
export type SignedInActor = Exclude<Actor, 'anonymous'>;

type Body = Record<string, unknown>;

let emailSequence = 0;

/** A unique address per call, for accounts the security specs register. */
export function uniqueSecurityEmail(prefix = 'sec'): string {
  emailSequence += 1;
  return `${prefix}-${emailSequence}-${randomUUID().slice(0, 8)}@example.test`;
}

export function yearsAgo(years: number): string {
  const date = new Date();
  date.setUTCFullYear(date.getUTCFullYear() - years);
  return date.toISOString().slice(0, 10);
}

/** Document numbers used by the fixtures: they must never come back whole (except reveal). */
export const documentNumbers: string[] = [];

export function documentBody(overrides: Body = {}): Body {
  const number = `SEC${randomUUID().replace(/-/g, '').slice(0, 9).toUpperCase()}`;
  documentNumbers.push(number);
  return {
    ...PASSPORT_FIELDS,
    number,
    ...overrides,
  };
}

/** The objects owned by "user" that routes with path ids address. */
export interface Fixtures {
  actors: Record<SignedInActor, TestUser>;
  session: string;
  sessionToArchive: string;
  savedItem: string;
  savedItemToDelete: string;
  traveler: string;
  minor: string;
  travelerToArchive: string;
  travelerGroup: string;
  travelerGroupToDelete: string;
  document: string;
  /** The whole number of `document` (only the admin reveal may answer it). */
  documentNumber: string;
  documentToDelete: string;
  travelerDocument: string;
  travelerDocumentToDelete: string;
  /** Files (scans): `document` has a front scan (the desk verifies only with one). */
  documentFile: string;
  documentFileToDelete: string;
  travelerDocumentFile: string;
  travelerDocumentFileToDelete: string;
  booking: string;
  bookingToCancel: string;
  authSessionToRevoke: string;
  /** Privacy requests about "user" (compliance staff): received; verified access; verified erasure. */
  privacyRequest: string;
  privacyRequestToExport: string;
  privacyRequestToErase: string;
  noticeVersions: Record<string, number>;
  /** A new token pair for an actor's account (routes that end sessions get their own). */
  freshLogin(actor: SignedInActor): Promise<TestUser>;
}

/** A multipart upload of a small PNG: `{ body, headers }` for `inject`. */
export async function multipartUpload(
  side = 'front',
): Promise<{ body: Buffer; headers: Record<string, string> }> {
  const boundary = `matrix-${randomUUID()}`;
  const body = Buffer.concat([
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="side"\r\n\r\n${side}\r\n` +
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="scan.png"\r\n` +
        'Content-Type: image/png\r\n\r\n',
    ),
    await sampleFiles.png(16, 12),
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { body, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

async function uploaded(ctx: TestApp, user: TestUser, url: string, side: string): Promise<string> {
  const { body, headers } = await multipartUpload(side);
  const response = await inject(ctx, {
    method: 'POST',
    url,
    headers: { ...user.authHeader, ...headers },
    body,
  });
  if (response.status !== 201) throw new Error(`upload to ${url}: ${response.status}`);
  return String((response.json() as { id: string }).id);
}

/** A verified user holding every consent the data routes ask for. */
export async function consentingUser(ctx: TestApp): Promise<TestUser> {
  const user = await createVerifiedUser(ctx);
  for (const purpose of ['travel_planning', 'travel_documents', 'travel_booking']) {
    await grantConsent(ctx, user, purpose);
  }
  return user;
}

async function created(
  ctx: TestApp,
  user: TestUser,
  url: string,
  body: unknown,
  log?: ResponseLog,
  headers: Record<string, string> = {},
  expected = 201,
): Promise<Body> {
  const response = await inject(
    ctx,
    { method: 'POST', url, headers: { ...user.authHeader, ...headers }, body },
    log,
  );
  if (response.status !== expected) {
    throw new Error(`fixture POST ${url} → ${response.status} ${response.text}`);
  }
  return response.json() as Body;
}

/** Small fixtures: four accounts and one or two objects of each kind, all owned by "user". */
export async function buildFixtures(ctx: TestApp, log?: ResponseLog): Promise<Fixtures> {
  const [user, otherUser, admin, compliance] = await Promise.all([
    consentingUser(ctx),
    consentingUser(ctx),
    createStaff(ctx, ['user', 'admin']),
    createStaff(ctx, ['user', 'compliance']),
  ]);
  const actors = { user, otherUser, admin, compliance };
  const api = '/api/v1';
  const firstDocumentBody = documentBody();
  const [
    session,
    sessionToArchive,
    traveler,
    minor,
    travelerToArchive,
    document,
    documentToDelete,
  ] = await Promise.all([
    created(ctx, user, `${api}/sessions`, { title: 'Lisbon', message: 'A week in Lisbon' }, log),
    created(ctx, user, `${api}/sessions`, { title: 'Porto' }, log),
    created(ctx, user, `${api}/travelers`, {
      firstName: 'Ana',
      lastName: 'Silva',
      dateOfBirth: yearsAgo(30),
    }),
    created(ctx, user, `${api}/travelers`, {
      firstName: 'Rui',
      lastName: 'Silva',
      dateOfBirth: yearsAgo(8),
    }),
    created(ctx, user, `${api}/travelers`, { firstName: 'Old', lastName: 'Friend' }),
    created(ctx, user, `${api}/profile/documents`, firstDocumentBody, log),
    created(ctx, user, `${api}/profile/documents`, documentBody(), log),
  ]);
  const item = { itemType: 'hotel', title: 'Casa Azul' };
  const [savedItem, savedItemToDelete, booking, bookingToCancel] = await Promise.all([
    created(ctx, user, `${api}/sessions/${String(session.id)}/saved-items`, item, log),
    created(ctx, user, `${api}/sessions/${String(session.id)}/saved-items`, item, log),
    created(ctx, user, `${api}/bookings`, hotelBookingBody([String(traveler.id)]), log, {
      'idempotency-key': randomUUID(),
    }),
    created(ctx, user, `${api}/bookings`, hotelBookingBody([String(traveler.id)]), log, {
      'idempotency-key': randomUUID(),
    }),
  ]);
  const travelerDocuments = `${api}/travelers/${String(traveler.id)}/documents`;
  const [travelerDocument, travelerDocumentToDelete] = await Promise.all([
    created(ctx, user, travelerDocuments, documentBody({ holderName: 'Ana Silva' }), log),
    created(ctx, user, travelerDocuments, documentBody({ holderName: 'Ana Silva' }), log),
  ]);
  const [travelerGroup, travelerGroupToDelete] = await Promise.all(
    ['Family', 'Ski club'].map((name) =>
      created(
        ctx,
        user,
        `${api}/traveler-groups`,
        { name, travelerIds: [String(traveler.id)] },
        log,
      ),
    ),
  );
  const privacyRequests = `${api}/compliance/privacy-requests`;
  const [privacyRequest, privacyRequestToExport, privacyRequestToErase] = await Promise.all(
    (['access', 'access', 'erasure'] as const).map((type) =>
      created(ctx, compliance, privacyRequests, { type, channel: 'email', subjectId: user.id }),
    ),
  );
  for (const verified of [privacyRequestToExport, privacyRequestToErase]) {
    await created(
      ctx,
      compliance,
      `${privacyRequests}/${String(verified.id)}/transition`,
      { to: 'identity_verified', identityMethod: 'signed letter' },
      undefined,
      {},
      200,
    );
  }
  const travelerFiles = `${travelerDocuments}/${String(travelerDocument.id)}/files`;
  const [documentFile, documentFileToDelete, travelerDocumentFile, travelerDocumentFileToDelete] = [
    await uploaded(ctx, user, `${api}/profile/documents/${String(document.id)}/files`, 'front'),
    await uploaded(ctx, user, `${api}/profile/documents/${String(document.id)}/files`, 'back'),
    await uploaded(ctx, user, travelerFiles, 'front'),
    await uploaded(ctx, user, travelerFiles, 'back'),
  ];
  const spare = await login(ctx, user.email, user.password);
  const sessions = await inject(ctx, {
    method: 'GET',
    url: `${api}/auth/sessions?limit=100`,
    headers: spare.authHeader,
  });
  const items = (sessions.json() as { items: { id: string; current?: boolean }[] }).items;
  const spareSession = items.find((entry) => entry.current === true)?.id;
  if (!spareSession) throw new Error(`no current session in ${sessions.text}`);
  const notices = await inject(ctx, { method: 'GET', url: `${api}/consent-notices` });
  const noticeVersions = Object.fromEntries(
    (notices.json() as { items: { purpose: string; version: number }[] }).items.map((notice) => [
      notice.purpose,
      notice.version,
    ]),
  );
  return {
    actors,
    session: String(session.id),
    sessionToArchive: String(sessionToArchive.id),
    savedItem: String(savedItem.id),
    savedItemToDelete: String(savedItemToDelete.id),
    traveler: String(traveler.id),
    minor: String(minor.id),
    travelerToArchive: String(travelerToArchive.id),
    travelerGroup: String(travelerGroup?.id),
    travelerGroupToDelete: String(travelerGroupToDelete?.id),
    document: String(document.id),
    documentNumber: String(firstDocumentBody.number),
    documentToDelete: String(documentToDelete.id),
    travelerDocument: String(travelerDocument.id),
    travelerDocumentToDelete: String(travelerDocumentToDelete.id),
    documentFile,
    documentFileToDelete,
    travelerDocumentFile,
    travelerDocumentFileToDelete,
    booking: String(booking.id),
    bookingToCancel: String(bookingToCancel.id),
    authSessionToRevoke: spareSession,
    privacyRequest: String(privacyRequest.id),
    privacyRequestToExport: String(privacyRequestToExport.id),
    privacyRequestToErase: String(privacyRequestToErase.id),
    noticeVersions,
    freshLogin: (actor) => loginAgain(ctx, actors[actor]),
  };
}
