import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { RETENTION_POLICIES } from '#libs/common/privacy/retention-policies.js';
import { RETENTION_LOCK } from '#modules/compliance/privacy/retention.service.js';
import { grantConsent } from '../factories/consents.js';
import { createStaff, createVerifiedUser, type TestUser } from '../factories/users.js';
import { createTestApp, type TestApp } from '../utils/test-app.js';
import { API_PREFIX } from '#libs/common/http/api-prefix.js';

const API = API_PREFIX;

describe('retention: policies as code, batched purge', () => {
  let ctx: TestApp;
  let compliance: TestUser;
  let user: TestUser;

  beforeAll(async () => {
    // Batches of 2 rows prove the purge loops over batches.
    ctx = await createTestApp({
      env: { RETENTION_BATCH_SIZE: '2', RETENTION_INTERVAL_SECONDS: '0' },
    });
    [compliance, user] = await Promise.all([
      createStaff(ctx, ['compliance']),
      createVerifiedUser(ctx),
    ]);
  });

  afterAll(async () => {
    await ctx.close();
  });

  const run = (dryRun: unknown, who: TestUser = compliance) =>
    ctx.http().post(`${API}/compliance/retention/run`).set(who.authHeader).send({ dryRun });

  /** Ids of every row the policies make eligible, per table. */
  async function eligible(): Promise<Record<string, string[]>> {
    const ids = async (sql: string) =>
      ((await ctx.dataSource.query(sql)) as { id: string }[]).map((row) => row.id).sort();
    return {
      auth_events: await ids(
        `SELECT id FROM auth_events WHERE created_at < now() - interval '365 days'`,
      ),
      one_time_tokens: await ids(
        `SELECT id FROM one_time_tokens WHERE expires_at < now() - interval '7 days'`,
      ),
      sessions: await ids(
        `SELECT id FROM unified_travel_sessions WHERE status IN ('abandoned','archived')
            AND greatest(last_activity_at, updated_at) < now() - interval '730 days'`,
      ),
    };
  }

  /** A user with one hotel booking (30 days ahead), made through the API. */
  async function bookedUser(): Promise<{ user: TestUser; bookingId: string }> {
    const booker = await createVerifiedUser(ctx);
    await grantConsent(ctx, booker, 'travel_booking');
    const traveler = await ctx
      .http()
      .post(`${API}/travelers`)
      .set(booker.authHeader)
      .send({ firstName: 'Old', lastName: 'Trip', dateOfBirth: '1970-01-01' });
    const inDays = (days: number) =>
      new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
    const booking = await ctx
      .http()
      .post(`${API}/bookings`)
      .set(booker.authHeader)
      .set('Idempotency-Key', randomUUID())
      .send({
        bookingType: 'hotel',
        travelerIds: [traveler.body.id],
        currency: 'EUR',
        details: {
          hotelId: 'H-1',
          hotelName: 'Old Inn',
          city: 'Porto',
          country: 'PT',
          checkInDate: inDays(30),
          checkOutDate: inDays(31),
          roomType: 'Single',
        },
      });
    expect(booking.status).toBe(201);
    return { user: booker, bookingId: booking.body.id as string };
  }

  it('lists the policies (compliance only)', async () => {
    expect((await ctx.http().get(`${API}/compliance/retention-policies`)).status).toBe(401);
    const asUser = await ctx
      .http()
      .get(`${API}/compliance/retention-policies`)
      .set(user.authHeader);
    expect(asUser.status).toBe(403);
    const response = await ctx
      .http()
      .get(`${API}/compliance/retention-policies`)
      .set(compliance.authHeader);
    expect(response.status).toBe(200);
    expect(response.body.items.map((p: { category: string }) => p.category)).toEqual(
      RETENTION_POLICIES.map((p) => p.category),
    );
    const byCategory = Object.fromEntries(
      (response.body.items as { category: string }[]).map((p) => [p.category, p]),
    );
    expect(byCategory.bookings).toMatchObject({
      period: 'P10Y',
      periodDays: 3650,
      action: 'delete',
    });
    expect(byCategory.consent_ledger).toMatchObject({ period: 'P10Y', action: 'keep' });
    expect(byCategory.auth_events).toMatchObject({ appliedBy: ['auth'] });
    expect(byCategory.inactive_travel_sessions).toMatchObject({ appliedBy: ['sessions'] });
    expect(byCategory.bookings).toMatchObject({ appliedBy: ['bookings'] });
  });

  it('validates the run body and the role', async () => {
    expect((await run(undefined)).status).toBe(400);
    expect((await run('yes')).status).toBe(400);
    expect((await run(true, user)).status).toBe(403);
  });

  it('dry-run reports without deleting; a real run deletes exactly the reported rows', async () => {
    await grantConsent(ctx, user, 'travel_planning');
    // Old and new rows of every purged kind.
    await ctx.dataSource.query(
      `INSERT INTO auth_events (user_id, type, created_at)
       SELECT $1, 'login_success', now() - (d || ' days')::interval FROM unnest(ARRAY[400, 500, 800, 30, 364]) AS d`,
      [user.id],
    );
    await ctx.dataSource.query(
      `INSERT INTO one_time_tokens (user_id, purpose, token_hash, expires_at)
       SELECT $1, 'password_reset', md5(random()::text) || md5(random()::text), now() - (d || ' days')::interval
         FROM unnest(ARRAY[10, 40, 1, -1]) AS d`,
      [user.id],
    );
    await ctx.dataSource.query(
      `INSERT INTO unified_travel_sessions (user_id, status, title, created_at, updated_at, last_activity_at)
       SELECT $1, s::session_status, 'old ' || s, now() - (d || ' days')::interval, now() - (d || ' days')::interval, now() - (d || ' days')::interval
         FROM (VALUES ('abandoned', 800), ('archived', 1000), ('active', 1000), ('abandoned', 100)) AS v(s, d)`,
      [user.id],
    );
    const sessionOld = await ctx.dataSource.query(
      `SELECT id FROM unified_travel_sessions WHERE title = 'old archived'`,
    );
    await ctx.dataSource.query(
      `INSERT INTO unified_saved_items (session_id, item_type, title) VALUES ($1, 'hotel', 'kept with its session')`,
      [sessionOld[0].id],
    );
    const before = await eligible();
    expect(before.auth_events).toHaveLength(3);
    expect(before.one_time_tokens).toHaveLength(2);
    expect(before.sessions).toHaveLength(2);

    const dry = await run(true);
    expect(dry.status).toBe(200);
    const reported = Object.fromEntries(
      (dry.body.categories as { category: string; rows: number }[]).map((c) => [
        c.category,
        c.rows,
      ]),
    );
    expect(reported).toMatchObject({
      auth_events: 3,
      one_time_tokens: 2,
      inactive_travel_sessions: 2,
    });
    expect(dry.body.dryRun).toBe(true);
    expect(await eligible()).toEqual(before);
    const [rowsBefore] = await ctx.dataSource.query(
      `SELECT (SELECT count(*) FROM auth_events)::int AS a, (SELECT count(*) FROM one_time_tokens)::int AS t,
              (SELECT count(*) FROM unified_travel_sessions)::int AS s`,
    );

    const real = await run(false);
    expect(real.status).toBe(200);
    expect(real.body.dryRun).toBe(false);
    const deleted = Object.fromEntries(
      (real.body.categories as { category: string; rows: number }[]).map((c) => [
        c.category,
        c.rows,
      ]),
    );
    expect(deleted).toEqual(reported);
    expect(real.body.total).toBe(dry.body.total);
    // Exactly the reported rows are gone; everything else stays.
    const after = await eligible();
    expect(after).toEqual({ auth_events: [], one_time_tokens: [], sessions: [] });
    const [rowsAfter] = await ctx.dataSource.query(
      `SELECT (SELECT count(*) FROM auth_events)::int AS a, (SELECT count(*) FROM one_time_tokens)::int AS t,
              (SELECT count(*) FROM unified_travel_sessions)::int AS s`,
    );
    expect(rowsAfter).toEqual({
      a: rowsBefore.a - reported.auth_events,
      t: rowsBefore.t - reported.one_time_tokens,
      s: rowsBefore.s - reported.inactive_travel_sessions,
    });
    for (const id of [...before.auth_events, ...before.one_time_tokens, ...before.sessions]) {
      const [row] = await ctx.dataSource.query(
        `SELECT (SELECT count(*) FROM auth_events WHERE id = $1) + (SELECT count(*) FROM one_time_tokens WHERE id = $1)
              + (SELECT count(*) FROM unified_travel_sessions WHERE id = $1) AS n`,
        [id],
      );
      expect(Number(row.n)).toBe(0);
    }
    const items = await ctx.dataSource.query(
      `SELECT id FROM unified_saved_items WHERE title = 'kept with its session'`,
    );
    expect(items).toEqual([]);

    // Nothing left: a second run deletes nothing. Both runs are audited.
    const again = await run(false);
    expect(again.body.total).toBe(0);
    const audits = await ctx.dataSource.query(
      `SELECT action FROM audit_events WHERE action LIKE 'retention.%' ORDER BY occurred_at`,
    );
    expect(audits.map((a: { action: string }) => a.action)).toEqual([
      'retention.dry_run',
      'retention.run',
      'retention.run',
    ]);
  });

  it('purges pseudonymised bookings (with their append-only ledger) once their 10 years have passed', async () => {
    const erased = await bookedUser();
    const erasedRecent = await bookedUser();
    const active = await bookedUser();
    for (const { user: booker } of [erased, erasedRecent]) {
      const gone = await ctx
        .http()
        .delete(`${API}/me`)
        .set(booker.authHeader)
        .send({ password: booker.password });
      expect(gone.status).toBe(200);
    }
    // Travel and booking eleven years ago (the recent erased one keeps its dates).
    for (const id of [erased.bookingId, active.bookingId]) {
      await ctx.dataSource.query(
        `UPDATE bookings SET travel_start_date = current_date - 4020, travel_end_date = current_date - 4019,
                created_at = now() - interval '4030 days' WHERE id = $1`,
        [id],
      );
    }
    // The ledger stays append-only outside the purge path.
    await expect(
      ctx.dataSource.query(`DELETE FROM booking_ledger WHERE booking_id = $1`, [erased.bookingId]),
    ).rejects.toThrow(/append-only/);

    const rowsOf = (category: string, body: { categories: { category: string; rows: number }[] }) =>
      body.categories.find((c) => c.category === category)?.rows;
    const dry = await run(true);
    expect(rowsOf('bookings', dry.body)).toBe(1);
    const real = await run(false);
    expect(rowsOf('bookings', real.body)).toBe(1);
    const left = (await ctx.dataSource.query(
      `SELECT b.id, (SELECT count(*) FROM booking_ledger l WHERE l.booking_id = b.id)::int AS ledger
         FROM bookings b WHERE b.id = ANY($1::uuid[]) ORDER BY b.id`,
      [[erased.bookingId, erasedRecent.bookingId, active.bookingId]],
    )) as { id: string; ledger: number }[];
    expect(left.map((row) => row.id).sort()).toEqual(
      [erasedRecent.bookingId, active.bookingId].sort(),
    );
    expect(left.every((row) => row.ledger > 0)).toBe(true);
    const [orphans] = await ctx.dataSource.query(
      `SELECT (SELECT count(*) FROM booking_ledger WHERE booking_id = $1)::int AS ledger,
              (SELECT count(*) FROM booking_travelers WHERE booking_id = $1)::int AS travelers,
              (SELECT count(*) FROM hotel_bookings WHERE booking_id = $1)::int AS hotel`,
      [erased.bookingId],
    );
    expect(orphans).toEqual({ ledger: 0, travelers: 0, hotel: 0 });
  });

  it("purges an erased account's empty row once no kept booking references it", async () => {
    const booker = await bookedUser();
    const erase = await ctx
      .http()
      .delete(`${API}/me`)
      .set(booker.user.authHeader)
      .send({ password: booker.user.password });
    expect(erase.status).toBe(200);
    const account = async () =>
      (await ctx.dataSource.query(`SELECT status, email FROM users WHERE id = $1`, [
        booker.user.id,
      ])) as { status: string; email: string }[];
    // The booking is kept (FK RESTRICT): an empty row stays, and a run leaves it.
    expect(await account()).toEqual([
      { status: 'deleted', email: `erased-${booker.user.id}@erased.invalid` },
    ]);
    const rowsOf = (category: string, body: { categories: { category: string; rows: number }[] }) =>
      body.categories.find((c) => c.category === category)?.rows;
    expect(rowsOf('erased_accounts', (await run(false)).body)).toBe(0);
    expect(await account()).toHaveLength(1);

    // Ten years on, one run purges the booking (bookings go first) and then the empty row.
    await ctx.dataSource.query(
      `UPDATE bookings SET travel_start_date = current_date - 4020, travel_end_date = current_date - 4019,
              created_at = now() - interval '4030 days' WHERE id = $1`,
      [booker.bookingId],
    );
    const real = await run(false);
    expect(rowsOf('bookings', real.body)).toBe(1);
    expect(rowsOf('erased_accounts', real.body)).toBe(1);
    expect(await account()).toEqual([]);
    // Active accounts without bookings are never touched.
    const [alive] = await ctx.dataSource.query(`SELECT status FROM users WHERE id = $1`, [user.id]);
    expect(alive).toEqual({ status: 'active' });
    const policies = await ctx
      .http()
      .get(`${API}/compliance/retention-policies`)
      .set(compliance.authHeader);
    expect(
      (policies.body.items as { category: string }[]).find((p) => p.category === 'erased_accounts'),
    ).toMatchObject({ period: 'P0D', action: 'delete', appliedBy: ['auth'] });
  });

  it('runs once across instances: while another holds the advisory lock, a run is refused', async () => {
    const runner = ctx.dataSource.createQueryRunner();
    await runner.connect();
    try {
      await runner.query('SELECT pg_advisory_lock($1, $2)', [...RETENTION_LOCK]);
      const busy = await run(true);
      expect(busy.status).toBe(409);
      expect(busy.body.code).toBe('RETENTION_RUN_IN_PROGRESS');
    } finally {
      await runner.query('SELECT pg_advisory_unlock($1, $2)', [...RETENTION_LOCK]);
      await runner.release();
    }
    expect((await run(true)).status).toBe(200);
  });
});
