import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { JsonObject } from '#modules/sessions/json-merge-patch.js';
import { createVerifiedUser, type TestUser } from '../factories/users.js';
import { createTestApp, type TestApp } from '../utils/test-app.js';
import { API_PREFIX } from '#libs/common/http/api-prefix.js';

const API = API_PREFIX;
const PURPOSE = 'travel_planning';

describe('sessions (HTTP)', () => {
  let ctx: TestApp;
  let alice: TestUser;
  let bob: TestUser;

  /** Grants the purpose through the real route with the current notice version. */
  async function grantConsent(user: TestUser, purpose: string): Promise<void> {
    const notices = await ctx.http().get(`${API}/consent-notices`);
    const version = (notices.body.items as { purpose: string; version: number }[]).find(
      (item) => item.purpose === purpose,
    )?.version;
    const response = await ctx
      .http()
      .post(`${API}/me/consents`)
      .set(user.authHeader)
      .send({ purpose, version, granted: true });
    if (response.status !== 201) {
      throw new Error(`consent failed: ${response.status} ${JSON.stringify(response.body)}`);
    }
  }

  async function traveller(): Promise<TestUser> {
    const user = await createVerifiedUser(ctx);
    await grantConsent(user, PURPOSE);
    return user;
  }

  async function createSession(user: TestUser, body: JsonObject = {}) {
    const response = await ctx.http().post(`${API}/sessions`).set(user.authHeader).send(body);
    expect(response.status).toBe(201);
    return response.body as { id: string; version: number } & JsonObject;
  }

  type Method = 'get' | 'post' | 'patch' | 'delete';
  const call = (method: Method, path: string) => {
    const agent = ctx.http();
    return agent[method](path);
  };

  const patch = (user: TestUser, id: string, body: unknown, ifMatch?: string) => {
    const request = ctx.http().patch(`${API}/sessions/${id}`).set(user.authHeader);
    return (ifMatch === undefined ? request : request.set('If-Match', ifMatch)).send(
      body as object,
    );
  };

  beforeAll(async () => {
    ctx = await createTestApp();
    alice = await traveller();
    bob = await traveller();
  });

  afterAll(async () => {
    await ctx.close();
  });

  describe('authentication and consent', () => {
    const someId = randomUUID();
    const routes: [Method, string][] = [
      ['post', '/sessions'],
      ['get', '/sessions'],
      ['get', `/sessions/${someId}`],
      ['patch', `/sessions/${someId}`],
      ['delete', `/sessions/${someId}`],
      ['post', `/sessions/${someId}/messages`],
      ['get', `/sessions/${someId}/messages`],
      ['post', `/sessions/${someId}/saved-items`],
      ['get', `/sessions/${someId}/saved-items`],
      ['get', `/sessions/${someId}/saved-items/${someId}`],
      ['patch', `/sessions/${someId}/saved-items/${someId}`],
      ['delete', `/sessions/${someId}/saved-items/${someId}`],
    ];

    it.each(routes)('%s %s without a token → 401', async (method, path) => {
      const response = await call(method, `${API}${path}`);
      expect(response.status).toBe(401);
      expect(response.body.code).toBe('UNAUTHENTICATED');
    });

    it('a signed-in user without travel_planning consent → 403 CONSENT_REQUIRED on every route that creates or changes', async () => {
      const noConsent = await createVerifiedUser(ctx);
      // Reading, listing and archiving are never gated (PRODUCT.md § Consent withdrawal).
      for (const [method, path] of routes.filter(([verb]) => verb !== 'get' && verb !== 'delete')) {
        const response = await call(method, `${API}${path}`)
          .set(noConsent.authHeader)
          .send(method === 'get' || method === 'delete' ? undefined : {});
        expect([method, path, response.status, response.body.code]).toEqual([
          method,
          path,
          403,
          'CONSENT_REQUIRED',
        ]);
        expect(response.body.purpose).toBe(PURPOSE);
      }
    });
  });

  describe('sessions', () => {
    it('POST creates (201, ETag, Location), GET reads with the ETag', async () => {
      const created = await ctx
        .http()
        .post(`${API}/sessions`)
        .set(alice.authHeader)
        .send({ title: 'Lisbon in May', message: 'Plan 4 days in Lisbon' });
      expect(created.status).toBe(201);
      expect(created.headers.etag).toBe('"1"');
      expect(created.headers.location).toBe(`/api/v1/sessions/${created.body.id}`);
      expect(created.body).toMatchObject({
        status: 'active',
        title: 'Lisbon in May',
        planData: {},
        sessionMetadata: {},
        version: 1,
      });
      expect(Object.keys(created.body).sort()).toEqual(
        [
          'createdAt',
          'id',
          'lastActivityAt',
          'planData',
          'sessionData',
          'sessionMetadata',
          'status',
          'title',
          'updatedAt',
          'version',
        ].sort(),
      );
      expect(created.body.sessionData.chatMessages).toEqual([
        expect.objectContaining({ seq: 1, role: 'user', content: 'Plan 4 days in Lisbon' }),
      ]);

      const read = await ctx.http().get(`${API}/sessions/${created.body.id}`).set(alice.authHeader);
      expect(read.status).toBe(200);
      expect(read.headers.etag).toBe('"1"');
      expect(read.body).toEqual(created.body);
      expect(read.body.userId).toBeUndefined();
    });

    it('GET /sessions/:id (one statement, no interceptor): ETag of the current version, 404 for another user or a missing id', async () => {
      const session = await createSession(alice, { title: 'ETag check' });
      const changed = await patch(alice, session.id, { title: 'ETag check 2' }, '"1"');
      expect(changed.status).toBe(200);
      const read = await ctx.http().get(`${API}/sessions/${session.id}`).set(alice.authHeader);
      expect(read.status).toBe(200);
      expect(read.headers.etag).toBe('"2"');
      expect(read.body).toMatchObject({ id: session.id, title: 'ETag check 2', version: 2 });
      for (const [user, id] of [
        [bob, session.id],
        [alice, randomUUID()],
      ] as const) {
        const missing = await ctx.http().get(`${API}/sessions/${id}`).set(user.authHeader);
        expect(missing.status).toBe(404);
        expect(missing.headers.etag).toBeUndefined();
        expect(missing.headers['content-type']).toMatch(/^application\/problem\+json/);
      }
    });

    it('a body on a write route without one: 401 without a token, then 400 (the check runs after every guard)', async () => {
      const session = await createSession(alice);
      const anonymous = await ctx
        .http()
        .delete(`${API}/sessions/${session.id}`)
        .send({ roles: ['admin'] });
      expect(anonymous.status).toBe(401);
      expect(anonymous.body.code).toBe('UNAUTHENTICATED');
      const signedIn = await ctx
        .http()
        .delete(`${API}/sessions/${session.id}`)
        .set(alice.authHeader)
        .send({ roles: ['admin'] });
      expect(signedIn.status).toBe(400);
      expect(signedIn.body.code).toBe('VALIDATION_FAILED');
      expect(signedIn.body.errors).toEqual({ roles: ['property roles should not exist'] });
      const still = await ctx.http().get(`${API}/sessions/${session.id}`).set(alice.authHeader);
      expect(still.body.status).toBe('active');
    });

    it('PATCH is a JSON merge patch under If-Match; the ETag follows the version', async () => {
      const session = await createSession(alice, { title: 'draft' });
      const first = await patch(
        alice,
        session.id,
        {
          title: 'Rome',
          status: 'planning',
          planData: { destinationCity: 'Rome', startDate: '2027-09-01', travelers: { adults: 2 } },
          sessionData: { uiState: { currentStep: 'dates' } },
          sessionMetadata: { source: 'web' },
        },
        '"1"',
      );
      expect(first.status).toBe(200);
      expect(first.headers.etag).toBe('"2"');
      expect(first.body).toMatchObject({ title: 'Rome', status: 'planning', version: 2 });

      const second = await ctx
        .http()
        .patch(`${API}/sessions/${session.id}`)
        .set(alice.authHeader)
        .set('If-Match', first.headers.etag as string)
        .set('Content-Type', 'application/merge-patch+json')
        .send(
          JSON.stringify({
            title: null,
            planData: { travelers: { children: 1 }, startDate: null },
          }),
        );
      expect(second.status).toBe(200);
      expect(second.headers.etag).toBe('"3"');
      expect(second.body.title).toBeNull();
      expect(second.body.planData).toEqual({
        destinationCity: 'Rome',
        travelers: { adults: 2, children: 1 },
      });
      expect(second.body.sessionData).toEqual({
        chatMessages: [],
        uiState: { currentStep: 'dates' },
      });
      expect(second.body.sessionMetadata).toEqual({ source: 'web' });
    });

    it('PATCH without If-Match → 428; with a stale one → 412 and nothing changes', async () => {
      const session = await createSession(alice, { title: 'keep me' });
      const missing = await patch(alice, session.id, { title: 'x' });
      expect(missing.status).toBe(428);
      expect(missing.body.code).toBe('PRECONDITION_REQUIRED');
      const star = await patch(alice, session.id, { title: 'x' }, '*');
      expect(star.status).toBe(428);

      const append = await ctx
        .http()
        .post(`${API}/sessions/${session.id}/messages`)
        .set(alice.authHeader)
        .send({ role: 'user', content: 'moves the version' });
      expect(append.status).toBe(201);
      expect(append.headers.etag).toBe('"2"');

      const stale = await patch(
        alice,
        session.id,
        { title: 'stale', planData: { destinationCity: 'X' } },
        '"1"',
      );
      expect(stale.status).toBe(412);
      expect(stale.body).toMatchObject({ code: 'PRECONDITION_FAILED', currentVersion: 2 });
      expect(stale.headers.etag).toBe('"2"');
      const weak = await patch(alice, session.id, { title: 'weak' }, 'W/"2"');
      expect(weak.status).toBe(412);

      const after = await ctx.http().get(`${API}/sessions/${session.id}`).set(alice.authHeader);
      expect(after.body).toMatchObject({ title: 'keep me', planData: {}, version: 2 });
    });

    it('status changes follow the transition table: 409 otherwise', async () => {
      const session = await createSession(alice);
      const done = await patch(alice, session.id, { status: 'completed' }, '"1"');
      expect(done.status).toBe(200);
      const back = await patch(alice, session.id, { status: 'booking' }, '"2"');
      expect(back.status).toBe(409);
      expect(back.body).toMatchObject({
        code: 'INVALID_STATUS_TRANSITION',
        from: 'completed',
        to: 'booking',
      });
      const unknown = await patch(alice, session.id, { status: 'cancelled' }, '"2"');
      expect(unknown.status).toBe(400);
      expect(unknown.body.errors).toHaveProperty('status');
    });

    it('DELETE archives (204): read-only afterwards, hidden from the default list', async () => {
      const session = await createSession(alice, { title: 'to archive' });
      const deleted = await ctx
        .http()
        .delete(`${API}/sessions/${session.id}`)
        .set(alice.authHeader);
      expect(deleted.status).toBe(204);
      expect(deleted.text).toBe('');
      const again = await ctx.http().delete(`${API}/sessions/${session.id}`).set(alice.authHeader);
      expect(again.status).toBe(204);
      const read = await ctx.http().get(`${API}/sessions/${session.id}`).set(alice.authHeader);
      expect(read.body.status).toBe('archived');
      const edit = await patch(alice, session.id, { title: 'x' }, read.headers.etag as string);
      expect(edit.status).toBe(409);
      expect(edit.body.code).toBe('SESSION_ARCHIVED');
      const message = await ctx
        .http()
        .post(`${API}/sessions/${session.id}/messages`)
        .set(alice.authHeader)
        .send({ role: 'user', content: 'hi' });
      expect(message.status).toBe(409);

      const live = await ctx.http().get(`${API}/sessions?limit=100`).set(alice.authHeader);
      expect(live.body.items.map((s: { id: string }) => s.id)).not.toContain(session.id);
      const archived = await ctx
        .http()
        .get(`${API}/sessions?status=archived`)
        .set(alice.authHeader);
      expect(archived.body.items.map((s: { id: string }) => s.id)).toContain(session.id);
    });
  });

  describe('messages', () => {
    it('50 concurrent HTTP appends: exactly 50 stored, in order, version +50', async () => {
      const session = await createSession(alice, { title: 'busy chat' });
      const started = process.hrtime.bigint();
      const responses = await Promise.all(
        Array.from({ length: 50 }, (_, i) =>
          ctx
            .http()
            .post(`${API}/sessions/${session.id}/messages`)
            .set(alice.authHeader)
            .send({ role: i % 2 ? 'assistant' : 'user', content: `message ${i}`, metadata: { i } }),
        ),
      );
      const elapsedMs = Number(process.hrtime.bigint() - started) / 1e6;
      process.stdout.write(`[measure] 50 concurrent HTTP appends: ${elapsedMs.toFixed(0)} ms\n`);
      expect(responses.map((r) => r.status)).toEqual(Array(50).fill(201));

      const read = await ctx.http().get(`${API}/sessions/${session.id}`).set(alice.authHeader);
      const messages = read.body.sessionData.chatMessages as JsonObject[];
      expect(messages).toHaveLength(50);
      expect(read.body.version).toBe(session.version + 50);
      expect(read.headers.etag).toBe(`"${session.version + 50}"`);
      expect(messages.map((m) => m.seq)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
      expect(new Set(messages.map((m) => m.content)).size).toBe(50);
      for (const response of responses) {
        expect(messages[(response.body.seq as number) - 1]).toEqual(response.body);
      }

      // Listing: newest first, then back through the cursor, every message exactly once.
      const seen: number[] = [];
      let cursor: string | null = null;
      do {
        const page = await ctx
          .http()
          .get(`${API}/sessions/${session.id}/messages`)
          .query({ limit: 20, ...(cursor ? { cursor } : {}) })
          .set(alice.authHeader);
        expect(page.status).toBe(200);
        seen.push(...page.body.items.map((m: { seq: number }) => m.seq));
        cursor = page.body.nextCursor as string | null;
      } while (cursor);
      expect(seen).toEqual(Array.from({ length: 50 }, (_, i) => 50 - i));
    });

    it('a bad message → 400 with field errors', async () => {
      const session = await createSession(alice);
      const cases: [JsonObject, string][] = [
        [{ role: 'robot', content: 'x' }, 'role'],
        [{ role: 'user', content: '' }, 'content'],
        [{ role: 'user', content: 'x'.repeat(8001) }, 'content'],
        [{ role: 'user', content: 'a\u0000b' }, 'content'],
        [{ role: 'user', content: 'x', metadata: 'nope' }, 'metadata'],
        [{ role: 'user', content: 'x', metadata: { blob: 'y'.repeat(9000) } }, 'metadata'],
        [{ role: 'user', content: 'x', extra: true }, 'extra'],
      ];
      for (const [body, field] of cases) {
        const response = await ctx
          .http()
          .post(`${API}/sessions/${session.id}/messages`)
          .set(alice.authHeader)
          .send(body);
        expect([field, response.status, response.body.code]).toEqual([
          field,
          400,
          'VALIDATION_FAILED',
        ]);
        expect(response.body.errors).toHaveProperty(field);
      }
      const read = await ctx.http().get(`${API}/sessions/${session.id}`).set(alice.authHeader);
      expect(read.body.version).toBe(1);
    });
  });

  describe('JSONB validation', () => {
    it.each<[string, unknown, string]>([
      ['sessionData as an array', { sessionData: [1, 2] }, 'sessionData'],
      ['planData as a string', { planData: 'Lisbon' }, 'planData'],
      ['planData null (members cannot be removed)', { planData: null }, 'planData'],
      [
        'a money amount as a float',
        { planData: { totalBudget: { amountMinor: 10.5, currency: 'EUR' } } },
        'planData.totalBudget.amountMinor',
      ],
      [
        'an unknown currency',
        { planData: { totalBudget: { amountMinor: 100, currency: 'ABC' } } },
        'planData.totalBudget.currency',
      ],
      ['an impossible date', { planData: { startDate: '2027-02-30' } }, 'planData.startDate'],
      [
        'an unknown plan member',
        { planData: { departure_date: '2027-05-01' } },
        'planData.departure_date',
      ],
      [
        'writing chatMessages through PATCH',
        { sessionData: { chatMessages: [] } },
        'sessionData.chatMessages',
      ],
      [
        'an unknown sessionData member',
        { sessionData: { conversation_history: [] } },
        'sessionData.conversation_history',
      ],
      ['a NUL character', { sessionMetadata: { source: 'we\u0000b' } }, 'sessionMetadata.source'],
      [
        'an oversized sessionData',
        { sessionData: { uiState: { filters: { blob: 'x'.repeat(600 * 1024) } } } },
        'sessionData',
      ],
      [
        'an oversized planData',
        { planData: { notes: 'x'.repeat(4000), preferences: { blob: 'y'.repeat(140 * 1024) } } },
        'planData',
      ],
      [
        'a document nested too deep',
        { planData: { preferences: JSON.parse('{"a":'.repeat(20) + '1' + '}'.repeat(20)) } },
        'planData',
      ],
      ['an unknown body member', { sessionData: {}, owner: 'me' }, 'owner'],
    ])('%s → 400 VALIDATION_FAILED, nothing stored', async (_name, body, field) => {
      const session = await createSession(alice);
      const response = await patch(alice, session.id, body, '"1"');
      expect(response.status).toBe(400);
      expect(response.body.code).toBe('VALIDATION_FAILED');
      expect(response.body.errors).toHaveProperty([field]);
      const read = await ctx.http().get(`${API}/sessions/${session.id}`).set(alice.authHeader);
      expect(read.body.version).toBe(1);
    });

    it('a pathologically deep body or broken JSON is a 400, never a 500', async () => {
      const session = await createSession(alice);
      const deep = `{"planData":${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}}`;
      const tooDeep = await ctx
        .http()
        .patch(`${API}/sessions/${session.id}`)
        .set(alice.authHeader)
        .set('If-Match', '"1"')
        .set('Content-Type', 'application/json')
        .send(deep);
      expect(tooDeep.status).toBe(400);
      const broken = await ctx
        .http()
        .patch(`${API}/sessions/${session.id}`)
        .set(alice.authHeader)
        .set('If-Match', '"1"')
        .set('Content-Type', 'application/merge-patch+json')
        .send('{"planData": {');
      expect(broken.status).toBe(400);
      expect(broken.body.code).toBe('MALFORMED_JSON');
    });
  });

  describe('list', () => {
    let carol: TestUser;
    const ids: Record<string, string> = {};

    beforeAll(async () => {
      carol = await traveller();
      const plans: Record<string, JsonObject> = {
        lisbonMay: { destinationCity: 'Lisbon', startDate: '2027-05-01', travelers: { adults: 2 } },
        lisbonJuly: {
          destinationCity: 'Lisbon',
          startDate: '2027-07-15',
          travelers: { adults: 1 },
        },
        portoMay: {
          destinationCity: 'Porto',
          startDate: '2027-05-20',
          travelers: { adults: 2 },
          preferences: { pace: 'slow' },
        },
        noPlan: {},
      };
      for (const [name, planData] of Object.entries(plans)) {
        const session = await createSession(carol, { title: name });
        const updated = await patch(carol, session.id, { planData }, '"1"');
        expect(updated.status).toBe(200);
        ids[name] = session.id;
      }
      // Bob has a Lisbon trip too; it must never show up in Carol's lists.
      const bobs = await createSession(bob);
      await patch(
        bob,
        bobs.id,
        { planData: { destinationCity: 'Lisbon', travelers: { adults: 2 } } },
        '"1"',
      );
    });

    const list = async (query: Record<string, string | number>) => {
      const response = await ctx.http().get(`${API}/sessions`).query(query).set(carol.authHeader);
      expect(response.status).toBe(200);
      return (response.body.items as { id: string; title: string }[])
        .map((item) => item.title)
        .sort();
    };

    it('planContains returns exactly the sessions whose plan contains the JSON', async () => {
      expect(await list({ planContains: '{"travelers":{"adults":2}}' })).toEqual([
        'lisbonMay',
        'portoMay',
      ]);
      expect(await list({ planContains: '{"destinationCity":"Lisbon"}' })).toEqual([
        'lisbonJuly',
        'lisbonMay',
      ]);
      expect(
        await list({ planContains: '{"preferences":{"pace":"slow"},"travelers":{"adults":2}}' }),
      ).toEqual(['portoMay']);
      expect(await list({ planContains: '{"destinationCity":"Atlantis"}' })).toEqual([]);
      expect(await list({ planContains: '{}' })).toEqual([
        'lisbonJuly',
        'lisbonMay',
        'noPlan',
        'portoMay',
      ]);
    });

    it('status, destination and date-range filters', async () => {
      expect(await list({ destination: 'lisbon' })).toEqual(['lisbonJuly', 'lisbonMay']);
      expect(await list({ from: '2027-05-01', to: '2027-05-31' })).toEqual([
        'lisbonMay',
        'portoMay',
      ]);
      expect(await list({ from: '2027-06-01' })).toEqual(['lisbonJuly']);
      expect(await list({ status: 'active' })).toEqual([
        'lisbonJuly',
        'lisbonMay',
        'noPlan',
        'portoMay',
      ]);
      expect(await list({ status: 'planning' })).toEqual([]);
    });

    it('pages with limit and cursor, newest activity first', async () => {
      const first = await ctx.http().get(`${API}/sessions?limit=3`).set(carol.authHeader);
      expect(first.body.items).toHaveLength(3);
      expect(first.body.items[0].sessionData).toBeUndefined();
      const second = await ctx
        .http()
        .get(`${API}/sessions`)
        .query({ limit: 3, cursor: first.body.nextCursor })
        .set(carol.authHeader);
      expect(second.body.items).toHaveLength(1);
      expect(second.body.nextCursor).toBeNull();
      const all = [...first.body.items, ...second.body.items].map((s: { id: string }) => s.id);
      expect(new Set(all)).toEqual(new Set(Object.values(ids)));
    });

    it('each item is the session as GET /sessions/:id answers it, less sessionData', async () => {
      const dave = await traveller();
      const tricky = await createSession(dave, { title: 'Ωmega "trip" \\ \u2028 ✈ </script>' });
      const planData = {
        destinationCity: 'Zürich',
        notes: 'line\nbreak, tab\t, "quotes", emoji 🧳',
        preferences: {
          budget: { amount: 1234.5, tiny: 0.000001, whole: 10, negative: -3 },
          withNull: [null, 'x'],
          flags: [true, false],
          nested: { deep: [1, [2, [3]]], empty: {}, none: [] },
        },
      };
      expect((await patch(dave, tricky.id, { planData }, '"1"')).status).toBe(200);
      const untitled = await createSession(dave);
      // Microseconds a Date truncates (…07.999999 → …07.999Z), a whole second, a half millisecond.
      await ctx.dataSource.query(
        `UPDATE unified_travel_sessions SET created_at = '2025-03-04 05:06:07.999999+00',
                updated_at = '2025-03-04 05:06:08+00', last_activity_at = '2025-03-04 05:06:08.0005+00'
          WHERE id = $1`,
        [tricky.id],
      );
      for (const query of [{}, { planContains: '{"destinationCity":"Zürich"}' }]) {
        const listed = await ctx.http().get(`${API}/sessions`).query(query).set(dave.authHeader);
        expect(listed.status).toBe(200);
        expect(listed.headers['content-type']).toBe('application/json; charset=utf-8');
        const items = listed.body.items as ({ id: string } & JsonObject)[];
        expect(items.map((item) => item.id)).toEqual(
          'planContains' in query ? [tricky.id] : [untitled.id, tricky.id],
        );
        for (const item of items) {
          const one = await ctx.http().get(`${API}/sessions/${item.id}`).set(dave.authHeader);
          const { sessionData, ...summary } = one.body as JsonObject;
          expect(sessionData).toBeDefined();
          expect(item).toStrictEqual(summary);
        }
      }
      const [first] = (
        await ctx.http().get(`${API}/sessions`).query({ limit: 1 }).set(dave.authHeader)
      ).body.items as JsonObject[];
      expect(first).toMatchObject({ id: untitled.id, title: null });
      const trickyItem = (
        await ctx
          .http()
          .get(`${API}/sessions`)
          .query({ planContains: '{"preferences":{"flags":[true]}}' })
          .set(dave.authHeader)
      ).body.items[0] as JsonObject;
      expect(trickyItem).toMatchObject({
        title: 'Ωmega "trip" \\ \u2028 ✈ </script>',
        planData,
        createdAt: '2025-03-04T05:06:07.999Z',
        updatedAt: '2025-03-04T05:06:08.000Z',
        lastActivityAt: '2025-03-04T05:06:08.000Z',
      });
    });

    it.each([
      ['limit above 100', { limit: 101 }, 'limit'],
      ['limit 0', { limit: 0 }, 'limit'],
      ['an unknown status', { status: 'cancelled' }, 'status'],
      ['a bad date', { from: 'May' }, 'from'],
      ['a date that does not exist', { to: '2027-02-30' }, 'to'],
      ['to before from', { from: '2027-05-02', to: '2027-05-01' }, 'to'],
      ['planContains not JSON', { planContains: '{oops' }, 'planContains'],
      ['planContains an array', { planContains: '["Lisbon"]' }, 'planContains'],
      ['a malformed cursor', { cursor: '!!' }, 'cursor'],
      ['an unknown filter', { owner: 'me' }, 'owner'],
    ])('%s → 400', async (_name, query, field) => {
      const response = await ctx.http().get(`${API}/sessions`).query(query).set(carol.authHeader);
      expect(response.status).toBe(400);
      expect(response.body.errors).toHaveProperty([field]);
    });

    it('limit above 100 → 400 on the message and saved-item lists too', async () => {
      for (const path of ['messages', 'saved-items']) {
        const response = await ctx
          .http()
          .get(`${API}/sessions/${ids.noPlan}/${path}?limit=101`)
          .set(carol.authHeader);
        expect([path, response.status]).toEqual([path, 400]);
      }
    });
  });

  describe('saved items', () => {
    it('CRUD with money, position and a 409 for the same provider item twice', async () => {
      const session = await createSession(alice, { title: 'with items' });
      const base = `${API}/sessions/${session.id}/saved-items`;
      const hotel = {
        itemType: 'hotel',
        provider: 'booking.com',
        externalId: 'H-123',
        title: 'Casa do Bairro',
        data: { rating: 4.6, location: { city: 'Lisbon' } },
        price: { amountMinor: 45000, currency: 'EUR' },
        notes: 'near the tram',
      };
      const created = await ctx.http().post(base).set(alice.authHeader).send(hotel);
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({
        ...hotel,
        sessionId: session.id,
        position: 1,
        assignedDay: null,
      });
      const flight = await ctx
        .http()
        .post(base)
        .set(alice.authHeader)
        .send({
          itemType: 'flight',
          provider: 'amadeus',
          externalId: 'F-9',
          title: 'BER→LIS',
          price: { amountMinor: 12999, currency: 'EUR' },
        });
      expect(flight.body.position).toBe(2);
      const yen = await ctx
        .http()
        .post(base)
        .set(alice.authHeader)
        .send({
          itemType: 'activity',
          title: 'Tea ceremony',
          price: { amountMinor: 5000, currency: 'JPY' },
        });
      expect(yen.body.price).toEqual({ amountMinor: 5000, currency: 'JPY' });

      const duplicate = await ctx
        .http()
        .post(base)
        .set(alice.authHeader)
        .send({ ...hotel, title: 'again' });
      expect(duplicate.status).toBe(409);
      expect(duplicate.body.code).toBe('SAVED_ITEM_DUPLICATE');
      // The same provider item in ANOTHER session is fine.
      const other = await createSession(alice);
      const elsewhere = await ctx
        .http()
        .post(`${API}/sessions/${other.id}/saved-items`)
        .set(alice.authHeader)
        .send(hotel);
      expect(elsewhere.status).toBe(201);

      const list = await ctx.http().get(base).set(alice.authHeader);
      expect(list.status).toBe(200);
      expect(list.body.items.map((i: { title: string }) => i.title)).toEqual([
        'Tea ceremony',
        'BER→LIS',
        'Casa do Bairro',
      ]);
      expect(list.body.nextCursor).toBeNull();

      const updated = await ctx
        .http()
        .patch(`${base}/${created.body.id}`)
        .set(alice.authHeader)
        .send({
          notes: null,
          price: { amountMinor: 42000, currency: 'EUR' },
          assignedDay: 2,
          position: 5,
        });
      expect(updated.status).toBe(200);
      expect(updated.body).toMatchObject({
        notes: null,
        price: { amountMinor: 42000, currency: 'EUR' },
        assignedDay: 2,
        position: 5,
      });
      const read = await ctx.http().get(`${base}/${created.body.id}`).set(alice.authHeader);
      expect(read.body).toEqual(updated.body);

      const removed = await ctx.http().delete(`${base}/${created.body.id}`).set(alice.authHeader);
      expect(removed.status).toBe(204);
      const gone = await ctx.http().get(`${base}/${created.body.id}`).set(alice.authHeader);
      expect(gone.status).toBe(404);
      // Deleted, the provider item can be saved again.
      const resaved = await ctx.http().post(base).set(alice.authHeader).send(hotel);
      expect(resaved.status).toBe(201);
    });

    it.each<[string, JsonObject, string]>([
      ['an unknown item type', { itemType: 'car', title: 'x' }, 'itemType'],
      ['no title', { itemType: 'hotel' }, 'title'],
      [
        'externalId without provider',
        { itemType: 'hotel', title: 'x', externalId: 'E1' },
        'provider',
      ],
      [
        'a float price',
        { itemType: 'hotel', title: 'x', price: { amountMinor: 1.5, currency: 'EUR' } },
        'price.amountMinor',
      ],
      [
        'a negative price',
        { itemType: 'hotel', title: 'x', price: { amountMinor: -1, currency: 'EUR' } },
        'price.amountMinor',
      ],
      [
        'an unknown currency',
        { itemType: 'hotel', title: 'x', price: { amountMinor: 1, currency: 'ABC' } },
        'price.currency',
      ],
      ['data that is not an object', { itemType: 'hotel', title: 'x', data: [1] }, 'data'],
      [
        'oversized data',
        { itemType: 'hotel', title: 'x', data: { blob: 'z'.repeat(70 * 1024) } },
        'data',
      ],
      ['assignedDay 0', { itemType: 'hotel', title: 'x', assignedDay: 0 }, 'assignedDay'],
      ['an unknown member', { itemType: 'hotel', title: 'x', isBooked: true }, 'isBooked'],
    ])('%s → 400', async (_name, body, field) => {
      const session = await createSession(alice);
      const response = await ctx
        .http()
        .post(`${API}/sessions/${session.id}/saved-items`)
        .set(alice.authHeader)
        .send(body);
      expect(response.status).toBe(400);
      expect(response.body.code).toBe('VALIDATION_FAILED');
      expect(response.body.errors).toHaveProperty([field]);
    });
  });

  describe("another user's objects are 404 for every verb", () => {
    it('sessions, messages and saved items', async () => {
      const session = await createSession(alice, { title: 'private', message: 'secret plan' });
      const item = await ctx
        .http()
        .post(`${API}/sessions/${session.id}/saved-items`)
        .set(alice.authHeader)
        .send({ itemType: 'hotel', provider: 'p', externalId: 'e', title: 'private hotel' });
      expect(item.status).toBe(201);
      const s = `${API}/sessions/${session.id}`;
      const i = `${s}/saved-items/${item.body.id}`;
      const attempts: [Method, string, object | undefined][] = [
        ['get', s, undefined],
        ['patch', s, { title: 'mine now' }],
        ['delete', s, undefined],
        ['post', `${s}/messages`, { role: 'user', content: 'hello' }],
        ['get', `${s}/messages`, undefined],
        ['post', `${s}/saved-items`, { itemType: 'flight', title: 'sneaky' }],
        ['get', `${s}/saved-items`, undefined],
        ['get', i, undefined],
        ['patch', i, { notes: 'mine' }],
        ['delete', i, undefined],
      ];
      for (const [method, path, body] of attempts) {
        const response = await call(method, path)
          .set(bob.authHeader)
          .set('If-Match', '"1"')
          .send(body);
        expect([method, path, response.status]).toEqual([method, path, 404]);
        expect(response.body.code).toMatch(/^(SESSION|SAVED_ITEM)_NOT_FOUND$/);
      }
      // Bob's own session does not open Alice's item either.
      const bobs = await createSession(bob);
      const crossed = await ctx
        .http()
        .get(`${API}/sessions/${bobs.id}/saved-items/${item.body.id}`)
        .set(bob.authHeader);
      expect(crossed.status).toBe(404);
      // Nothing of Alice's changed.
      const read = await ctx.http().get(s).set(alice.authHeader);
      expect(read.body).toMatchObject({ title: 'private', status: 'active', version: 1 });
      expect(read.body.sessionData.chatMessages).toHaveLength(1);
      const items = await ctx.http().get(`${s}/saved-items`).set(alice.authHeader);
      expect(items.body.items).toEqual([
        expect.objectContaining({ id: item.body.id, notes: null }),
      ]);
      // And Bob's list never shows it.
      const bobList = await ctx.http().get(`${API}/sessions?limit=100`).set(bob.authHeader);
      expect(bobList.body.items.map((x: { id: string }) => x.id)).not.toContain(session.id);
    });

    it('missing ids are 404, malformed ids 400', async () => {
      const missing = await ctx.http().get(`${API}/sessions/${randomUUID()}`).set(alice.authHeader);
      expect(missing.status).toBe(404);
      const malformed = await ctx.http().get(`${API}/sessions/not-a-uuid`).set(alice.authHeader);
      expect(malformed.status).toBe(400);
      expect(malformed.body.errors).toHaveProperty('id');
    });
  });

  it('deleting the user deletes their sessions and saved items (FK ON DELETE CASCADE)', async () => {
    const dave = await traveller();
    const session = await createSession(dave);
    await ctx
      .http()
      .post(`${API}/sessions/${session.id}/saved-items`)
      .set(dave.authHeader)
      .send({ itemType: 'other', title: 'x' });
    await ctx.dataSource.query('DELETE FROM users WHERE id = $1', [dave.id]);
    const [row] = (await ctx.dataSource.query(
      `SELECT (SELECT count(*) FROM unified_travel_sessions WHERE id = $1)::int AS sessions,
              (SELECT count(*) FROM unified_saved_items WHERE session_id = $1)::int AS items`,
      [session.id],
    )) as { sessions: number; items: number }[];
    expect(row).toEqual({ sessions: 0, items: 0 });
  });
});
