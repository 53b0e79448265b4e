import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { bookHotel, createBookingUser } from '../factories/bookings.js';
import {
  createStaff,
  createVerifiedUser,
  login,
  readLatestMail,
  uniqueEmail,
  type TestUser,
} from '../factories/users.js';
import { createTestApp, type TestApp } from '../utils/test-app.js';
import { PrivacyContributors } from '#modules/compliance/privacy/privacy-contributors.js';
import { PrivacyDigestService } from '#modules/compliance/privacy/privacy-digest.service.js';
import {
  PRIVACY_REQUEST_STATUSES,
  PRIVACY_REQUEST_TRANSITIONS,
  type PrivacyRequestStatus,
} from '#modules/compliance/privacy/privacy-request-states.js';
import { undeclaredCategories } from '#modules/compliance/privacy/processing-activities.js';

const API = '/api/v1';
const BASE = `${API}/compliance/privacy-requests`;

/** The fields each target status needs. */
const FIELDS: Record<PrivacyRequestStatus, Record<string, string>> = {
  received: {},
  identity_verified: { identityMethod: 'passport copy checked by phone call-back' },
  in_progress: {},
  completed: { outcome: 'Answered by letter.' },
  rejected: { reason: 'Manifestly unfounded.' },
};

/** The legal path from `received` to each status. */
const PATH: Record<PrivacyRequestStatus, PrivacyRequestStatus[]> = {
  received: [],
  identity_verified: ['identity_verified'],
  in_progress: ['identity_verified', 'in_progress'],
  completed: ['identity_verified', 'in_progress', 'completed'],
  rejected: ['rejected'],
};

describe('privacy request register (compliance staff)', () => {
  let ctx: TestApp;
  let compliance: TestUser;
  let admin: TestUser;

  beforeAll(async () => {
    ctx = await createTestApp({ env: { PRIVACY_DIGEST_INTERVAL_SECONDS: '86400' } });
    compliance = await createStaff(ctx, ['compliance']);
    admin = await createStaff(ctx, ['admin']);
  });

  afterAll(async () => {
    await ctx.close();
  });

  async function intake(body: Record<string, unknown>) {
    const response = await ctx.http().post(BASE).set(compliance.authHeader).send(body);
    expect(response.status).toBe(201);
    return response.body as { id: string; [key: string]: unknown };
  }

  function move(id: string, to: PrivacyRequestStatus, fields: Record<string, string> = FIELDS[to]) {
    return ctx
      .http()
      .post(`${BASE}/${id}/transition`)
      .set(compliance.authHeader)
      .send({ to, ...fields });
  }

  async function requestIn(status: PrivacyRequestStatus, body: Record<string, unknown> = {}) {
    const created = await intake({
      type: 'access',
      channel: 'email',
      subjectEmail: uniqueEmail('nobody'),
      ...body,
    });
    for (const step of PATH[status]) expect((await move(created.id, step)).status).toBe(200);
    return created.id;
  }

  async function auditCount(action: string, resourceId: string): Promise<number> {
    const [row] = (await ctx.dataSource.query(
      `SELECT count(*)::int AS n FROM audit_events WHERE action = $1 AND resource_id = $2`,
      [action, resourceId],
    )) as { n: number }[];
    return row?.n ?? 0;
  }

  /** A streamed JSON download as text. */
  async function download(url: string, header: Record<string, string>) {
    const response = await ctx
      .http()
      .get(url)
      .set(header)
      .buffer(true)
      .parse((res, callback) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => callback(null, text));
      });
    return { status: response.status, headers: response.headers, text: response.body as string };
  }

  /** Every text column of every table that contains `needle`. */
  async function findEverywhere(needle: string): Promise<string[]> {
    const columns = (await ctx.dataSource.query(
      `SELECT table_name, column_name FROM information_schema.columns
        WHERE table_schema = 'public'
          AND data_type IN ('text', 'character varying', 'json', 'jsonb')`,
    )) as { table_name: string; column_name: string }[];
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

  it('intake: received, subject matched by email, due one calendar month later, audited', async () => {
    const alice = await createVerifiedUser(ctx);
    const before = Date.now();
    const matched = await intake({
      type: 'access',
      channel: 'letter',
      subjectEmail: alice.email.toUpperCase(),
      details: 'Wants a copy of everything.',
    });
    expect(matched).toMatchObject({
      type: 'access',
      channel: 'letter',
      status: 'received',
      subjectId: alice.id,
      extendedDueAt: null,
      overdue: false,
      details: 'Wants a copy of everything.',
    });
    const received = new Date(matched.receivedAt as string);
    expect(received.getTime()).toBeGreaterThanOrEqual(before - 1000);
    const due = new Date(received);
    due.setUTCMonth(due.getUTCMonth() + 1);
    if (due.getUTCDate() !== received.getUTCDate()) due.setUTCDate(0);
    expect(matched.dueAt).toBe(due.toISOString());
    expect(await auditCount('privacy_request.create', matched.id)).toBe(1);

    const unmatched = await intake({
      type: 'objection',
      channel: 'phone',
      subjectEmail: uniqueEmail('x'),
    });
    expect(unmatched.subjectId).toBeNull();
    const byId = await intake({
      type: 'rectification',
      channel: 'web_form',
      subjectId: alice.id,
    });
    expect(byId.subjectId).toBe(alice.id);

    const detail = await ctx.http().get(`${BASE}/${matched.id}`).set(compliance.authHeader);
    expect(detail.status).toBe(200);
    expect(detail.body.history).toEqual([
      {
        at: expect.any(String),
        actorId: compliance.id,
        from: null,
        to: 'received',
        reason: null,
      },
    ]);
  });

  it.each<[string, Record<string, unknown>, number, string | undefined]>([
    ['no subject', { type: 'access', channel: 'email' }, 400, 'SUBJECT_REQUIRED'],
    [
      'an unknown type',
      { type: 'gossip', channel: 'email', subjectEmail: 'a@b.test' },
      400,
      undefined,
    ],
    [
      'an unknown channel',
      { type: 'access', channel: 'pigeon', subjectEmail: 'a@b.test' },
      400,
      undefined,
    ],
    ['a bad email', { type: 'access', channel: 'email', subjectEmail: 'nope' }, 400, undefined],
    [
      'a future receivedAt',
      {
        type: 'access',
        channel: 'email',
        subjectEmail: 'a@b.test',
        receivedAt: '2999-01-01T00:00:00Z',
      },
      400,
      'RECEIVED_IN_FUTURE',
    ],
    [
      'an unknown subjectId',
      { type: 'access', channel: 'email', subjectId: '00000000-0000-4000-8000-000000000000' },
      422,
      'SUBJECT_NOT_FOUND',
    ],
  ])('intake refuses %s', async (_name, body, status, code) => {
    const [before] = await ctx.dataSource.query(`SELECT count(*)::int AS n FROM privacy_requests`);
    const response = await ctx.http().post(BASE).set(compliance.authHeader).send(body);
    expect(response.status).toBe(status);
    if (code) expect(response.body.code).toBe(code);
    const [after] = await ctx.dataSource.query(`SELECT count(*)::int AS n FROM privacy_requests`);
    expect(after.n).toBe(before.n);
  });

  it.each([
    ['2025-01-31T12:00:00.000Z', '2025-02-28T12:00:00.000Z', '2025-04-28T12:00:00.000Z'],
    ['2024-01-31T09:30:00.000Z', '2024-02-29T09:30:00.000Z', '2024-04-29T09:30:00.000Z'],
    ['2025-08-31T23:59:59.000Z', '2025-09-30T23:59:59.000Z', '2025-11-30T23:59:59.000Z'],
    ['2025-12-15T08:00:00.000Z', '2026-01-15T08:00:00.000Z', '2026-03-15T08:00:00.000Z'],
  ])('received %s: due %s, extended %s', async (receivedAt, dueAt, extendedDueAt) => {
    const created = await intake({
      type: 'erasure',
      channel: 'email',
      subjectEmail: uniqueEmail('months'),
      receivedAt,
    });
    expect(created).toMatchObject({ receivedAt, dueAt, extendedDueAt: null });
    const extended = await ctx
      .http()
      .post(`${BASE}/${created.id}/extend`)
      .set(compliance.authHeader)
      .send({ reason: 'Complex: records in three systems.' });
    expect(extended.status).toBe(200);
    expect(extended.body).toMatchObject({
      dueAt,
      extendedDueAt,
      extensionReason: 'Complex: records in three systems.',
    });
  });

  it('extends once with a reason; a second time is 409 ALREADY_EXTENDED; closed requests stay closed', async () => {
    const id = await requestIn('received');
    const blank = await ctx.http().post(`${BASE}/${id}/extend`).set(compliance.authHeader).send({});
    expect(blank.status).toBe(400);
    const first = await ctx
      .http()
      .post(`${BASE}/${id}/extend`)
      .set(compliance.authHeader)
      .send({ reason: 'Many requests.' });
    expect(first.status).toBe(200);
    const again = await ctx
      .http()
      .post(`${BASE}/${id}/extend`)
      .set(compliance.authHeader)
      .send({ reason: 'Still many.' });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('ALREADY_EXTENDED');
    const detail = await ctx.http().get(`${BASE}/${id}`).set(compliance.authHeader);
    expect(detail.body.extendedDueAt).toBe(first.body.extendedDueAt);
    expect(detail.body.history.map((h: { to: string }) => h.to)).toEqual(['received', 'extended']);
    expect(detail.body.history[1]).toMatchObject({ from: 'received', reason: 'Many requests.' });
    expect(await auditCount('privacy_request.extend', id)).toBe(1);

    const closed = await requestIn('rejected');
    const late = await ctx
      .http()
      .post(`${BASE}/${closed}/extend`)
      .set(compliance.authHeader)
      .send({ reason: 'Too late.' });
    expect(late.status).toBe(409);
    expect(late.body.code).toBe('PRIVACY_REQUEST_CLOSED');
  });

  describe('every transition', () => {
    const cases = PRIVACY_REQUEST_STATUSES.flatMap((from) =>
      PRIVACY_REQUEST_STATUSES.map(
        (to) => [from, to] as [PrivacyRequestStatus, PrivacyRequestStatus],
      ),
    );
    it.each(cases)('%s → %s', async (from, to) => {
      const id = await requestIn(from);
      const response = await move(id, to);
      const legal = PRIVACY_REQUEST_TRANSITIONS[from].includes(to);
      if (legal) {
        expect(response.status).toBe(200);
        expect(response.body.status).toBe(to);
        const detail = await ctx.http().get(`${BASE}/${id}`).set(compliance.authHeader);
        const last = detail.body.history.at(-1);
        expect(last).toMatchObject({ actorId: compliance.id, from, to });
        const reason = FIELDS[to].reason ?? FIELDS[to].identityMethod ?? FIELDS[to].outcome ?? null;
        expect(last.reason).toBe(reason);
        expect(await auditCount(`privacy_request.${to}`, id)).toBe(1);
      } else {
        expect(response.status).toBe(409);
        expect(response.body.code).toBe('ILLEGAL_PRIVACY_REQUEST_TRANSITION');
        const detail = await ctx.http().get(`${BASE}/${id}`).set(compliance.authHeader);
        expect(detail.body.status).toBe(from);
      }
    });

    it('the legal map is the contract', () => {
      expect(PRIVACY_REQUEST_TRANSITIONS).toEqual({
        received: ['identity_verified', 'rejected'],
        identity_verified: ['in_progress', 'rejected'],
        in_progress: ['completed', 'rejected'],
        completed: [],
        rejected: [],
      });
    });
  });

  it.each<[PrivacyRequestStatus, PrivacyRequestStatus, string]>([
    ['received', 'identity_verified', 'identityMethod'],
    ['in_progress', 'completed', 'outcome'],
    ['received', 'rejected', 'reason'],
    ['in_progress', 'rejected', 'reason'],
  ])('%s → %s without %s is 400, nothing changes', async (from, to, field) => {
    const id = await requestIn(from);
    for (const fields of [{}, { [field]: '   ' }]) {
      const response = await move(id, to, fields);
      expect(response.status).toBe(400);
      expect(response.body.code).toBe('FIELD_REQUIRED');
    }
    const unknown = await move(id, 'gossip' as PrivacyRequestStatus, {});
    expect(unknown.status).toBe(400);
    const detail = await ctx.http().get(`${BASE}/${id}`).set(compliance.authHeader);
    expect(detail.body.status).toBe(from);
  });

  it('two concurrent transitions from the same status: one wins, the other is 409', async () => {
    for (let round = 0; round < 5; round += 1) {
      const id = await requestIn('in_progress');
      const responses = await Promise.all([move(id, 'completed'), move(id, 'rejected')]);
      const statuses = responses.map((r) => r.status).sort();
      expect(statuses).toEqual([200, 409]);
      const loser = responses.find((r) => r.status === 409);
      expect(loser?.body.code).toBe('ILLEGAL_PRIVACY_REQUEST_TRANSITION');
      const [history] = await ctx.dataSource.query(
        `SELECT count(*)::int AS n FROM privacy_request_events WHERE privacy_request_id = $1`,
        [id],
      );
      expect(history.n).toBe(4);
      const [row] = await ctx.dataSource.query(
        `SELECT status::text, outcome, rejection_reason FROM privacy_requests WHERE id = $1`,
        [id],
      );
      const winner = responses.find((r) => r.status === 200)?.body.status;
      expect(row.status).toBe(winner);
      expect(row.outcome === null).toBe(winner === 'rejected');
      expect(row.rejection_reason === null).toBe(winner === 'completed');
    }
  });

  it('unknown ids are 404, malformed ids 400', async () => {
    const missing = await move('00000000-0000-4000-8000-000000000000', 'rejected');
    expect(missing.status).toBe(404);
    expect(missing.body.code).toBe('PRIVACY_REQUEST_NOT_FOUND');
    const malformed = await ctx.http().get(`${BASE}/nope`).set(compliance.authHeader);
    expect(malformed.status).toBe(400);
  });

  it('overdue: open past the deadline, the extended one when extended', async () => {
    const days = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString();
    const overdue = await requestIn('in_progress', { receivedAt: days(40) });
    const extendedInTime = await requestIn('received', { receivedAt: days(40) });
    await ctx
      .http()
      .post(`${BASE}/${extendedInTime}/extend`)
      .set(compliance.authHeader)
      .send({ reason: 'Complex.' });
    const extendedLate = await requestIn('identity_verified', { receivedAt: days(100) });
    await ctx
      .http()
      .post(`${BASE}/${extendedLate}/extend`)
      .set(compliance.authHeader)
      .send({ reason: 'Complex.' });
    const closedLate = await requestIn('completed', { receivedAt: days(40) });
    const fresh = await requestIn('received', { receivedAt: days(2) });

    const all: { id: string; overdue: boolean }[] = [];
    let cursor: string | null = null;
    do {
      const page: { status: number; body: { items: typeof all; nextCursor: string | null } } =
        await ctx
          .http()
          .get(BASE)
          .query({ overdue: 'true', limit: 100, ...(cursor ? { cursor } : {}) })
          .set(compliance.authHeader);
      expect(page.status).toBe(200);
      all.push(...page.body.items);
      cursor = page.body.nextCursor;
    } while (cursor);
    const ids = all.map((item) => item.id);
    expect(ids).toEqual(expect.arrayContaining([overdue, extendedLate]));
    for (const id of [extendedInTime, closedLate, fresh]) expect(ids).not.toContain(id);
    expect(all.every((item) => item.overdue)).toBe(true);

    const bad = await ctx.http().get(BASE).query({ overdue: 'yes' }).set(compliance.authHeader);
    expect(bad.status).toBe(400);
    const typed = await ctx
      .http()
      .get(BASE)
      .query({ status: 'in_progress', type: 'access', limit: 100 })
      .set(compliance.authHeader);
    expect(typed.body.items.map((i: { id: string }) => i.id)).toContain(overdue);
    expect(
      typed.body.items.every(
        (i: { status: string; type: string }) => i.status === 'in_progress' && i.type === 'access',
      ),
    ).toBe(true);
  });

  it('pages with limit and cursor, newest first', async () => {
    const subject = await createVerifiedUser(ctx);
    const ids: string[] = [];
    for (const minutes of [30, 20, 10]) {
      const created = await intake({
        type: 'restriction',
        channel: 'email',
        subjectId: subject.id,
        receivedAt: new Date(Date.now() - minutes * 60_000).toISOString(),
      });
      ids.push(created.id);
    }
    const first = await ctx
      .http()
      .get(BASE)
      .query({ subjectId: subject.id, limit: 2 })
      .set(compliance.authHeader);
    expect(first.body.items.map((i: { id: string }) => i.id)).toEqual([ids[2], ids[1]]);
    const second = await ctx
      .http()
      .get(BASE)
      .query({ subjectId: subject.id, limit: 2, cursor: first.body.nextCursor })
      .set(compliance.authHeader);
    expect(second.body.items.map((i: { id: string }) => i.id)).toEqual([ids[0]]);
    expect(second.body.nextCursor).toBeNull();
  });

  it('the subject is mailed when their request is completed or rejected', async () => {
    const bob = await createVerifiedUser(ctx);
    const done = await requestIn('in_progress', {
      type: 'rectification',
      subjectEmail: bob.email,
    });
    expect((await move(done, 'completed', { outcome: 'Your surname is corrected.' })).status).toBe(
      200,
    );
    const mail = readLatestMail(ctx, bob.email, new RegExp(`Subject: .*${done} was completed`));
    expect(mail).toContain('Your surname is corrected.');
    expect(mail).toContain('rectification');

    const stranger = uniqueEmail('stranger');
    const refused = await requestIn('received', { type: 'objection', subjectEmail: stranger });
    expect(
      (await move(refused, 'rejected', { reason: 'Identity could not be verified.' })).status,
    ).toBe(200);
    const rejection = readLatestMail(ctx, stranger, /was rejected/);
    expect(rejection).toContain('Identity could not be verified.');
    expect(rejection).not.toContain(bob.email);
  });

  it('staff export of a verified access request streams what /me/export gives the subject, audited', async () => {
    const carol = await createVerifiedUser(ctx);
    const id = await requestIn('received', { subjectEmail: carol.email });
    const early = await ctx.http().get(`${BASE}/${id}/export`).set(compliance.authHeader);
    expect(early.status).toBe(409);
    expect(early.body.code).toBe('PRIVACY_REQUEST_NOT_VERIFIED');
    await move(id, 'identity_verified');

    const response = await download(`${BASE}/${id}/export`, compliance.authHeader);
    expect(response.status).toBe(200);
    const staffDoc = JSON.parse(response.text);
    expect(staffDoc).toMatchObject({
      subjectId: carol.id,
      privacyRequestId: id,
      complete: true,
    });
    expect(response.text).toContain(carol.email);
    const own = await download(`${API}/me/export`, carol.authHeader);
    expect(Object.keys(staffDoc.data)).toEqual(Object.keys(JSON.parse(own.text).data));

    const [audit] = await ctx.dataSource.query(
      `SELECT actor_id, subject_id FROM audit_events WHERE action = 'privacy.export' AND resource_id = $1`,
      [id],
    );
    expect(audit).toEqual({ actor_id: compliance.id, subject_id: carol.id });

    const wrongType = await requestIn('identity_verified', {
      type: 'objection',
      subjectEmail: carol.email,
    });
    const refused = await ctx.http().get(`${BASE}/${wrongType}/export`).set(compliance.authHeader);
    expect(refused.status).toBe(422);
    expect(refused.body.code).toBe('WRONG_PRIVACY_REQUEST_TYPE');
    const nobody = await requestIn('identity_verified', { type: 'portability' });
    const noSubject = await ctx.http().get(`${BASE}/${nobody}/export`).set(compliance.authHeader);
    expect(noSubject.status).toBe(422);
    expect(noSubject.body.code).toBe('PRIVACY_REQUEST_NO_SUBJECT');
  });

  it('staff erasure: the dry run changes nothing; the real one erases as DELETE /me does and completes the request', async () => {
    const { user: dave, traveler } = await createBookingUser(ctx);
    const bookingId = await bookHotel(ctx, dave, traveler);
    const id = await requestIn('received', { type: 'erasure', subjectEmail: dave.email });

    const unverified = await ctx
      .http()
      .post(`${BASE}/${id}/erasure`)
      .set(compliance.authHeader)
      .send({ dryRun: true });
    expect(unverified.status).toBe(409);
    expect(unverified.body.code).toBe('PRIVACY_REQUEST_NOT_VERIFIED');
    await move(id, 'identity_verified');
    const accessRequest = await requestIn('identity_verified', { subjectEmail: dave.email });
    const wrongType = await ctx
      .http()
      .post(`${BASE}/${accessRequest}/erasure`)
      .set(compliance.authHeader)
      .send({ dryRun: true });
    expect(wrongType.status).toBe(422);
    expect(wrongType.body.code).toBe('WRONG_PRIVACY_REQUEST_TYPE');
    const noBody = await ctx
      .http()
      .post(`${BASE}/${id}/erasure`)
      .set(compliance.authHeader)
      .send({});
    expect(noBody.status).toBe(400);

    const preview = await ctx
      .http()
      .post(`${BASE}/${id}/erasure`)
      .set(compliance.authHeader)
      .send({ dryRun: true });
    expect(preview.status).toBe(200);
    expect(preview.body).toMatchObject({ executed: false, pseudonym: null, privacyRequestId: id });
    const stillThere = await ctx.http().get(`${API}/auth/me`).set(dave.authHeader);
    expect(stillThere.status).toBe(200);
    expect((await ctx.http().get(`${BASE}/${id}`).set(compliance.authHeader)).body.status).toBe(
      'identity_verified',
    );

    const erased = await ctx
      .http()
      .post(`${BASE}/${id}/erasure`)
      .set(compliance.authHeader)
      .send({ dryRun: false });
    expect(erased.status).toBe(200);
    expect(erased.body.executed).toBe(true);
    const rows = (body: { categories: { category: string; rows: number }[] }) =>
      Object.fromEntries(body.categories.map((c) => [c.category, c.rows]));
    // Exactly what the preview said (audit events about the subject grew by the preview's own
    // audit and the staff reads since).
    const { ['compliance.audit_events']: _auditNow, ...erasedRows } = rows(erased.body);
    const { ['compliance.audit_events']: _auditBefore, ...previewRows } = rows(preview.body);
    expect(erasedRows).toEqual(previewRows);
    const pseudonym = erased.body.pseudonym as string;

    // The account is gone: token refused, login refused, the email nowhere in the database.
    expect((await ctx.http().get(`${API}/auth/me`).set(dave.authHeader)).status).toBe(401);
    const relogin = await ctx
      .http()
      .post(`${API}/auth/login`)
      .send({ email: dave.email, password: dave.password });
    expect(relogin.status).toBe(401);
    expect(await findEverywhere(dave.email)).toEqual([]);
    expect(await findEverywhere('Ana')).not.toContain('booking_travelers.full_name');
    const [kept] = await ctx.dataSource.query(
      `SELECT (SELECT array_agg(full_name) FROM booking_travelers WHERE booking_id = $1) AS names,
              (SELECT u.status::text FROM users u JOIN bookings b ON b.user_id = u.id WHERE b.id = $1) AS account`,
      [bookingId],
    );
    expect(kept).toEqual({ names: ['Erased traveler 1'], account: 'deleted' });
    const idHits = await ctx.dataSource.query(
      `SELECT 1 FROM audit_events WHERE subject_id = $1 OR actor_id = $1
       UNION ALL SELECT 1 FROM privacy_requests WHERE subject_id = $1`,
      [dave.id],
    );
    expect(idHits).toEqual([]);

    // The request is completed under the pseudonym, with its history; recorded as done by staff.
    const detail = await ctx.http().get(`${BASE}/${id}`).set(compliance.authHeader);
    expect(detail.body).toMatchObject({
      status: 'completed',
      subjectId: pseudonym,
      subjectEmail: null,
    });
    expect(detail.body.history.map((h: { to: string }) => h.to)).toEqual([
      'received',
      'identity_verified',
      'in_progress',
      'completed',
    ]);
    const [audit] = await ctx.dataSource.query(
      `SELECT actor_id, subject_id FROM audit_events WHERE action = 'privacy.erasure' AND resource_id = $1`,
      [id],
    );
    expect(audit).toEqual({ actor_id: compliance.id, subject_id: pseudonym });
    expect(await auditCount('privacy.erasure_preview', id)).toBe(1);
    const mail = readLatestMail(ctx, dave.email, /was completed/);
    expect(mail).toContain(id);

    // Nothing left to erase: the subject is gone.
    const other = await intake({ type: 'erasure', channel: 'email', subjectId: pseudonym }).catch(
      () => null,
    );
    expect(other).toBeNull();
  });

  it('two concurrent staff erasures of one request: one erases and completes, the other is refused', async () => {
    const frank = await createVerifiedUser(ctx);
    const id = await requestIn('in_progress', { type: 'erasure', subjectEmail: frank.email });
    const attempts = await Promise.all(
      [0, 1].map(() =>
        ctx.http().post(`${BASE}/${id}/erasure`).set(compliance.authHeader).send({ dryRun: false }),
      ),
    );
    const statuses = attempts.map((response) => response.status).sort();
    expect(statuses[0]).toBe(200);
    expect(statuses[1]).toBe(409);
    expect(attempts.find((r) => r.status === 409)?.body.code).toBe('PRIVACY_REQUEST_NOT_VERIFIED');
    const detail = await ctx.http().get(`${BASE}/${id}`).set(compliance.authHeader);
    expect(detail.body.status).toBe('completed');
    expect(detail.body.history.filter((h: { to: string }) => h.to === 'completed')).toHaveLength(1);
    const [audits] = await ctx.dataSource.query(
      `SELECT count(*)::int AS n FROM audit_events WHERE action = 'privacy.erasure' AND resource_id = $1`,
      [id],
    );
    expect(audits.n).toBe(1);
    expect(await findEverywhere(frank.email)).toEqual([]);
  });

  it('staff accounts are not erased on a request', async () => {
    // Without TOTP, so the password alone proves the account still signs in afterwards.
    const officer = await createStaff(ctx, ['compliance'], { mfa: false });
    const id = await requestIn('identity_verified', {
      type: 'erasure',
      subjectEmail: officer.email,
    });
    const refused = await ctx
      .http()
      .post(`${BASE}/${id}/erasure`)
      .set(compliance.authHeader)
      .send({ dryRun: false });
    expect(refused.status).toBe(422);
    expect(refused.body.code).toBe('STAFF_ACCOUNT');
    expect((await login(ctx, officer.email, officer.password)).id).toBe(officer.id);
  });

  it('self-service export and erasure register completed self_service requests', async () => {
    const erin = await createVerifiedUser(ctx);
    const exported = await download(`${API}/me/export`, erin.authHeader);
    expect(exported.status).toBe(200);
    const requestId = exported.headers['x-privacy-request-id'] as string;
    const detail = await ctx.http().get(`${BASE}/${requestId}`).set(compliance.authHeader);
    expect(detail.body).toMatchObject({
      type: 'access',
      channel: 'self_service',
      status: 'completed',
      subjectId: erin.id,
    });
    expect(
      detail.body.history.map((h: { actorId: string; from: string | null; to: string }) => [
        h.actorId,
        h.from,
        h.to,
      ]),
    ).toEqual([
      [erin.id, null, 'in_progress'],
      [erin.id, 'in_progress', 'completed'],
    ]);
    const erased = await ctx
      .http()
      .delete(`${API}/me`)
      .set(erin.authHeader)
      .send({ password: erin.password });
    expect(erased.status).toBe(200);
    const erasure = await ctx
      .http()
      .get(`${BASE}/${erased.body.privacyRequestId}`)
      .set(compliance.authHeader);
    expect(erasure.body).toMatchObject({
      type: 'erasure',
      channel: 'self_service',
      status: 'completed',
      subjectId: erased.body.pseudonym,
    });
    expect(erasure.body.history).toEqual([
      expect.objectContaining({ actorId: erased.body.pseudonym, from: null, to: 'completed' }),
    ]);
    // The export's history rows now carry the pseudonym too.
    const [left] = await ctx.dataSource.query(
      `SELECT count(*)::int AS n FROM privacy_request_events WHERE actor_id = $1`,
      [erin.id],
    );
    expect(left.n).toBe(0);
  });

  it('the daily digest goes to compliance staff once per period, ids and deadlines only', async () => {
    const subjectEmail = uniqueEmail('digest-subject');
    const late = await requestIn('received', {
      subjectEmail,
      details: 'secret-detail-marker',
      receivedAt: new Date(Date.now() - 35 * 86_400_000).toISOString(),
    });
    const soon = await requestIn('identity_verified', {
      receivedAt: new Date(Date.now() - 27 * 86_400_000).toISOString(),
    });
    const later = await requestIn('received');
    const digest = ctx.app.get(PrivacyDigestService);
    const now = new Date();
    const [first, second] = [await digest.runScheduled(now), await digest.runScheduled(now)];
    expect(first.ran).toBe(true);
    expect(second.ran).toBe(false);
    const mail = readLatestMail(ctx, compliance.email, /Subject: Privacy requests:/);
    expect(mail).toMatch(new RegExp(`OVERDUE .*${late}`));
    expect(mail).toMatch(new RegExp(`due .*${soon}`));
    expect(mail).not.toContain(later);
    expect(mail).not.toContain(subjectEmail);
    expect(mail).not.toContain('secret-detail-marker');
    expect(() => readLatestMail(ctx, admin.email, /Subject: Privacy requests:/)).toThrow();
  });

  it('the record of processing activities comes from the contributors, as JSON and CSV', async () => {
    const categories = ctx.app.get(PrivacyContributors).categories();
    expect(undeclaredCategories(categories)).toEqual([]);
    const json = await ctx
      .http()
      .get(`${API}/compliance/processing-activities`)
      .set(compliance.authHeader);
    expect(json.status).toBe(200);
    expect(json.body.items.map((i: { category: string }) => i.category).sort()).toEqual(
      categories.map((c) => c.category).sort(),
    );
    for (const item of json.body.items) {
      expect(item.purpose).not.toBe('undeclared');
      expect(item.legalBasis).toMatch(/GDPR Art\. 6/);
      expect(item.retention).not.toMatch(/^undeclared/);
    }
    const bookings = json.body.items.find(
      (i: { category: string }) => i.category === 'bookings.bookings',
    );
    expect(bookings.recipients).toEqual(
      expect.arrayContaining([expect.stringMatching(/Booking provider/)]),
    );
    const csv = await ctx
      .http()
      .get(`${API}/compliance/processing-activities`)
      .query({ format: 'csv' })
      .set(compliance.authHeader);
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    const lines = csv.text.trim().split('\r\n');
    expect(lines[0]).toBe(
      'category,contributor,description,purpose,legalBasis,retention,recipients,tables,erasure',
    );
    expect(lines).toHaveLength(categories.length + 1);
    const bad = await ctx
      .http()
      .get(`${API}/compliance/processing-activities`)
      .query({ format: 'xml' })
      .set(compliance.authHeader);
    expect(bad.status).toBe(400);
  });

  it('a plain user and an admin without compliance get 403 on every register route', async () => {
    const plain = await createVerifiedUser(ctx);
    const id = await requestIn('received');
    const calls = [
      {
        method: 'post',
        url: BASE,
        body: { type: 'access', channel: 'email', subjectEmail: 'a@b.test' },
      },
      { method: 'get', url: BASE },
      { method: 'get', url: `${BASE}/${id}` },
      { method: 'post', url: `${BASE}/${id}/transition`, body: { to: 'rejected', reason: 'x' } },
      { method: 'post', url: `${BASE}/${id}/extend`, body: { reason: 'x' } },
      { method: 'get', url: `${BASE}/${id}/export` },
      { method: 'post', url: `${BASE}/${id}/erasure`, body: { dryRun: true } },
      { method: 'get', url: `${API}/compliance/processing-activities` },
    ] as const;
    for (const caller of [plain, admin]) {
      for (const call of calls) {
        const request =
          call.method === 'get'
            ? ctx.http().get(call.url)
            : ctx
                .http()
                .post(call.url)
                .send('body' in call ? call.body : {});
        const response = await request.set(caller.authHeader);
        expect(`${call.method} ${call.url} ${response.status}`).toBe(
          `${call.method} ${call.url} 403`,
        );
      }
    }
    const anonymous = await ctx.http().get(`${BASE}/${id}`);
    expect(anonymous.status).toBe(401);
    expect((await ctx.http().get(`${BASE}/${id}`).set(compliance.authHeader)).body.status).toBe(
      'received',
    );
  });
});
