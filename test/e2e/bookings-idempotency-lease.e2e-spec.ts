import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { BookingProviderRegistry } from '#modules/bookings/booking-provider.registry.js';
import { IdempotencyService } from '#modules/bookings/creation/idempotency.service.js';
import type { ProviderBookingResult } from '#modules/bookings/providers/booking-provider.js';
import { createBookingUser, hotelBookingBody } from '../factories/bookings.js';
import type { TestUser } from '../factories/users.js';
import { createTestApp, type TestApp } from '../utils/test-app.js';

type Body = Record<string, unknown>;

function hotelBody(travelerIds: string[], hotelName = 'Casa Azul'): Body {
  return hotelBookingBody(travelerIds, { hotelName });
}

/**
 * A request that crashed after claiming its Idempotency-Key leaves the key in flight. Its lease
 * (`locked_until`) runs out, and a retry with the same body then takes the key over.
 */
describe('bookings: an in-flight Idempotency-Key is a lease', () => {
  let ctx: TestApp;

  const post = (user: TestUser, body: Body, key: string) =>
    ctx.http().post('/api/v1/bookings').set(user.authHeader).set('Idempotency-Key', key).send(body);

  const bookingUserWithTraveler = () => createBookingUser(ctx);

  const bookingsOf = async (userId: string): Promise<number> =>
    (
      (await ctx.dataSource.query('SELECT count(*)::int AS n FROM bookings WHERE user_id = $1', [
        userId,
      ])) as { n: number }[]
    )[0]?.n ?? -1;

  /**
   * The state a crash leaves behind: the key claimed in flight for `body`, nothing else. Its
   * fingerprint is taken from a completed key of the same body (then that key is deleted).
   */
  async function crashedKey(user: TestUser, body: Body, leaseEndsIn: string): Promise<string> {
    const template = randomUUID();
    expect((await post(user, body, template)).status).toBe(201);
    const key = randomUUID();
    await ctx.dataSource.query(
      `INSERT INTO idempotency_keys (user_id, scope, key, request_fingerprint, state, expires_at, locked_until)
       SELECT user_id, scope, $3, request_fingerprint, 'in_flight', now() + interval '24 hours', now() + $4::interval
         FROM idempotency_keys WHERE user_id = $1 AND key = $2`,
      [user.id, template, key, leaseEndsIn],
    );
    return key;
  }

  beforeAll(async () => {
    ctx = await createTestApp();
  });

  afterAll(async () => {
    await ctx.close();
  });

  it('a key inserted without a lease (the previous version, mid-deploy) still holds a full one: a retry waits (409)', async () => {
    const { user, traveler } = await bookingUserWithTraveler();
    const body = hotelBody([traveler]);
    const template = randomUUID();
    expect((await post(user, body, template)).status).toBe(201);
    const key = randomUUID();
    await ctx.dataSource.query(
      `INSERT INTO idempotency_keys (user_id, scope, key, request_fingerprint, state, expires_at)
       SELECT user_id, scope, $3, request_fingerprint, 'in_flight', now() + interval '24 hours'
         FROM idempotency_keys WHERE user_id = $1 AND key = $2`,
      [user.id, template, key],
    );
    const [{ seconds }] = await ctx.dataSource.query(
      `SELECT round(extract(epoch FROM locked_until - now()))::int AS seconds FROM idempotency_keys WHERE user_id = $1 AND key = $2`,
      [user.id, key],
    );
    expect(seconds).toBeGreaterThan(290);
    const retry = await post(user, body, key);
    expect([retry.status, retry.body.code]).toEqual([409, 'IDEMPOTENCY_REQUEST_IN_FLIGHT']);
  });

  it('new keys get a lease of IDEMPOTENCY_IN_FLIGHT_LEASE_SECONDS (default 300)', async () => {
    expect(ctx.config.IDEMPOTENCY_IN_FLIGHT_LEASE_SECONDS).toBe(300);
    const { user, traveler } = await bookingUserWithTraveler();
    const key = randomUUID();
    expect((await post(user, hotelBody([traveler]), key)).status).toBe(201);
    const [row] = (await ctx.dataSource.query(
      `SELECT round(extract(epoch FROM locked_until - created_at))::int AS lease, attempt, state
         FROM idempotency_keys WHERE user_id = $1 AND key = $2`,
      [user.id, key],
    )) as { lease: number; attempt: number; state: string }[];
    expect(row).toEqual({ lease: 300, attempt: 1, state: 'completed' });
  });

  it('while the lease holds, a retry is still 409 IDEMPOTENCY_REQUEST_IN_FLIGHT', async () => {
    const { user, traveler } = await bookingUserWithTraveler();
    const body = hotelBody([traveler]);
    const key = await crashedKey(user, body, '4 minutes');
    const before = await bookingsOf(user.id);
    const retry = await post(user, body, key);
    expect(retry.status).toBe(409);
    expect(retry.body.code).toBe('IDEMPOTENCY_REQUEST_IN_FLIGHT');
    expect(await bookingsOf(user.id)).toBe(before);
  });

  it('after the lease, a retry with the same body takes over and books once; later retries replay it', async () => {
    const { user, traveler } = await bookingUserWithTraveler();
    const body = hotelBody([traveler]);
    const key = await crashedKey(user, body, '-1 second');
    const before = await bookingsOf(user.id);
    const retry = await post(user, body, key);
    expect(retry.status).toBe(201);
    const replay = await post(user, body, key);
    expect(replay.status).toBe(201);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.text).toBe(retry.text);
    expect(await bookingsOf(user.id)).toBe(before + 1);
    const [row] = (await ctx.dataSource.query(
      'SELECT attempt, state, booking_id FROM idempotency_keys WHERE user_id = $1 AND key = $2',
      [user.id, key],
    )) as { attempt: number; state: string; booking_id: string }[];
    expect(row).toEqual({ attempt: 2, state: 'completed', booking_id: retry.body.id });
  });

  it('after the lease, another body with the key is still 422 IDEMPOTENCY_KEY_REUSED', async () => {
    const { user, traveler } = await bookingUserWithTraveler();
    const key = await crashedKey(user, hotelBody([traveler]), '-1 second');
    const other = await post(user, hotelBody([traveler], 'Another Hotel'), key);
    expect(other.status).toBe(422);
    expect(other.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
  });

  it('10 concurrent takeovers of an expired lease → exactly one booking, identical answers', async () => {
    const { user, traveler } = await bookingUserWithTraveler();
    const body = hotelBody([traveler]);
    const key = await crashedKey(user, body, '-1 second');
    const before = await bookingsOf(user.id);
    const responses = await Promise.all(Array.from({ length: 10 }, () => post(user, body, key)));
    for (const response of responses) expect([201, 409]).toContain(response.status);
    const created = responses.filter((response) => response.status === 201);
    expect(created.length).toBeGreaterThanOrEqual(1);
    const text = created[0]?.text;
    for (const response of created) expect(response.text).toBe(text);
    const retries = await Promise.all(
      responses.filter((response) => response.status === 409).map(() => post(user, body, key)),
    );
    for (const retry of retries) expect(retry.text).toBe(text);
    expect(await bookingsOf(user.id)).toBe(before + 1);
    const [row] = (await ctx.dataSource.query(
      'SELECT attempt FROM idempotency_keys WHERE user_id = $1 AND key = $2',
      [user.id, key],
    )) as { attempt: number }[];
    expect(row?.attempt).toBe(2);
  });

  it('an owner whose key was taken over can neither complete nor release it', async () => {
    const { user } = await bookingUserWithTraveler();
    const service = ctx.app.get(IdempotencyService);
    const key = randomUUID();
    const fingerprint = 'f'.repeat(64);
    const first = await service.claim(user.id, 'POST /test-lease', key, fingerprint);
    expect(first).toMatchObject({ kind: 'owner', attempt: 1 });
    await ctx.dataSource.query(
      `UPDATE idempotency_keys SET locked_until = now() - interval '1 second' WHERE user_id = $1 AND key = $2`,
      [user.id, key],
    );
    const second = await service.claim(user.id, 'POST /test-lease', key, fingerprint);
    expect(second).toMatchObject({ kind: 'owner', attempt: 2 });
    if (first.kind !== 'owner' || second.kind !== 'owner') throw new Error('unreachable');

    await service.release(first);
    const response = { status: 201, body: '{"stale":true}', bookingId: null };
    await expect(
      ctx.dataSource.transaction((manager) => service.complete(manager, first, response)),
    ).rejects.toMatchObject({ code: 'IDEMPOTENCY_REQUEST_IN_FLIGHT' });
    await ctx.dataSource.transaction((manager) =>
      service.complete(manager, second, { ...response, body: '{"fresh":true}' }),
    );
    const replay = await service.claim(user.id, 'POST /test-lease', key, fingerprint);
    expect(replay).toEqual({
      kind: 'replay',
      response: { status: 201, body: '{"fresh":true}', version: null, replayed: true },
    });
  });

  it('a slow owner whose key was taken over cancels its own provider booking (compensation)', async () => {
    const { user, traveler } = await bookingUserWithTraveler();
    const body = hotelBody([traveler]);
    const key = randomUUID();
    const sandbox = ctx.app.get(BookingProviderRegistry).get('sandbox');
    const originalBook = sandbox.book.bind(sandbox);
    const booked: ProviderBookingResult[] = [];
    let retry: Awaited<ReturnType<typeof post>> | undefined;
    // The first request books at the provider; before it records, its lease runs out and a
    // retry with the same body takes the key over and books (its own call passes straight on).
    sandbox.book = async (...args) => {
      const result = await originalBook(...args);
      booked.push(result);
      if (booked.length === 1) {
        await ctx.dataSource.query(
          `UPDATE idempotency_keys SET locked_until = now() - interval '1 second' WHERE user_id = $1 AND key = $2`,
          [user.id, key],
        );
        retry = await post(user, body, key);
      }
      return result;
    };
    const before = await bookingsOf(user.id);
    const slow = await Promise.resolve(post(user, body, key)).finally(() => {
      sandbox.book = originalBook;
    });
    expect([slow.status, slow.body.code]).toEqual([409, 'IDEMPOTENCY_REQUEST_IN_FLIGHT']);
    expect(retry?.status).toBe(201);
    expect(await bookingsOf(user.id)).toBe(before + 1);
    const [lost, kept] = booked.map((result) => result.providerReference ?? '');
    expect(lost).not.toBe(kept);
    expect(retry?.body.providerReference ?? kept).toBe(kept);
    // The loser's provider booking has no record here: it was cancelled at the provider.
    expect((await sandbox.status(lost ?? '')).state).toBe('cancelled');
    expect((await sandbox.status(kept ?? '')).state).toBe('active');
    const [row] = (await ctx.dataSource.query(
      'SELECT provider_reference FROM bookings WHERE user_id = $1 ORDER BY created_at DESC LIMIT 1',
      [user.id],
    )) as { provider_reference: string }[];
    expect(row?.provider_reference).toBe(kept);
    // A later retry replays the winner's answer.
    const replay = await post(user, body, key);
    expect(replay.text).toBe(retry?.text);
  });
});
