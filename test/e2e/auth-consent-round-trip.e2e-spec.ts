import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { Controller, Get, Module } from '@nestjs/common';
import type { Pool } from 'pg';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver.js';
import { CONSENT_DECIDER, type ConsentDecider } from '#libs/common/auth/consent-decider.js';
import { RequiresConsent, RequiresVerifiedEmail, Roles } from '#libs/common/auth/decorators.js';
import { currentNoticeVersion, grantConsent, withdrawConsent } from '../factories/consents.js';
import {
  createStaff,
  createVerifiedUser,
  registerUser,
  type TestUser,
} from '../factories/users.js';
import { createTestApp, type TestApp } from '../utils/test-app.js';

/** Test-only routes: every guard at once, and a purpose the compliance module does not know. */
@Controller('probe-guards')
class ProbeController {
  @Roles('admin')
  @RequiresVerifiedEmail()
  @RequiresConsent('travel_planning')
  @Get('admin')
  admin(): { ok: true } {
    return { ok: true };
  }

  @RequiresVerifiedEmail()
  @RequiresConsent('travel_planning')
  @Get('verified')
  verified(): { ok: true } {
    return { ok: true };
  }

  @RequiresConsent('no_such_purpose')
  @Get('unknown-purpose')
  unknown(): { ok: true } {
    return { ok: true };
  }
}

@Module({ controllers: [ProbeController] })
class ProbeModule {}

/**
 * On `@RequiresConsent` routes the JWT strategy reads the session, the account and the consent
 * decision in ONE statement, and the ConsentGuard enforces that decision. These tests prove the
 * path is taken (the round trips of a request are recorded) and that nothing on it is stale:
 * withdrawal, re-consent notices, suspension, logout and role changes apply to the next request.
 */
describe('auth + consent in one round trip', () => {
  let ctx: TestApp;
  let compliance: TestUser;
  let pool: Pool;
  let decider: ConsentDecider;

  beforeAll(async () => {
    ctx = await createTestApp({ imports: [ProbeModule] });
    compliance = await createStaff(ctx, ['compliance']);
    pool = (ctx.dataSource.driver as PostgresDriver).master as Pool;
    decider = ctx.app.get<ConsentDecider>(CONSENT_DECIDER);
  });

  afterEach(() => {
    jest.restoreAllMocks();
  });

  afterAll(async () => {
    await ctx.close();
  });

  /** Runs `request` and returns its response with the statements it sent and decider calls. */
  async function recorded<T>(request: () => PromiseLike<T>) {
    const statements: string[] = [];
    const texts: string[] = [];
    const query = pool.query.bind(pool) as (...args: unknown[]) => unknown;
    const poolSpy = jest.spyOn(pool, 'query').mockImplementation(((...args: unknown[]) => {
      const config = args[0];
      texts.push(
        typeof config === 'object' && config !== null
          ? String((config as { text?: string }).text)
          : String(config),
      );
      statements.push(
        typeof config === 'object' && config !== null
          ? ((config as { name?: string }).name ?? 'unnamed')
          : 'text',
      );
      return query(...args);
    }) as never);
    const deciderSpy = jest.spyOn(decider, 'decide');
    try {
      const response = await request();
      return { response, statements, texts, deciderCalls: deciderSpy.mock.calls.length };
    } finally {
      poolSpy.mockRestore();
      deciderSpy.mockRestore();
    }
  }

  async function traveller(): Promise<TestUser & { sessionId: string }> {
    const user = await createVerifiedUser(ctx);
    await grantConsent(ctx, user, 'travel_planning');
    const created = await ctx.http().post('/api/v1/sessions').set(user.authHeader).send({});
    expect(created.status).toBe(201);
    return { ...user, sessionId: created.body.id as string };
  }

  const getSession = (user: TestUser & { sessionId: string }) =>
    ctx.http().get(`/api/v1/sessions/${user.sessionId}`).set(user.authHeader);
  // Consent gates creating and changing (not reading): appending a message is a gated call.
  const appendMessage = (user: TestUser & { sessionId: string }) =>
    ctx
      .http()
      .post(`/api/v1/sessions/${user.sessionId}/messages`)
      .set(user.authHeader)
      .send({ role: 'user', content: 'Two nights in Lisbon' });

  it('GET /sessions/:id costs ONE round trip: the session check reads the row in the same statement', async () => {
    const user = await traveller();
    const { response, statements, deciderCalls } = await recorded(() => getSession(user));
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ id: user.sessionId, status: 'active' });
    expect(response.headers.etag).toBe(`"${response.body.version as number}"`);
    expect(statements).toEqual(['auth_session_live_sessions_owned']);
    expect(deciderCalls).toBe(0);
  });

  it("GET /sessions/:id in one statement: another user's id and a missing id are 404, a malformed id 400", async () => {
    const owner = await traveller();
    const other = await traveller();
    const foreign = await recorded(() =>
      ctx.http().get(`/api/v1/sessions/${owner.sessionId}`).set(other.authHeader),
    );
    expect(foreign.response.status).toBe(404);
    expect(foreign.response.body.code).toBe('SESSION_NOT_FOUND');
    expect(foreign.statements).toEqual(['auth_session_live_sessions_owned']);
    const missing = await recorded(() =>
      ctx.http().get(`/api/v1/sessions/${randomUUID()}`).set(owner.authHeader),
    );
    expect(missing.response.status).toBe(404);
    expect(missing.response.body.code).toBe('SESSION_NOT_FOUND');
    // Not a UUID: never bound to the statement; the route's pipe answers 400.
    const malformed = await recorded(() =>
      ctx.http().get('/api/v1/sessions/not-a-uuid').set(owner.authHeader),
    );
    expect(malformed.response.status).toBe(400);
    expect(malformed.response.body.code).toBe('VALIDATION_FAILED');
    expect(malformed.statements).toEqual(['auth_session_live']);
    // The owner still reads it, and a change is visible to the very next read.
    expect((await getSession(owner)).status).toBe(200);
    await ctx.dataSource.query(
      `UPDATE unified_travel_sessions SET title = 'Renamed', version = version + 1 WHERE id = $1`,
      [owner.sessionId],
    );
    const fresh = await getSession(owner);
    expect(fresh.body.title).toBe('Renamed');
  });

  it('a gated change checks the session and the consent in one statement', async () => {
    const user = await traveller();
    const { response, statements, deciderCalls } = await recorded(() => appendMessage(user));
    expect(response.status).toBe(201);
    expect(statements[0]).toBe('auth_session_live_consent');
    expect(statements).not.toContain('auth_session_live');
    expect(deciderCalls).toBe(0);
  });

  it('consent withdrawn between two changes: the second is refused, from the same statement', async () => {
    const user = await traveller();
    expect((await appendMessage(user)).status).toBe(201);
    await withdrawConsent(ctx, user, 'travel_planning');
    const { response, statements, deciderCalls } = await recorded(() => appendMessage(user));
    expect(response.status).toBe(403);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.body).toMatchObject({
      code: 'CONSENT_REQUIRED',
      purpose: 'travel_planning',
      version: await currentNoticeVersion(ctx, 'travel_planning'),
    });
    expect(statements).toEqual(['auth_session_live_consent']);
    expect(deciderCalls).toBe(0);
    await grantConsent(ctx, user, 'travel_planning');
    expect((await appendMessage(user)).status).toBe(201);
    // Withdrawal never takes away the owner's access to what exists.
    expect((await getSession(user)).status).toBe(200);
  });

  it('a notice requiring re-consent applies to the next change', async () => {
    const user = await traveller();
    expect((await appendMessage(user)).status).toBe(201);
    const published = await ctx
      .http()
      .post('/api/v1/compliance/consent-notices')
      .set(compliance.authHeader)
      .send({
        purpose: 'travel_planning',
        title: 'Planning your trips',
        text: `Planning notice, re-consent required (${user.email}).`,
        requiresReconsent: true,
      });
    expect(published.status).toBe(201);
    const stale = await appendMessage(user);
    expect(stale.status).toBe(403);
    expect(stale.body).toMatchObject({
      code: 'CONSENT_REQUIRED',
      version: published.body.version as number,
    });
    await grantConsent(ctx, user, 'travel_planning');
    expect((await appendMessage(user)).status).toBe(201);
  });

  it('suspension and reactivation apply to the next GET; logout refuses it with 401 (one statement each)', async () => {
    const user = await traveller();
    expect((await getSession(user)).status).toBe(200);
    await ctx.dataSource.query(`UPDATE users SET status = 'suspended' WHERE id = $1`, [user.id]);
    const suspended = await recorded(() => getSession(user));
    expect(suspended.response.status).toBe(403);
    expect(suspended.response.body.code).toBe('ACCOUNT_SUSPENDED');
    expect(suspended.statements).toEqual(['auth_session_live_sessions_owned']);
    await ctx.dataSource.query(`UPDATE users SET status = 'active' WHERE id = $1`, [user.id]);
    expect((await getSession(user)).status).toBe(200);

    const logout = await ctx.http().post('/api/v1/auth/logout').set(user.authHeader);
    expect(logout.status).toBe(204);
    const revoked = await recorded(() => getSession(user));
    expect(revoked.response.status).toBe(401);
    expect(revoked.response.body.code).toBe('UNAUTHENTICATED');
    // Refused by the same single statement that would have read the row.
    expect(revoked.statements).toEqual(['auth_session_live_sessions_owned']);
  });

  const listSessions = (user: TestUser, query = '') =>
    ctx.http().get(`/api/v1/sessions${query}`).set(user.authHeader);
  /** The list folded into the session check: one unnamed statement over both tables. */
  const expectOneListStatement = (run: { statements: string[]; texts: string[] }) => {
    expect(run.statements).toEqual(['unnamed']);
    expect(run.texts[0]).toContain('FROM refresh_sessions s JOIN users u');
    expect(run.texts[0]).toContain('"unified_travel_sessions" "s"');
  };

  it('GET /sessions (list and planContains search) costs ONE round trip, pages included', async () => {
    const user = await traveller();
    const other = await traveller();
    const ids: string[] = [user.sessionId];
    for (const city of ['Lisbon', 'Porto', 'Lisbon']) {
      const created = await ctx.http().post('/api/v1/sessions').set(user.authHeader).send({});
      ids.push(created.body.id as string);
      await ctx.dataSource.query(
        `UPDATE unified_travel_sessions SET plan_data = $2::jsonb WHERE id = $1`,
        [created.body.id, JSON.stringify({ destinationCity: city, tags: ['food'] })],
      );
    }
    await ctx.dataSource.query(
      `UPDATE unified_travel_sessions SET plan_data = '{"destinationCity":"Lisbon"}' WHERE id = $1`,
      [other.sessionId],
    );
    const planContains = encodeURIComponent('{"destinationCity":"Lisbon"}');
    const search = await recorded(() => listSessions(user, `?planContains=${planContains}`));
    expect(search.response.status).toBe(200);
    expectOneListStatement(search);
    // Only the owner's matches, newest first; the other user's Lisbon session is not there.
    expect(search.response.body.items.map((item: { id: string }) => item.id)).toEqual([
      ids[3],
      ids[1],
    ]);
    expect(search.response.body.nextCursor).toBeNull();

    const first = await recorded(() => listSessions(user, '?limit=3'));
    expectOneListStatement(first);
    expect(first.response.body.items).toHaveLength(3);
    const cursor = first.response.body.nextCursor as string;
    expect(typeof cursor).toBe('string');
    const second = await recorded(() => listSessions(user, `?limit=3&cursor=${cursor}`));
    expectOneListStatement(second);
    const listed = [...first.response.body.items, ...second.response.body.items].map(
      (item: { id: string }) => item.id,
    );
    expect(listed).toEqual([...ids].reverse());
    expect(second.response.body.nextCursor).toBeNull();
    // The same page the standalone query answers (the fold changes round trips, not results).
    const all = await recorded(() => listSessions(user, '?limit=3&status=active'));
    expectOneListStatement(all);
    expect(all.response.body.items).toEqual(first.response.body.items);

    // A change is visible to the very next list.
    await ctx.dataSource.query(
      `UPDATE unified_travel_sessions SET title = 'Renamed', version = version + 1 WHERE id = $1`,
      [ids[3]],
    );
    const fresh = await listSessions(user, `?planContains=${planContains}`);
    expect(fresh.body.items[0]).toMatchObject({ id: ids[3], title: 'Renamed' });
  });

  it('GET /sessions with a bad query is validated as before and never folded', async () => {
    const user = await traveller();
    const cases = [
      ['?planContains=%5B1%5D', 'VALIDATION_FAILED'],
      ['?planContains=not-json', 'VALIDATION_FAILED'],
      ['?limit=0', 'VALIDATION_FAILED'],
      ['?limit=101', 'VALIDATION_FAILED'],
      ['?status=gone', 'VALIDATION_FAILED'],
      ['?from=2027-06-01&to=2027-05-01', 'VALIDATION_FAILED'],
      ['?cursor=bm9wZQ', 'INVALID_CURSOR'],
    ];
    for (const [query, code] of cases) {
      const run = await recorded(() => listSessions(user, query));
      expect([query, run.response.status, run.response.body.code]).toEqual([query, 400, code]);
      // Only the plain session check ran: the list statement was never sent.
      expect(run.statements).toEqual(['auth_session_live']);
    }
  });

  it('GET /sessions: suspension applies to the next list, logout refuses it with 401 (one statement each)', async () => {
    const user = await traveller();
    expect((await listSessions(user)).status).toBe(200);
    await ctx.dataSource.query(`UPDATE users SET status = 'suspended' WHERE id = $1`, [user.id]);
    const suspended = await recorded(() => listSessions(user, '?planContains=%7B%7D'));
    expect(suspended.response.status).toBe(403);
    expect(suspended.response.body.code).toBe('ACCOUNT_SUSPENDED');
    expectOneListStatement(suspended);
    await ctx.dataSource.query(`UPDATE users SET status = 'active' WHERE id = $1`, [user.id]);
    expect((await listSessions(user)).status).toBe(200);

    const logout = await ctx.http().post('/api/v1/auth/logout').set(user.authHeader);
    expect(logout.status).toBe(204);
    const revoked = await recorded(() => listSessions(user));
    expect(revoked.response.status).toBe(401);
    expect(revoked.response.body.code).toBe('UNAUTHENTICATED');
    expectOneListStatement(revoked);
  });

  it('keeps the guard order: role, staff second factor, verified email, consent; role changes apply at once', async () => {
    // A staff member whose device session passed TOTP (the factory enrols it), demoted to user.
    const user = await createStaff(ctx, ['admin']);
    await ctx.dataSource.query(`UPDATE users SET roles = '{user}' WHERE id = $1`, [user.id]);
    const probe = (path: string, who: TestUser = user) =>
      ctx.http().get(`/api/v1/probe-guards/${path}`).set(who.authHeader);

    // Neither the role nor consent: the role is named first.
    expect((await probe('admin')).body.code).toBe('FORBIDDEN_ROLE');
    await ctx.dataSource.query(`UPDATE users SET roles = '{user,admin}' WHERE id = $1`, [user.id]);
    const noConsent = await probe('admin');
    expect(noConsent.status).toBe(403);
    expect(noConsent.body.code).toBe('CONSENT_REQUIRED');
    await grantConsent(ctx, user, 'travel_planning');
    expect((await probe('admin')).status).toBe(200);
    await ctx.dataSource.query(`UPDATE users SET roles = '{user}' WHERE id = $1`, [user.id]);
    expect((await probe('admin')).body.code).toBe('FORBIDDEN_ROLE');

    // A staff role without a second factor: named before consent.
    const noMfa = await createStaff(ctx, ['admin'], { mfa: false });
    expect((await probe('admin', noMfa)).body.code).toBe('MFA_ENROLMENT_REQUIRED');

    // Unverified and without consent: the email is named first.
    const unverified = await registerUser(ctx);
    const refused = await probe('verified', unverified);
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe('EMAIL_NOT_VERIFIED');
  });

  it('a purpose the compliance module does not know is refused, through the decider', async () => {
    const user = await createVerifiedUser(ctx);
    const { response, statements, deciderCalls } = await recorded(() =>
      ctx.http().get('/api/v1/probe-guards/unknown-purpose').set(user.authHeader),
    );
    expect(response.status).toBe(403);
    expect(response.body).toMatchObject({ code: 'CONSENT_REQUIRED', purpose: 'no_such_purpose' });
    expect(statements).toEqual(['auth_session_live']);
    expect(deciderCalls).toBe(1);
  });
});
