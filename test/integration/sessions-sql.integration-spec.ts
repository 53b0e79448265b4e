import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { ProblemException } from '#libs/common/errors/problem.exception.js';
import type { JsonObject } from '#modules/sessions/json-merge-patch.js';
import { SESSION_LIMITS } from '#modules/sessions/session-limits.js';
import { sessionListSql } from '#modules/sessions/session-list.js';
import { SessionsService } from '#modules/sessions/sessions.service.js';
import { createVerifiedUser } from '../factories/users.js';
import { createTestApp, type TestApp } from '../utils/test-app.js';

/**
 * The sessions module at the service/SQL level (no HTTP routes): the atomic message append,
 * optimistic concurrency, and that planContains is answered by the GIN index.
 */
// Seeding 40k rows and 400 sequential appends take longer than Jest's default 5 s.
jest.setTimeout(60_000);

describe('sessions (service and SQL)', () => {
  let ctx: TestApp;
  let sessions: SessionsService;

  beforeAll(async () => {
    ctx = await createTestApp();
    sessions = ctx.app.get(SessionsService);
  });

  /** A real user (sessions reference users); ids that own nothing stay random. */
  const newUser = async (): Promise<string> => (await createVerifiedUser(ctx)).id;

  afterAll(async () => {
    await ctx.close();
  });

  async function expectProblem(promise: Promise<unknown>, status: number, code: string) {
    const error = await promise.then(
      () => undefined,
      (reason: unknown) => reason,
    );
    expect(error).toBeInstanceOf(ProblemException);
    expect((error as ProblemException).getStatus()).toBe(status);
    expect((error as ProblemException).code).toBe(code);
    return error as ProblemException;
  }

  it('has the hand-written indexes the entity declares with synchronize: false', async () => {
    const rows = (await ctx.dataSource.query(
      `SELECT indexname, indexdef FROM pg_indexes
       WHERE tablename = 'unified_travel_sessions' ORDER BY indexname`,
    )) as { indexname: string; indexdef: string }[];
    const defs = Object.fromEntries(rows.map((row) => [row.indexname, row.indexdef]));
    // planContains: the plan keyed by its owner, so a search reads only the owner's candidates.
    expect(defs.idx_unified_travel_sessions_owner_plan_gin).toContain(
      "USING gin (jsonb_set('{}'::jsonb, ARRAY[(user_id)::text], plan_data) jsonb_path_ops)",
    );
    expect(defs.idx_unified_travel_sessions_plan_data_gin).toBeUndefined();
    // No query filters session_data by containment; every message append would pay for it.
    expect(defs.idx_unified_travel_sessions_session_data_gin).toBeUndefined();
    expect(defs.idx_unified_travel_sessions_plan_destination_city).toContain(
      "(user_id, lower((plan_data ->> 'destinationCity'::text)))",
    );
    expect(defs.idx_unified_travel_sessions_plan_start_date).toContain(
      "(user_id, ((plan_data ->> 'startDate'::text)))",
    );
    expect(defs.idx_unified_travel_sessions_user_live).toMatch(
      /\(user_id, updated_at, id\) WHERE \(status <> 'archived'::session_status\)/,
    );
    expect(defs.idx_unified_travel_sessions_user_id_status_updated_at).toContain(
      '(user_id, status, updated_at)',
    );
  });

  describe('message append', () => {
    it('50 concurrent appends: exactly 50 stored, in order, version +50', async () => {
      const userId = await newUser();
      const session = await sessions.create(userId, { title: 'concurrency' });
      const started = process.hrtime.bigint();
      const results = await Promise.all(
        Array.from({ length: 50 }, (_, i) =>
          sessions.appendMessage(userId, session.id, {
            role: i % 2 === 0 ? 'user' : 'assistant',
            content: `message ${i}`,
            metadata: { n: i },
          }),
        ),
      );
      const elapsedMs = Number(process.hrtime.bigint() - started) / 1e6;
      process.stdout.write(
        `[measure] 50 concurrent service appends: ${elapsedMs.toFixed(1)} ms total\n`,
      );

      const stored = await sessions.get(userId, session.id);
      const messages = stored.sessionData.chatMessages as JsonObject[];
      expect(messages).toHaveLength(50);
      expect(stored.version).toBe(session.version + 50);
      // In order: seq is the position, timestamps never go backwards, every message once.
      expect(messages.map((m) => m.seq)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
      const times = messages.map((m) => Date.parse(m.createdAt as string));
      expect(times).toEqual([...times].sort((a, b) => a - b));
      expect(new Set(messages.map((m) => m.content)).size).toBe(50);
      expect(new Set(messages.map((m) => m.id)).size).toBe(50);
      // Each caller got back its own message, with the seq it was stored at.
      for (const { message } of results) {
        expect(messages[message.seq - 1]).toMatchObject({
          id: message.id,
          content: message.content,
        });
      }
      // The versions handed out are exactly v+1 … v+50.
      expect(results.map((r) => r.version).sort((a, b) => a - b)).toEqual(
        Array.from({ length: 50 }, (_, i) => session.version + i + 1),
      );
      // Stored through SQL exactly as read back.
      const [row] = (await ctx.dataSource.query(
        `SELECT (SELECT count(*)::int FROM unified_session_messages m WHERE m.session_id = s.id) AS n,
                (SELECT array_agg(m.seq ORDER BY m.seq) FROM unified_session_messages m
                  WHERE m.session_id = s.id) AS seqs,
                s.message_count, s.version, s.session_data ? 'chatMessages' AS in_document
         FROM unified_travel_sessions s WHERE s.id = $1`,
        [session.id],
      )) as { n: number; version: number }[];
      expect(row).toEqual({
        n: 50,
        seqs: Array.from({ length: 50 }, (_, i) => i + 1),
        message_count: 50,
        version: session.version + 50,
        in_document: false,
      });
    });

    it('keeps the first message of POST /sessions as seq 1 and appends after it', async () => {
      const userId = await newUser();
      const session = await sessions.create(userId, { message: 'Plan Lisbon in May' });
      const { message } = await sessions.appendMessage(userId, session.id, {
        role: 'assistant',
        content: 'Sure!',
      });
      expect(message.seq).toBe(2);
      const page = await sessions.listMessages(userId, session.id, {});
      expect(page.items.map((m) => [m.seq, m.role, m.content])).toEqual([
        [2, 'assistant', 'Sure!'],
        [1, 'user', 'Plan Lisbon in May'],
      ]);
    });

    it('lists newest first and pages back with the cursor', async () => {
      const userId = await newUser();
      const session = await sessions.create(userId, {});
      for (let i = 1; i <= 7; i += 1) {
        await sessions.appendMessage(userId, session.id, { role: 'user', content: `m${i}` });
      }
      const first = await sessions.listMessages(userId, session.id, { limit: 3 });
      expect(first.items.map((m) => m.content)).toEqual(['m7', 'm6', 'm5']);
      const second = await sessions.listMessages(userId, session.id, {
        limit: 3,
        cursor: first.nextCursor as string,
      });
      expect(second.items.map((m) => m.content)).toEqual(['m4', 'm3', 'm2']);
      const third = await sessions.listMessages(userId, session.id, {
        limit: 3,
        cursor: second.nextCursor as string,
      });
      expect(third.items.map((m) => m.content)).toEqual(['m1']);
      expect(third.nextCursor).toBeNull();
      await expectProblem(
        sessions.listMessages(userId, session.id, { cursor: 'bm90LWEtY3Vyc29y' }),
        400,
        'INVALID_CURSOR',
      );
    });

    it('is owner-scoped: another user appends or lists nothing (404)', async () => {
      const owner = await newUser();
      const session = await sessions.create(owner, {});
      await expectProblem(
        sessions.appendMessage(randomUUID(), session.id, { role: 'user', content: 'hi' }),
        404,
        'SESSION_NOT_FOUND',
      );
      await expectProblem(
        sessions.listMessages(randomUUID(), session.id, {}),
        404,
        'SESSION_NOT_FOUND',
      );
      const stored = await sessions.get(owner, session.id);
      expect(stored.sessionData.chatMessages).toEqual([]);
      expect(stored.version).toBe(session.version);
    });

    it(`refuses the ${SESSION_LIMITS.maxChatMessages + 1}th message (422) and archived sessions (409)`, async () => {
      const userId = await newUser();
      const session = await sessions.create(userId, {});
      await ctx.dataSource.query(
        `WITH added AS (
           INSERT INTO unified_session_messages (session_id, seq, message)
           SELECT $1, i, jsonb_build_object('id', gen_random_uuid(), 'seq', i, 'role', 'user',
                  'content', 'x', 'createdAt', '2026-01-01T00:00:00.000000Z')
             FROM generate_series(1, $2::int - 1) AS i
           RETURNING message)
         UPDATE unified_travel_sessions
            SET message_count = $2::int - 1,
                message_bytes = (SELECT sum(octet_length(message::text) + 2) FROM added)
          WHERE id = $1`,
        [session.id, SESSION_LIMITS.maxChatMessages],
      );
      const last = await sessions.appendMessage(userId, session.id, {
        role: 'user',
        content: 'last',
      });
      expect(last.message.seq).toBe(SESSION_LIMITS.maxChatMessages);
      await expectProblem(
        sessions.appendMessage(userId, session.id, { role: 'user', content: 'one too many' }),
        422,
        'SESSION_MESSAGE_LIMIT',
      );

      const other = await sessions.create(userId, {});
      await sessions.archive(userId, other.id);
      await expectProblem(
        sessions.appendMessage(userId, other.id, { role: 'user', content: 'hi' }),
        409,
        'SESSION_ARCHIVED',
      );
    });

    it('refuses a message that would push the session over its byte limit (422)', async () => {
      const userId = await newUser();
      const session = await sessions.create(userId, {});
      const filler = 'y'.repeat(SESSION_LIMITS.sessionDataMaxBytes - 4000);
      await ctx.dataSource.query(
        `UPDATE unified_travel_sessions SET session_data = jsonb_build_object(
           'uiState', jsonb_build_object('filters', jsonb_build_object('blob', $2::text))) WHERE id = $1`,
        [session.id, filler],
      );
      await expectProblem(
        sessions.appendMessage(userId, session.id, { role: 'user', content: 'z'.repeat(5000) }),
        422,
        'SESSION_TOO_LARGE',
      );
      const small = await sessions.appendMessage(userId, session.id, {
        role: 'user',
        content: 'ok',
      });
      expect(small.message.seq).toBe(1);
    });

    it('measures append latency on a long transcript', async () => {
      const userId = await newUser();
      const session = await sessions.create(userId, {});
      const content =
        'A typical chat message of a few sentences about flights, hotels and dates. '.repeat(4);
      const timings: number[] = [];
      for (let i = 0; i < 400; i += 1) {
        const started = process.hrtime.bigint();
        await sessions.appendMessage(userId, session.id, { role: 'user', content });
        timings.push(Number(process.hrtime.bigint() - started) / 1e6);
      }
      const stats = (slice: number[]) => {
        const sorted = [...slice].sort((a, b) => a - b);
        return `median ${sorted[Math.floor(sorted.length / 2)]?.toFixed(2)} ms, p95 ${sorted[Math.floor(sorted.length * 0.95)]?.toFixed(2)} ms`;
      };
      process.stdout.write(
        `[measure] sequential appends, messages 1-50: ${stats(timings.slice(0, 50))}; 351-400: ${stats(timings.slice(350))}\n`,
      );
      const stored = await sessions.get(userId, session.id);
      expect(stored.sessionData.chatMessages).toHaveLength(400);
    });
  });

  describe('chat messages in their own table (migration SessionMessagesTable)', () => {
    it('up moves each transcript out of session_data into rows, down moves them back; the API reads the same', async () => {
      const { SessionMessagesTable1796553754620: Migration } =
        await import('../../migrations/1796553754620-SessionMessagesTable.js');
      const migration = new Migration();
      const userId = await newUser();
      const current = await sessions.create(userId, { message: 'Lisbon in May?' });
      await sessions.appendMessage(userId, current.id, {
        role: 'assistant',
        content: 'Sure: five days?',
        metadata: { model: 'x' },
      });
      const before = await sessions.get(userId, current.id);
      const runner = ctx.dataSource.createQueryRunner();
      try {
        await migration.down(runner);
        // Down: the transcript is back inside the document, as the origin stored it.
        const [restored] = (await ctx.dataSource.query(
          `SELECT session_data FROM unified_travel_sessions WHERE id = $1`,
          [current.id],
        )) as { session_data: JsonObject }[];
        expect(restored?.session_data).toEqual(before.sessionData);
        // A session written before the change: three messages in the document; one without any.
        const legacyMessages = [1, 2, 3].map((seq) => ({
          id: randomUUID(),
          seq,
          role: seq % 2 ? 'user' : 'assistant',
          content: `message ${seq} "quoted" ✈`,
          createdAt: `2026-01-0${seq}T10:00:00.000000Z`,
        }));
        const [legacy] = (await ctx.dataSource.query(
          `INSERT INTO unified_travel_sessions (user_id, session_data)
           VALUES ($1, jsonb_build_object('chatMessages', $2::jsonb, 'uiState', '{"step":2}'::jsonb)),
                  ($1, '{}'::jsonb)
           RETURNING id`,
          [userId, JSON.stringify(legacyMessages)],
        )) as { id: string }[];
        await migration.up(runner);

        expect((await sessions.get(userId, current.id)).sessionData).toEqual(before.sessionData);
        const moved = await sessions.get(userId, legacy!.id);
        expect(moved.sessionData).toEqual({ chatMessages: legacyMessages, uiState: { step: 2 } });
        const [row] = (await ctx.dataSource.query(
          `SELECT s.session_data, s.message_count, s.message_bytes,
                  (SELECT sum(octet_length(m.message::text) + 2)::int FROM unified_session_messages m
                    WHERE m.session_id = s.id) AS bytes
             FROM unified_travel_sessions s WHERE s.id = $1`,
          [legacy!.id],
        )) as { session_data: JsonObject; message_count: number; message_bytes: number }[];
        expect(row).toMatchObject({ session_data: { uiState: { step: 2 } }, message_count: 3 });
        expect(row!.message_bytes).toBe((row as unknown as { bytes: number }).bytes);
        // The next append follows the moved transcript.
        const next = await sessions.appendMessage(userId, legacy!.id, {
          role: 'user',
          content: 'and then?',
        });
        expect(next.message.seq).toBe(4);
      } finally {
        await runner.release();
      }
    });
  });

  describe('optimistic concurrency (PATCH)', () => {
    it('428 without If-Match, 412 when stale and nothing changes, 200 and version +1 when current', async () => {
      const userId = await newUser();
      const session = await sessions.create(userId, { title: 'v1' });
      await expectProblem(
        sessions.update(userId, session.id, undefined, { title: 'x' }),
        428,
        'PRECONDITION_REQUIRED',
      );
      await sessions.appendMessage(userId, session.id, { role: 'user', content: 'bump' });
      const stale = await expectProblem(
        sessions.update(userId, session.id, [session.version], { title: 'stale' }),
        412,
        'PRECONDITION_FAILED',
      );
      expect(stale.extras.currentVersion).toBe(session.version + 1);
      const unchanged = await sessions.get(userId, session.id);
      expect(unchanged.title).toBe('v1');
      expect(unchanged.version).toBe(session.version + 1);

      const updated = await sessions.update(userId, session.id, [unchanged.version], {
        title: 'v2',
        planData: { destinationCity: 'Lisbon', startDate: '2027-05-01' },
      });
      expect(updated).toMatchObject({ title: 'v2', version: unchanged.version + 1 });
      expect(updated.planData).toEqual({ destinationCity: 'Lisbon', startDate: '2027-05-01' });
      expect(updated.sessionData.chatMessages).toHaveLength(1);
    });

    it('of two writers with the same version exactly one wins', async () => {
      const userId = await newUser();
      const session = await sessions.create(userId, {});
      const outcomes = await Promise.allSettled(
        ['a', 'b', 'c', 'd'].map((title) =>
          sessions.update(userId, session.id, [session.version], { title }),
        ),
      );
      expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
      for (const outcome of outcomes.filter((o) => o.status === 'rejected')) {
        expect(((outcome as PromiseRejectedResult).reason as ProblemException).getStatus()).toBe(
          412,
        );
      }
      expect((await sessions.get(userId, session.id)).version).toBe(session.version + 1);
    });

    it('merge-patches the documents and validates the result', async () => {
      const userId = await newUser();
      const session = await sessions.create(userId, {});
      const v2 = await sessions.update(userId, session.id, [session.version], {
        planData: { destinationCity: 'Rome', travelers: { adults: 2 }, notes: 'x' },
        sessionData: { uiState: { currentStep: 'dates' } },
        sessionMetadata: { source: 'web' },
      });
      const v3 = await sessions.update(userId, session.id, [v2.version], {
        planData: { travelers: { children: 1 }, notes: null },
      });
      expect(v3.planData).toEqual({
        destinationCity: 'Rome',
        travelers: { adults: 2, children: 1 },
      });
      expect(v3.sessionData).toEqual({ chatMessages: [], uiState: { currentStep: 'dates' } });
      const invalid = await expectProblem(
        sessions.update(userId, session.id, [v3.version], {
          planData: { startDate: '2027-05-04', endDate: '2027-05-01' },
        }),
        400,
        'VALIDATION_FAILED',
      );
      expect(invalid.extras.errors).toEqual({
        'planData.endDate': ['must not be before startDate'],
      });
      await expectProblem(
        sessions.update(userId, session.id, [v3.version], { sessionData: { chatMessages: [] } }),
        400,
        'VALIDATION_FAILED',
      );
      expect((await sessions.get(userId, session.id)).version).toBe(v3.version);
    });

    it('status follows the transition table (409 otherwise); archived is read-only', async () => {
      const userId = await newUser();
      const session = await sessions.create(userId, {});
      const completed = await sessions.update(userId, session.id, [session.version], {
        status: 'completed',
      });
      const refused = await expectProblem(
        sessions.update(userId, session.id, [completed.version], { status: 'planning' }),
        409,
        'INVALID_STATUS_TRANSITION',
      );
      expect(refused.extras).toMatchObject({ from: 'completed', to: 'planning' });
      await sessions.archive(userId, session.id);
      await sessions.archive(userId, session.id); // idempotent
      const archived = await sessions.get(userId, session.id);
      expect(archived.status).toBe('archived');
      await expectProblem(
        sessions.update(userId, session.id, [archived.version], { title: 'x' }),
        409,
        'SESSION_ARCHIVED',
      );
    });
  });

  describe('list filters and the GIN index', () => {
    let userId: string;
    const ids: Record<string, string> = {};

    beforeAll(async () => {
      userId = await newUser();
      const others = [await newUser(), await newUser()];
      const plans: Record<string, JsonObject> = {
        lisbonMay: {
          destinationCity: 'Lisbon',
          startDate: '2027-05-01',
          travelers: { adults: 2 },
          preferences: { pace: 'slow' },
        },
        lisbonJune: {
          destinationCity: 'lisbon',
          startDate: '2027-06-10',
          travelers: { adults: 1 },
        },
        romeMay: {
          destinationCity: 'Rome',
          startDate: '2027-05-20',
          travelers: { adults: 2 },
          preferences: { pace: 'slow', food: true },
        },
        empty: {},
      };
      for (const [name, planData] of Object.entries(plans)) {
        const created = await sessions.create(userId, { title: name });
        await sessions.update(userId, created.id, [created.version], { planData });
        ids[name] = created.id;
      }
      const archived = await sessions.create(userId, { title: 'archived' });
      await sessions.update(userId, archived.id, [archived.version], {
        planData: { destinationCity: 'Lisbon', travelers: { adults: 2 } },
      });
      await sessions.archive(userId, archived.id);
      ids.archived = archived.id;
      // Plenty of other rows (other users and this one) so the planner has a real choice.
      await ctx.dataSource.query(
        `INSERT INTO unified_travel_sessions (user_id, plan_data, created_at, updated_at)
         SELECT CASE WHEN i % 4 = 0 THEN $1::uuid WHEN i % 4 = 1 THEN $2::uuid ELSE $3::uuid END,
                jsonb_build_object(
                  'destinationCity', (ARRAY['Paris','Berlin','Madrid','Oslo','Vienna','Prague','Dublin','Athens'])[1 + i % 8],
                  'startDate', to_char(DATE '2027-01-01' + (i % 365), 'YYYY-MM-DD'),
                  'travelers', jsonb_build_object('adults', 1 + i % 5),
                  'preferences', jsonb_build_object('seed', i)),
                now() - make_interval(secs => i), now() - make_interval(secs => i)
         FROM generate_series(1, 40000) AS i`,
        [userId, ...others],
      );
      await ctx.dataSource.query('ANALYZE unified_travel_sessions');
    });

    const names = (items: { id: string }[]) =>
      items.map((item) => Object.keys(ids).find((name) => ids[name] === item.id)).sort();

    it('planContains returns exactly the sessions whose plan contains the object', async () => {
      const twoAdults = await sessions.list(userId, { planContains: '{"travelers":{"adults":2}}' });
      expect(names(twoAdults.items)).toEqual(['lisbonMay', 'romeMay']);
      const slow = await sessions.list(userId, {
        planContains: '{"preferences":{"pace":"slow"},"destinationCity":"Rome"}',
      });
      expect(names(slow.items)).toEqual(['romeMay']);
      const archivedToo = await sessions.list(userId, {
        status: 'archived',
        planContains: '{"destinationCity":"Lisbon"}',
      });
      expect(names(archivedToo.items)).toEqual(['archived']);
      const none = await sessions.list(userId, { planContains: '{"destinationCity":"Atlantis"}' });
      expect(none.items).toEqual([]);
      // Another user sees none of them.
      expect((await sessions.list(randomUUID(), { planContains: '{}' })).items).toEqual([]);
    });

    it('destination (case-insensitive) and the start-date range filter', async () => {
      const lisbon = await sessions.list(userId, { destination: 'LISBON' });
      expect(names(lisbon.items)).toEqual(['lisbonJune', 'lisbonMay']);
      const may = await sessions.list(userId, {
        from: '2027-05-01',
        to: '2027-05-31',
        destination: 'lisbon',
      });
      expect(names(may.items)).toEqual(['lisbonMay']);
      const fromJune = await sessions.list(userId, {
        from: '2027-06-01',
        planContains: '{"destinationCity":"lisbon"}',
      });
      expect(names(fromJune.items)).toEqual(['lisbonJune']);
    });

    it('planContains answers exactly `plan_data @> filter` for the owner, never another owner', async () => {
      // The same plans for other owners (the owner-keyed index must not mix them in), arrays
      // and nested objects, an archived match, and filters from empty to absent.
      const plan = {
        destinationCity: 'Kyoto',
        destinations: ['Kyoto', 'Nara'],
        preferences: { tags: ['temples', 'food'], pace: 'slow' },
      };
      const mine = await sessions.create(userId, { title: 'kyoto' });
      await sessions.update(userId, mine.id, [mine.version], { planData: plan });
      const other = await newUser();
      const theirs = await sessions.create(other, { title: 'kyoto (theirs)' });
      await sessions.update(other, theirs.id, [theirs.version], { planData: plan });
      const filters: JsonObject[] = [
        {},
        { destinationCity: 'Kyoto' },
        { destinations: ['Nara'] },
        { destinations: ['Nara', 'Kyoto'] },
        { destinations: ['Osaka'] },
        { preferences: { tags: ['food'] } },
        { preferences: { pace: 'slow' } },
        { preferences: {} },
        { destinationCity: 'Paris' },
        { destinationCity: 'Paris', travelers: { adults: 3 } },
        { travelers: { adults: 2 } },
        { destinationCity: 'Lisbon' },
        { [userId]: { destinationCity: 'Kyoto' } },
      ];
      const expected = async (owner: string, filter: JsonObject, archived: boolean) =>
        (
          (await ctx.dataSource.query(
            `SELECT id FROM unified_travel_sessions
              WHERE user_id = $1 AND ${archived ? "status = 'archived'" : "status <> 'archived'"}
                AND plan_data @> $2::jsonb
              ORDER BY updated_at DESC, id DESC LIMIT 100`,
            [owner, JSON.stringify(filter)],
          )) as { id: string }[]
        ).map((row) => row.id);
      for (const owner of [userId, other]) {
        for (const filter of filters) {
          const planContains = JSON.stringify(filter);
          const listed = await sessions.list(owner, { planContains, limit: 100 });
          expect({ planContains, ids: listed.items.map((item) => item.id) }).toEqual({
            planContains,
            ids: await expected(owner, filter, false),
          });
          const archived = await sessions.list(owner, { planContains, status: 'archived' });
          expect(archived.items.map((item) => item.id)).toEqual(
            await expected(owner, filter, true),
          );
        }
      }
      const temples = '{"preferences":{"tags":["temples"]}}';
      const kyoto = await sessions.list(userId, { planContains: temples });
      expect(kyoto.items.map((item) => item.id)).toEqual([mine.id]);
      const theirsOnly = await sessions.list(other, { planContains: temples });
      expect(theirsOnly.items.map((item) => item.id)).toEqual([theirs.id]);
    });

    it('EXPLAIN shows the planContains list query answered by the owner-keyed GIN index', async () => {
      const { text: sql, params: parameters } = sessionListSql(userId, {
        filters: { planContains: { destinationCity: 'Rome', preferences: { pace: 'slow' } } },
        limit: 20,
      });
      const plan = (
        (await ctx.dataSource.query(`EXPLAIN (ANALYZE, COSTS OFF) ${sql}`, parameters)) as {
          'QUERY PLAN': string;
        }[]
      )
        .map((row) => row['QUERY PLAN'])
        .join('\n');
      process.stdout.write(`[measure] planContains plan on 40k+ rows:\n${plan}\n`);
      expect(plan).toContain('idx_unified_travel_sessions_owner_plan_gin');
      expect(plan).not.toMatch(/Seq Scan on unified_travel_sessions/);
    });

    it('EXPLAIN shows the destination filter using its expression index', async () => {
      const { text: sql, params: parameters } = sessionListSql(userId, {
        filters: { destination: 'Lisbon' },
        limit: 20,
      });
      const plan = (
        (await ctx.dataSource.query(`EXPLAIN (COSTS OFF) ${sql}`, parameters)) as {
          'QUERY PLAN': string;
        }[]
      )
        .map((row) => row['QUERY PLAN'])
        .join('\n');
      expect(plan).toContain('idx_unified_travel_sessions_plan_destination_city');
    });

    it('pages the list by updated_at with a stable cursor', async () => {
      const first = await sessions.list(userId, { destination: 'paris', limit: 100 });
      expect(first.items).toHaveLength(100);
      const second = await sessions.list(userId, {
        destination: 'paris',
        limit: 100,
        cursor: first.nextCursor as string,
      });
      const seen = new Set([...first.items, ...second.items].map((item) => item.id));
      expect(seen.size).toBe(200);
      const updated = [...first.items, ...second.items].map((item) => item.updatedAt);
      expect(updated).toEqual([...updated].sort().reverse());
    });
  });
});
