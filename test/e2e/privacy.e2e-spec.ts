import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { grantConsent, withdrawConsent } from '../factories/consents.js';
import { createSession } from '../factories/sessions.js';
import { createTraveler, grantGuardianConsent, yearsAgo } from '../factories/travelers.js';
import {
  createStaff,
  createVerifiedUser,
  login,
  uniqueEmail,
  type TestUser,
} from '../factories/users.js';
import { createTestApp, type TestApp } from '../utils/test-app.js';
import { PrivacyContributors } from '#modules/compliance/privacy/privacy-contributors.js';
import { API_PREFIX } from '#libs/common/http/api-prefix.js';

const API = API_PREFIX;

/**
 * Tables without personal data, reviewed: each entry says why no contributor claims it. A new
 * table with personal data must be claimed by a contributor's describe(), or this test fails.
 */
const NO_PERSONAL_DATA: Record<string, string> = {
  consent_notices: 'published notice texts; about no person',
  scheduled_job_runs: 'which instance ran which scheduled job for which period; no person',
  oauth_login_flows:
    'state, nonce and encrypted PKCE verifier of an unfinished sign-in; no user id, expires in minutes (purged by retention)',
};

/** A raw export document: the body text and its parsed form. */
interface ExportDocument {
  text: string;
  json: {
    schemaVersion: number;
    format: string;
    subjectId: string;
    privacyRequestId: string;
    complete: boolean;
    categories: { category: string; erasure: string }[];
    data: Record<string, Record<string, unknown>>;
  };
}

interface Person {
  user: TestUser;
  fullName: string;
  travelerName: string;
  marker: string;
  sessionId: string;
  travelerId: string;
  bookingId: string;
  documentNumber: string;
}

describe('data-subject rights: export, erasure preview, erasure', () => {
  let ctx: TestApp;
  let compliance: TestUser;
  let admin: TestUser;

  beforeAll(async () => {
    ctx = await createTestApp();
    compliance = await createStaff(ctx, ['compliance']);
    admin = await createStaff(ctx, ['admin']);
  });

  afterAll(async () => {
    await ctx.close();
  });

  /** A user with consents, a minor traveler with guardian consent, a session with messages and a saved item. */
  async function person(label: string): Promise<Person> {
    const marker = `${label}${randomUUID().slice(0, 8)}`;
    const fullName = `Quibble ${marker} Worthington`;
    const travelerName = `Trav${marker}`;
    const user = await createVerifiedUser(ctx, { email: uniqueEmail(label), fullName });
    await grantConsent(ctx, user, 'travel_planning');
    await grantConsent(ctx, user, 'travel_documents');
    await grantConsent(ctx, user, 'travel_booking');
    await grantConsent(ctx, user, 'marketing');
    await withdrawConsent(ctx, user, 'marketing');
    const travelerId = await createTraveler(ctx, user, {
      firstName: travelerName,
      lastName: 'Kid',
      dateOfBirth: yearsAgo(8),
      email: `${marker.toLowerCase()}@kids.example.test`,
    });
    await grantGuardianConsent(ctx, user, travelerId, fullName);
    const prefs = await ctx
      .http()
      .put(`${API}/travelers/${travelerId}/preferences`)
      .set(user.authHeader)
      .send({ specialAssistanceNotes: `needs ${marker}` });
    expect(prefs.status).toBe(200);
    const sessionId = await createSession(ctx, user, {
      title: `Trip of ${fullName}`,
      message: `Hello from ${marker}`,
    });
    const message = await ctx
      .http()
      .post(`${API}/sessions/${sessionId}/messages`)
      .set(user.authHeader)
      .send({ role: 'user', content: `I am ${fullName}, mail me at ${user.email}` });
    expect(message.status).toBe(201);
    const item = await ctx
      .http()
      .post(`${API}/sessions/${sessionId}/saved-items`)
      .set(user.authHeader)
      .send({ itemType: 'hotel', title: `Hotel for ${marker}`, notes: fullName });
    expect(item.status).toBe(201);
    const profile = await ctx
      .http()
      .patch(`${API}/profile`)
      .set(user.authHeader)
      .send({
        firstName: 'Quibble',
        lastName: `${marker}Worthington`,
        city: `City${marker}`,
        emergencyContact: { name: fullName, phone: '+32470123456', relationship: 'spouse' },
      });
    expect(profile.status).toBe(200);
    const documentNumber = `P${marker.toUpperCase().replace(/[^A-Z0-9]/g, '')}`.slice(0, 12);
    const document = await ctx.http().post(`${API}/profile/documents`).set(user.authHeader).send({
      type: 'passport',
      number: documentNumber,
      issuingCountry: 'FR',
      nationality: 'FR',
      holderName: fullName,
      dateOfBirth: '1990-04-01',
      issueDate: '2021-03-01',
      expiryDate: '2031-02-28',
    });
    expect(document.status).toBe(201);
    const adultId = await createTraveler(ctx, user, {
      firstName: `Adult${marker}`,
      lastName: 'Worthington',
      dateOfBirth: '1985-02-03',
    });
    const travelerDocument = await ctx
      .http()
      .post(`${API}/travelers/${adultId}/documents`)
      .set(user.authHeader)
      .send({
        type: 'passport',
        number: `T${documentNumber.slice(1)}`,
        issuingCountry: 'DE',
        nationality: 'DE',
        holderName: `Adult${marker} Worthington`,
        dateOfBirth: '1985-02-03',
        issueDate: '2022-01-01',
        expiryDate: '2032-01-01',
      });
    expect(travelerDocument.status).toBe(201);
    const inDays = (days: number) =>
      new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
    const booking = await ctx
      .http()
      .post(`${API}/bookings`)
      .set(user.authHeader)
      .set('Idempotency-Key', randomUUID())
      .send({
        bookingType: 'hotel',
        travelerIds: [adultId, travelerId],
        sessionId,
        currency: 'EUR',
        details: {
          hotelId: 'H-100',
          hotelName: 'Casa Azul',
          city: 'Lisbon',
          country: 'PT',
          checkInDate: inDays(60),
          checkOutDate: inDays(63),
          roomType: 'Double',
          specialRequests: `Flowers for ${fullName}`,
        },
      });
    expect(booking.status).toBe(201);
    return {
      user,
      fullName,
      travelerName,
      marker,
      sessionId,
      travelerId,
      bookingId: booking.body.id as string,
      documentNumber,
    };
  }

  async function exportOf(user: TestUser): Promise<ExportDocument> {
    const response = await ctx
      .http()
      .get(`${API}/me/export`)
      .set(user.authHeader)
      .buffer(true)
      .parse((res, callback) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => callback(null, text));
      });
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    const text = response.body as string;
    return { text, json: JSON.parse(text) as ExportDocument['json'] };
  }

  /** Counts, per table.column, the rows whose text form contains `needle` (case-insensitive). */
  async function findEverywhere(needle: string): Promise<string[]> {
    const columns = (await ctx.dataSource.query(
      `SELECT table_name, column_name FROM information_schema.columns
        WHERE table_schema = 'public'
          AND (data_type IN ('text', 'character varying', 'character', 'json', 'jsonb')
               OR (data_type = 'ARRAY' AND udt_name IN ('_text', '_varchar')))`,
    )) as { table_name: string; column_name: string }[];
    expect(columns.length).toBeGreaterThan(20);
    const hits: string[] = [];
    for (const { table_name: table, column_name: column } of columns) {
      const [row] = (await ctx.dataSource.query(
        `SELECT count(*)::int AS n FROM "${table}" WHERE strpos(lower("${column}"::text), lower($1)) > 0`,
        [needle],
      )) as { n: number }[];
      if ((row?.n ?? 0) > 0) hits.push(`${table}.${column}`);
    }
    return hits;
  }

  it('every table holding personal data is claimed by a contributor (or reviewed as holding none)', () => {
    const tables = ctx.dataSource.entityMetadatas.map((meta) => meta.tableName).sort();
    const claimed = new Set(
      ctx.app
        .get(PrivacyContributors)
        .categories()
        .flatMap((category) => category.tables),
    );
    const unclaimed = tables.filter((table) => !claimed.has(table) && !NO_PERSONAL_DATA[table]);
    expect(unclaimed).toEqual([]);
    // No stale claims or allow-list entries either.
    for (const table of [...claimed, ...Object.keys(NO_PERSONAL_DATA)]) {
      expect(tables).toContain(table);
    }
    const keys = ctx.app
      .get(PrivacyContributors)
      .all()
      .map((entry) => entry.key);
    expect(keys).toEqual(
      expect.arrayContaining([
        'auth',
        'compliance',
        'privacy',
        'travelers',
        'sessions',
        'profiles',
        'bookings',
      ]),
    );
    // Kept bookings are pseudonymised before the travelers and sessions they point at go.
    expect(keys.indexOf('bookings')).toBeLessThan(keys.indexOf('travelers'));
    // The account goes last.
    expect(keys.at(-1)).toBe('auth');
  });

  it('needs a bearer token', async () => {
    for (const request of [
      ctx.http().get(`${API}/me/export`),
      ctx.http().post(`${API}/me/erasure/preview`),
      ctx.http().delete(`${API}/me`).send({ password: 'x' }),
    ]) {
      const response = await request;
      expect(response.status).toBe(401);
    }
  });

  it('GET /me/export streams everything about the caller and nothing about anyone else', async () => {
    const alice = await person('alice');
    const bob = await person('bob');
    const { text, json } = await exportOf(alice.user);

    expect(json).toMatchObject({
      schemaVersion: 1,
      format: 'pathavana.personal-data-export',
      subjectId: alice.user.id,
      complete: true,
    });
    expect(Object.keys(json.data)).toEqual(
      expect.arrayContaining([
        'auth',
        'compliance',
        'privacy',
        'travelers',
        'sessions',
        'profiles',
        'bookings',
      ]),
    );
    const profiles = json.data.profiles as {
      profile: { city: string };
      documents: { numberMasked: string; holderName: string }[];
    };
    expect(profiles.profile.city).toBe(`City${alice.marker}`);
    expect(profiles.documents).toHaveLength(1);
    expect(profiles.documents[0]?.holderName).toBe(alice.fullName);
    expect(profiles.documents[0]?.numberMasked.slice(-4)).toBe(alice.documentNumber.slice(-4));
    // The whole number, its ciphertext and blind index never leave.
    expect(text).not.toContain(alice.documentNumber);
    expect(text).not.toMatch(/number_?[cC]iphertext|number_?[iI]ndex/);
    const bookings = json.data.bookings as {
      bookings: { id: string; travelers: { fullName: string }[]; ledger: unknown[] }[];
    };
    expect(bookings.bookings.map((b) => b.id)).toEqual([alice.bookingId]);
    expect(bookings.bookings[0]?.travelers).toHaveLength(2);
    expect(bookings.bookings[0]?.ledger.length).toBeGreaterThan(0);
    const auth = json.data.auth as {
      account: { email: string; fullName: string };
      authEvents: { type: string }[];
      refreshSessions: unknown[];
    };
    expect(auth.account).toMatchObject({ email: alice.user.email, fullName: alice.fullName });
    expect(auth.account).not.toHaveProperty('passwordHash');
    expect(text).not.toMatch(/argon2/);
    expect(auth.authEvents.map((event) => event.type)).toEqual(
      expect.arrayContaining(['register', 'email_verified']),
    );
    expect(auth.refreshSessions.length).toBeGreaterThan(0);

    const ledger = json.data.compliance as {
      consents: { purpose: string; granted: boolean }[];
      consentHistory: {
        purpose: string;
        decision: string;
        source: string;
        travelerId: string | null;
      }[];
      auditEvents: { action: string }[];
    };
    expect(ledger.consents.find((c) => c.purpose === 'travel_planning')?.granted).toBe(true);
    expect(ledger.consents.find((c) => c.purpose === 'marketing')?.granted).toBe(false);
    expect(ledger.consentHistory.map((e) => `${e.purpose}:${e.decision}`)).toEqual(
      expect.arrayContaining([
        'travel_planning:granted',
        'marketing:granted',
        'marketing:withdrawn',
      ]),
    );
    expect(ledger.consentHistory.some((e) => e.travelerId === alice.travelerId)).toBe(true);
    expect(ledger.auditEvents.map((e) => e.action)).toContain('privacy.export');

    const travelers = json.data.travelers as {
      travelers: {
        firstName: string;
        dateOfBirth: string;
        preferences: { specialAssistanceNotes: string };
      }[];
    };
    expect(travelers.travelers).toHaveLength(2);
    const travelerDocuments = (
      json.data.travelers as { documents: { holderName: string; numberMasked: string }[] }
    ).documents;
    expect(travelerDocuments).toHaveLength(1);
    expect(travelerDocuments[0]?.holderName).toBe(`Adult${alice.marker} Worthington`);
    expect(text).not.toContain(`T${alice.documentNumber.slice(1)}`);
    const kid = travelers.travelers.find((t) => t.firstName === alice.travelerName);
    expect(kid?.dateOfBirth).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(kid?.preferences.specialAssistanceNotes).toBe(`needs ${alice.marker}`);

    const sessions = json.data.sessions as {
      sessions: { id: string; messages: { content: string }[] }[];
      savedItems: { sessionId: string; title: string }[];
    };
    expect(sessions.sessions.map((s) => s.id)).toEqual([alice.sessionId]);
    expect(sessions.sessions[0]?.messages.map((m) => m.content)).toEqual(
      expect.arrayContaining([`Hello from ${alice.marker}`]),
    );
    expect(sessions.savedItems).toEqual([
      expect.objectContaining({ sessionId: alice.sessionId, title: `Hotel for ${alice.marker}` }),
    ]);

    const privacy = json.data.privacy as { requests: { id: string; type: string }[] };
    expect(privacy.requests.map((r) => r.id)).toContain(json.privacyRequestId);

    // Nothing of Bob: not his id, email, name, traveler, session or marker.
    for (const needle of [
      bob.bookingId,
      bob.documentNumber,
      bob.user.id,
      bob.user.email,
      bob.fullName,
      bob.marker,
      bob.sessionId,
      bob.travelerId,
    ]) {
      expect(text).not.toContain(needle);
    }

    // Registered as a privacy request (completed, due one month later) and audited.
    const register = await ctx
      .http()
      .get(`${API}/compliance/privacy-requests`)
      .query({ subjectId: alice.user.id, type: 'access' })
      .set(compliance.authHeader);
    expect(register.status).toBe(200);
    const entry = register.body.items.find((r: { id: string }) => r.id === json.privacyRequestId);
    expect(entry).toMatchObject({
      type: 'access',
      channel: 'self_service',
      status: 'completed',
      subjectId: alice.user.id,
    });
    const due = new Date(entry.receivedAt);
    due.setUTCMonth(due.getUTCMonth() + 1);
    expect(Math.abs(new Date(entry.dueAt).getTime() - due.getTime())).toBeLessThan(4 * 86_400_000);
    expect(entry.completedAt).not.toBeNull();
    const [audit] = await ctx.dataSource.query(
      `SELECT count(*)::int AS n FROM audit_events WHERE action = 'privacy.export' AND subject_id = $1 AND resource_id = $2`,
      [alice.user.id, json.privacyRequestId],
    );
    expect(audit.n).toBe(1);
  });

  it('the privacy-request register is for compliance staff, keyset paginated, validated', async () => {
    const carol = await person('carol');
    await exportOf(carol.user);
    await exportOf(carol.user);
    await exportOf(carol.user);
    const forbidden = await ctx
      .http()
      .get(`${API}/compliance/privacy-requests`)
      .set(carol.user.authHeader);
    expect(forbidden.status).toBe(403);
    const bad = await ctx
      .http()
      .get(`${API}/compliance/privacy-requests`)
      .query({ type: 'gossip' })
      .set(compliance.authHeader);
    expect(bad.status).toBe(400);
    const first = await ctx
      .http()
      .get(`${API}/compliance/privacy-requests`)
      .query({ subjectId: carol.user.id, limit: 2 })
      .set(compliance.authHeader);
    expect(first.status).toBe(200);
    expect(first.body.items).toHaveLength(2);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const second = await ctx
      .http()
      .get(`${API}/compliance/privacy-requests`)
      .query({ subjectId: carol.user.id, limit: 2, cursor: first.body.nextCursor })
      .set(compliance.authHeader);
    expect(second.body.items).toHaveLength(1);
    expect(second.body.nextCursor).toBeNull();
    const ids = [...first.body.items, ...second.body.items].map((r: { id: string }) => r.id);
    expect(new Set(ids).size).toBe(3);
  });

  it('POST /me/erasure/preview reports per category and changes nothing', async () => {
    const dave = await person('dave');
    const before = await findEverywhere(dave.user.email);
    const response = await ctx.http().post(`${API}/me/erasure/preview`).set(dave.user.authHeader);
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      executed: false,
      privacyRequestId: null,
      pseudonym: null,
    });
    const byCategory = Object.fromEntries(
      (response.body.categories as { category: string }[]).map((c) => [c.category, c]),
    );
    expect(byCategory['auth.account']).toMatchObject({
      action: 'delete',
      rows: 1,
      keptUntil: null,
    });
    expect(byCategory['profiles.profile']).toMatchObject({ action: 'delete', rows: 1 });
    expect(byCategory['profiles.documents']).toMatchObject({ action: 'delete', rows: 1 });
    expect(byCategory['bookings.bookings']).toMatchObject({
      action: 'pseudonymise',
      rows: 1,
      retention: expect.objectContaining({ policy: 'bookings', period: 'P10Y' }),
    });
    expect(byCategory['bookings.travelers']).toMatchObject({ action: 'pseudonymise', rows: 2 });
    expect(byCategory['bookings.idempotency_keys']).toMatchObject({ action: 'delete', rows: 1 });
    expect(byCategory['sessions.sessions']).toMatchObject({ action: 'delete', rows: 1 });
    expect(byCategory['sessions.saved_items']).toMatchObject({ action: 'delete', rows: 1 });
    expect(byCategory['travelers.travelers']).toMatchObject({ action: 'delete', rows: 2 });
    expect(byCategory['travelers.preferences']).toMatchObject({ action: 'delete', rows: 1 });
    expect(byCategory['travelers.documents']).toMatchObject({ action: 'delete', rows: 1 });
    const ledger = byCategory['compliance.consent_events'] as unknown as {
      action: string;
      rows: number;
      keptUntil: string;
      retention: { policy: string; period: string; reason: string };
    };
    // travel_planning, travel_documents, travel_booking, marketing granted + withdrawn, guardian.
    expect(ledger).toMatchObject({ action: 'pseudonymise', rows: 6 });
    expect(ledger.retention).toMatchObject({ policy: 'consent_ledger', period: 'P10Y' });
    const years = (new Date(ledger.keptUntil).getTime() - Date.now()) / (365 * 86_400_000);
    expect(years).toBeGreaterThan(9.9);
    expect(years).toBeLessThan(10.1);
    // Nothing changed.
    expect(await findEverywhere(dave.user.email)).toEqual(before);
    const me = await ctx.http().get(`${API}/auth/me`).set(dave.user.authHeader);
    expect(me.status).toBe(200);
  });

  it('DELETE /me validates the body and the password', async () => {
    const erin = await person('erin');
    const unknownField = await ctx
      .http()
      .delete(`${API}/me`)
      .set(erin.user.authHeader)
      .send({ password: erin.user.password, force: true });
    expect(unknownField.status).toBe(400);
    const wrong = await ctx
      .http()
      .delete(`${API}/me`)
      .set(erin.user.authHeader)
      .send({ password: 'not the password at all' });
    expect(wrong.status).toBe(403);
    expect(wrong.body.code).toBe('REAUTHENTICATION_FAILED');
    const missing = await ctx.http().delete(`${API}/me`).set(erin.user.authHeader).send({});
    expect(missing.status).toBe(403);
    expect(missing.body.code).toBe('REAUTHENTICATION_REQUIRED');
    const me = await ctx.http().get(`${API}/auth/me`).set(erin.user.authHeader);
    expect(me.status).toBe(200);
  });

  it('DELETE /me erases: login fails, email and name are nowhere, consent proof still verifies', async () => {
    const frank = await person('frank');
    const bystander = await person('grace');
    const secondDevice = await login(ctx, frank.user.email, frank.user.password);
    const preview = await ctx.http().post(`${API}/me/erasure/preview`).set(frank.user.authHeader);
    const [chainBefore] = await ctx.dataSource.query(
      `SELECT count(*)::int AS n, max(hash) AS head FROM consent_events WHERE subject_id = $1`,
      [frank.user.id],
    );

    const response = await ctx
      .http()
      .delete(`${API}/me`)
      .set(frank.user.authHeader)
      .send({ password: frank.user.password });
    expect(response.status).toBe(200);
    const report = response.body as {
      executed: boolean;
      pseudonym: string;
      privacyRequestId: string;
      categories: { category: string; rows: number; action: string }[];
    };
    expect(report.executed).toBe(true);
    expect(report.pseudonym).toMatch(/^[0-9a-f-]{36}$/);
    expect(report.pseudonym).not.toBe(frank.user.id);
    // The preview said exactly what happened.
    const rows = (body: { categories: { category: string; rows: number }[] }) =>
      Object.fromEntries(body.categories.map((c) => [c.category, c.rows]));
    const previewRows = rows(preview.body);
    const reportRows = rows(report);
    expect(reportRows).toEqual(previewRows);
    expect(reportRows['auth.refresh_sessions']).toBe(2);

    // Every session is gone: both devices' tokens are refused, login fails.
    for (const header of [frank.user.authHeader, secondDevice.authHeader]) {
      const me = await ctx.http().get(`${API}/auth/me`).set(header);
      expect(me.status).toBe(401);
    }
    const refresh = await ctx
      .http()
      .post(`${API}/auth/refresh`)
      .send({ refreshToken: secondDevice.refreshToken });
    expect(refresh.status).toBe(401);
    const relogin = await ctx
      .http()
      .post(`${API}/auth/login`)
      .send({ email: frank.user.email, password: frank.user.password });
    expect(relogin.status).toBe(401);

    // The email, the name, the traveler's name and the marker are nowhere in the database.
    for (const needle of [
      frank.user.email,
      frank.fullName,
      frank.travelerName,
      frank.marker,
      frank.documentNumber,
    ]) {
      expect(await findEverywhere(needle)).toEqual([]);
    }
    // The user id survives in no consent or audit row, as subject or as actor (guardian consent
    // included: the guardian is its subject, its actor_id is null).
    const idHits = await ctx.dataSource.query(
      `SELECT 'consent_events' AS t FROM consent_events WHERE subject_id = $1 OR actor_id = $1
       UNION ALL SELECT 'audit_events' FROM audit_events WHERE subject_id = $1 OR actor_id = $1
       UNION ALL SELECT 'privacy_requests' FROM privacy_requests WHERE subject_id = $1
       UNION ALL SELECT 'auth_events' FROM auth_events WHERE user_id = $1`,
      [frank.user.id],
    );
    expect(idHits).toEqual([]);

    // Consent proof kept under the pseudonym: same rows, same head, the chain verifies.
    const [chainAfter] = await ctx.dataSource.query(
      `SELECT count(*)::int AS n, max(hash) AS head FROM consent_events WHERE subject_id = $1`,
      [report.pseudonym],
    );
    expect(chainAfter).toEqual(chainBefore);
    const verify = await ctx
      .http()
      .get(`${API}/compliance/consent-records/verify`)
      .query({ subjectId: report.pseudonym })
      .set(compliance.authHeader);
    expect(verify.status).toBe(200);
    expect(verify.body).toMatchObject({ intact: true, eventCount: chainBefore.n, brokenAt: null });

    // Registered (pseudonymous subject, completed) and audited.
    const register = await ctx
      .http()
      .get(`${API}/compliance/privacy-requests`)
      .query({ subjectId: report.pseudonym })
      .set(compliance.authHeader);
    const types = register.body.items.map(
      (r: { type: string; status: string }) => `${r.type}:${r.status}`,
    );
    expect(types).toContain('erasure:completed');
    const [audit] = await ctx.dataSource.query(
      `SELECT actor_id, subject_id FROM audit_events WHERE action = 'privacy.erasure' AND resource_id = $1`,
      [report.privacyRequestId],
    );
    expect(audit).toEqual({ actor_id: report.pseudonym, subject_id: report.pseudonym });

    // The booking is kept for the support desk, with pseudonymised travelers and its ledger.
    const support = await ctx
      .http()
      .get(`${API}/admin/bookings/${frank.bookingId}`)
      .set(admin.authHeader);
    expect(support.status).toBe(200);
    expect(JSON.stringify(support.body)).not.toContain(frank.marker);
    const [kept] = await ctx.dataSource.query(
      `SELECT (SELECT count(*) FROM booking_travelers WHERE booking_id = $1)::int AS travelers,
              (SELECT count(*) FROM booking_ledger WHERE booking_id = $1)::int AS ledger,
              (SELECT array_agg(full_name ORDER BY position) FROM booking_travelers WHERE booking_id = $1) AS names,
              (SELECT u.status::text FROM users u JOIN bookings b ON b.user_id = u.id WHERE b.id = $1) AS account`,
      [frank.bookingId],
    );
    expect(kept).toMatchObject({
      travelers: 2,
      names: ['Erased traveler 1', 'Erased traveler 2'],
      account: 'deleted',
    });
    expect(kept.ledger).toBeGreaterThan(0);

    // The bystander is untouched.
    const bystanderExport = await exportOf(bystander.user);
    expect((bystanderExport.json.data.sessions as { sessions: unknown[] }).sessions).toHaveLength(
      1,
    );
    expect(await findEverywhere(bystander.user.email)).toContain('users.email');

    // The same email can register again (a new, unrelated account).
    const again = await ctx
      .http()
      .post(`${API}/auth/register`)
      .send({ email: frank.user.email, password: frank.user.password, fullName: 'New Person' });
    expect(again.status).toBe(201);
    expect(again.body.user.id).not.toBe(frank.user.id);
  });

  it('two concurrent erasures of one account: one succeeds, the other finds nothing', async () => {
    const judy = await person('judy');
    const attempts = await Promise.all(
      [0, 1].map(() =>
        ctx
          .http()
          .delete(`${API}/me`)
          .set(judy.user.authHeader)
          .send({ password: judy.user.password }),
      ),
    );
    const statuses = attempts.map((response) => response.status).sort();
    expect(statuses[0]).toBe(200);
    expect([401, 404]).toContain(statuses[1]);
    const [requests] = await ctx.dataSource.query(
      `SELECT count(*)::int AS n FROM privacy_requests WHERE type = 'erasure' AND subject_id = $1`,
      [attempts.find((response) => response.status === 200)?.body.pseudonym],
    );
    expect(requests.n).toBe(1);
    expect(await findEverywhere(judy.user.email)).toEqual([]);
  });

  it('staff accounts are offboarded before they can be erased', async () => {
    const officer = await createStaff(ctx, ['compliance']);
    const refused = await ctx
      .http()
      .delete(`${API}/me`)
      .set(officer.authHeader)
      .send({ password: officer.password });
    expect(refused.status).toBe(422);
    expect(refused.body.code).toBe('STAFF_ACCOUNT');
    const me = await ctx.http().get(`${API}/auth/me`).set(officer.authHeader);
    expect(me.status).toBe(200);
  });

  it('an account nothing kept refers to is deleted outright (no tombstone)', async () => {
    const plain = await createVerifiedUser(ctx, { fullName: 'Plain Nobookings' });
    const response = await ctx
      .http()
      .delete(`${API}/me`)
      .set(plain.authHeader)
      .send({ password: plain.password });
    expect(response.status).toBe(200);
    const rows = await ctx.dataSource.query(`SELECT id FROM users WHERE id = $1`, [plain.id]);
    expect(rows).toEqual([]);
    expect(await findEverywhere(plain.email)).toEqual([]);
  });

  it('an account without a password erases with a fresh token', async () => {
    const heidi = await person('heidi');
    await ctx.dataSource.query(`UPDATE users SET password_hash = NULL WHERE id = $1`, [
      heidi.user.id,
    ]);
    const response = await ctx.http().delete(`${API}/me`).set(heidi.user.authHeader).send({});
    expect(response.status).toBe(200);
    expect(await findEverywhere(heidi.user.email)).toEqual([]);
  });

  it('the erasure is one transaction: a failing step leaves everything in place', async () => {
    const ivan = await person('ivan');
    // Make one contributor's step fail (a trigger refusing the deletion of sessions).
    await ctx.dataSource.query(
      `CREATE FUNCTION pg_temp_fail() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN RAISE EXCEPTION 'injected failure'; END $$`,
    );
    await ctx.dataSource.query(
      `CREATE TRIGGER fail_session_delete BEFORE DELETE ON unified_travel_sessions FOR EACH ROW EXECUTE FUNCTION pg_temp_fail()`,
    );
    try {
      const response = await ctx
        .http()
        .delete(`${API}/me`)
        .set(ivan.user.authHeader)
        .send({ password: ivan.user.password });
      expect(response.status).toBe(500);
    } finally {
      await ctx.dataSource.query(`DROP TRIGGER fail_session_delete ON unified_travel_sessions`);
      await ctx.dataSource.query(`DROP FUNCTION pg_temp_fail()`);
    }
    expect(await findEverywhere(ivan.user.email)).toContain('users.email');
    const [events] = await ctx.dataSource.query(
      `SELECT count(*)::int AS n FROM consent_events WHERE subject_id = $1`,
      [ivan.user.id],
    );
    expect(events.n).toBe(6);
    const me = await ctx.http().get(`${API}/auth/me`).set(ivan.user.authHeader);
    expect(me.status).toBe(200);
  });
});
