import { createHmac, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Response } from 'supertest';
import {
  BOOKING_PROVIDERS,
  type BookingProvider,
} from '#modules/bookings/providers/booking-provider.js';
import { SandboxBookingProvider } from '#modules/bookings/providers/sandbox.provider.js';
import { createBookingUser, hotelBookingBody, ledgerKinds } from '../factories/bookings.js';
import type { TestUser } from '../factories/users.js';
import { createTestApp, type TestApp } from '../utils/test-app.js';

const SECRET = 'test-webhook-secret-0123456789';
const OTHER_SECRET = 'other-webhook-secret-0123456789';

/** A second adapter (a sandbox under another name): events are scoped to their provider. */
const otherProvider = (): BookingProvider =>
  Object.assign(Object.create(new SandboxBookingProvider()) as BookingProvider, { name: 'other' });

type Outcome = 'confirm' | 'pending' | 'fail';

/**
 * POST /providers/:provider/events: signed provider events drive a booking's state, payment,
 * ledger and timeline, once per event id, also when delivered concurrently or out of order.
 */
describe('booking lifecycle: signed provider events', () => {
  let ctx: TestApp;
  let user: TestUser;
  let traveler: string;

  beforeAll(async () => {
    ctx = await createTestApp({
      env: { PROVIDER_WEBHOOK_SECRET: SECRET, PROVIDER_WEBHOOK_SECRET_OTHER: OTHER_SECRET },
      customize: (builder) =>
        builder.overrideProvider(BOOKING_PROVIDERS).useFactory({
          factory: (sandbox: SandboxBookingProvider) => [sandbox, otherProvider()],
          inject: [SandboxBookingProvider],
        }),
    });
    ({ user, traveler } = await createBookingUser(ctx));
  });

  afterAll(async () => {
    await ctx?.close();
  });

  const sign = (raw: string, secret = SECRET, t = Math.floor(Date.now() / 1000)): string =>
    `t=${t},v1=${createHmac('sha256', secret).update(`${t}.${raw}`).digest('hex')}`;

  function deliver(
    event: Record<string, unknown>,
    options: { provider?: string; secret?: string; t?: number; signature?: string | null } = {},
  ): Promise<Response> {
    const raw = JSON.stringify(event);
    const request = ctx
      .http()
      .post(`/api/v1/providers/${options.provider ?? 'sandbox'}/events`)
      .set('Content-Type', 'application/json');
    const signature =
      options.signature === undefined ? sign(raw, options.secret, options.t) : options.signature;
    if (signature !== null) request.set('Pathavana-Signature', signature);
    return Promise.resolve(request.send(raw));
  }

  const event = (
    providerReference: string,
    type: string,
    data?: Record<string, unknown>,
    id = `evt_${randomUUID()}`,
  ): Record<string, unknown> => ({
    id,
    type,
    providerReference,
    occurredAt: new Date().toISOString(),
    ...(data ? { data } : {}),
  });

  /** Books a hotel with the sandbox outcome; returns its id and provider reference. */
  async function book(outcome: Outcome): Promise<{ id: string; ref: string }> {
    const response = await ctx
      .http()
      .post('/api/v1/bookings')
      .set(user.authHeader)
      .set('Idempotency-Key', randomUUID())
      .send(hotelBookingBody([traveler], {}, { providerOptions: { outcome } }));
    expect(response.status).toBe(201);
    const [row] = (await ctx.dataSource.query(
      'SELECT provider_reference AS ref FROM bookings WHERE id = $1',
      [response.body.id],
    )) as { ref: string }[];
    return { id: response.body.id as string, ref: row!.ref };
  }

  const show = async (id: string): Promise<Record<string, unknown>> => {
    const response = await ctx.http().get(`/api/v1/bookings/${id}`).set(user.authHeader);
    expect(response.status).toBe(200);
    return response.body as Record<string, unknown>;
  };

  const providerEvents = async (bookingId: string): Promise<{ type: string; outcome: string }[]> =>
    (await ctx.dataSource.query(
      'SELECT type, outcome FROM booking_provider_events WHERE booking_id = $1 ORDER BY received_at',
      [bookingId],
    )) as { type: string; outcome: string }[];

  const timelineTypes = async (id: string): Promise<string[]> =>
    ((await show(id)).events as { type: string; source: string }[]).map(
      (entry) => `${entry.source}:${entry.type}`,
    );

  describe('each event type', () => {
    it('booking.confirmed: pending → confirmed with the code, payment paid, one charge', async () => {
      const booking = await book('pending');
      const response = await deliver(
        event(booking.ref, 'booking.confirmed', { confirmationCode: 'ABC123' }),
      );
      expect(response.status).toBe(200);
      expect(response.body).toEqual({ received: true, duplicate: false, outcome: 'applied' });
      const view = await show(booking.id);
      expect(view).toMatchObject({
        status: 'confirmed',
        paymentStatus: 'paid',
        confirmationCode: 'ABC123',
      });
      expect(await ledgerKinds(ctx, booking.id)).toEqual(['charge']);
      const events = view.events as { at: string; type: string; source: string }[];
      expect(events.map((entry) => [entry.source, entry.type])).toEqual([
        ['user', 'booking.created'],
        ['provider', 'booking.confirmed'],
      ]);
      expect(Number.isNaN(Date.parse(events[1]!.at))).toBe(false);
    });

    it('booking.failed: pending → failed, payment failed, nothing charged', async () => {
      const booking = await book('pending');
      expect((await deliver(event(booking.ref, 'booking.failed'))).status).toBe(200);
      expect(await show(booking.id)).toMatchObject({ status: 'failed', paymentStatus: 'failed' });
      expect(await ledgerKinds(ctx, booking.id)).toEqual([]);
      expect(await timelineTypes(booking.id)).toEqual([
        'user:booking.created',
        'provider:booking.failed',
      ]);
    });

    it('booking.cancelled: a confirmed booking is cancelled with a full refund, payment refunded', async () => {
      const booking = await book('confirm');
      const before = await show(booking.id);
      const response = await deliver(
        event(booking.ref, 'booking.cancelled', { cancellationReference: 'PRV-CXL-1' }),
      );
      expect(response.status).toBe(200);
      const view = await show(booking.id);
      expect(view).toMatchObject({
        status: 'cancelled',
        paymentStatus: 'refunded',
        cancellationReference: 'PRV-CXL-1',
      });
      expect(await ledgerKinds(ctx, booking.id)).toEqual(['charge', 'refund']);
      const totals = view.totals as Record<string, { amountMinor: number }>;
      expect(totals.refunded!.amountMinor).toBe(
        (before.totals as Record<string, { amountMinor: number }>).charged!.amountMinor,
      );
      expect(totals.net!.amountMinor).toBe(0);
      expect(await timelineTypes(booking.id)).toEqual([
        'user:booking.created',
        'provider:booking.confirmed',
        'provider:booking.cancelled',
      ]);
    });

    it('booking.cancelled on a pending booking: cancelled, nothing to refund, payment failed', async () => {
      const booking = await book('pending');
      expect((await deliver(event(booking.ref, 'booking.cancelled'))).status).toBe(200);
      expect(await show(booking.id)).toMatchObject({
        status: 'cancelled',
        paymentStatus: 'failed',
      });
      expect(await ledgerKinds(ctx, booking.id)).toEqual([]);
    });

    it('booking.schedule_changed: recorded on the timeline with the changes, state unchanged', async () => {
      const booking = await book('confirm');
      const changes = { checkInTime: { from: '14:00', to: '16:00' } };
      const response = await deliver(event(booking.ref, 'booking.schedule_changed', { changes }));
      expect(response.status).toBe(200);
      const view = await show(booking.id);
      expect(view).toMatchObject({ status: 'confirmed', paymentStatus: 'paid' });
      const last = (view.events as { type: string; source: string; data: unknown }[]).at(-1);
      expect(last).toMatchObject({
        type: 'booking.schedule_changed',
        source: 'provider',
        data: { changes },
      });
    });
  });

  describe('refused deliveries change nothing', () => {
    async function expectUntouched(booking: { id: string }): Promise<void> {
      expect(await show(booking.id)).toMatchObject({
        status: 'pending',
        paymentStatus: 'processing',
      });
      expect(await providerEvents(booking.id)).toEqual([]);
      expect(await ledgerKinds(ctx, booking.id)).toEqual([]);
    }

    it('401 INVALID_SIGNATURE: missing, malformed, wrong secret, stale, future, tampered body', async () => {
      const booking = await book('pending');
      const body = event(booking.ref, 'booking.confirmed', { confirmationCode: 'X1' });
      const raw = JSON.stringify(body);
      const now = Math.floor(Date.now() / 1000);
      const tampered = JSON.stringify({ ...body, data: { confirmationCode: 'X2' } });
      const attempts: Response[] = [
        await deliver(body, { signature: null }),
        await deliver(body, { signature: 'garbage' }),
        await deliver(body, { signature: `t=${now}` }),
        await deliver(body, { secret: 'not-the-secret-0123456789' }),
        // Outside the 300 s tolerance, computed as each request is sent (a slow machine must not
        // bring a future timestamp back inside the window).
        await deliver(body, { t: Math.floor(Date.now() / 1000) - 305 }),
        await deliver(body, { t: Math.floor(Date.now() / 1000) + 305 }),
        // Signed over one body, another sent.
        await deliver(JSON.parse(tampered) as Record<string, unknown>, { signature: sign(raw) }),
        // Another provider's key.
        await deliver(body, { secret: OTHER_SECRET }),
      ];
      for (const response of attempts) {
        expect(response.status).toBe(401);
        expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
        expect(response.body.code).toBe('INVALID_SIGNATURE');
      }
      await expectUntouched(booking);
    });

    it('the signature is over the raw bytes: the same JSON re-serialised differently fails', async () => {
      const booking = await book('pending');
      const body = event(booking.ref, 'booking.failed');
      const raw = JSON.stringify(body);
      const spaced = JSON.stringify(body, null, 2);
      const response = await ctx
        .http()
        .post('/api/v1/providers/sandbox/events')
        .set('Content-Type', 'application/json')
        .set('Pathavana-Signature', sign(raw))
        .send(spaced);
      expect(response.status).toBe(401);
      const signed = await ctx
        .http()
        .post('/api/v1/providers/sandbox/events')
        .set('Content-Type', 'application/json')
        .set('Pathavana-Signature', sign(spaced))
        .send(spaced);
      expect(signed.status).toBe(200);
    });

    it('404 for an unknown reference, another provider’s booking, an unknown provider', async () => {
      const booking = await book('pending');
      const unknown = await deliver(event('SBX-NOPE', 'booking.failed'));
      expect(unknown.status).toBe(404);
      expect(unknown.body.code).toBe('BOOKING_NOT_FOUND');
      const elsewhere = await deliver(event(booking.ref, 'booking.failed'), {
        provider: 'other',
        secret: OTHER_SECRET,
      });
      expect(elsewhere.status).toBe(404);
      expect(elsewhere.body.code).toBe('BOOKING_NOT_FOUND');
      const noProvider = await deliver(event(booking.ref, 'booking.failed'), {
        provider: 'nobody',
      });
      expect(noProvider.status).toBe(404);
      expect(noProvider.body.code).toBe('PROVIDER_NOT_FOUND');
      await expectUntouched(booking);
    });

    it('422 for an unknown type or missing data, 400 for a body that is not a valid event', async () => {
      const booking = await book('pending');
      const unknownType = await deliver(event(booking.ref, 'booking.teleported'));
      expect(unknownType.status).toBe(422);
      expect(unknownType.body.code).toBe('UNKNOWN_EVENT_TYPE');
      const noCode = await deliver(event(booking.ref, 'booking.confirmed'));
      expect(noCode.status).toBe(422);
      expect(noCode.body.code).toBe('INVALID_PROVIDER_EVENT');
      const noChanges = await deliver(event(booking.ref, 'booking.schedule_changed', {}));
      expect(noChanges.status).toBe(422);
      const badDate = await deliver({
        ...event(booking.ref, 'booking.failed'),
        occurredAt: 'soon',
      });
      expect(badDate.status).toBe(400);
      expect(badDate.body.code).toBe('VALIDATION_FAILED');
      const extra = await deliver({ ...event(booking.ref, 'booking.failed'), admin: true });
      expect(extra.status).toBe(400);
      const notJson = await ctx
        .http()
        .post('/api/v1/providers/sandbox/events')
        .set('Content-Type', 'application/json')
        .set('Pathavana-Signature', sign('{"id":'))
        .send('{"id":');
      expect(notJson.status).toBe(400);
      const array = await deliver([] as unknown as Record<string, unknown>);
      expect(array.status).toBe(400);
      await expectUntouched(booking);
    });
  });

  describe('replays and order', () => {
    it('the same event id again → 200 duplicate, no second effect', async () => {
      const booking = await book('pending');
      const confirmed = event(booking.ref, 'booking.confirmed', { confirmationCode: 'R1' });
      expect((await deliver(confirmed)).body).toMatchObject({
        duplicate: false,
        outcome: 'applied',
      });
      const again = await deliver(confirmed);
      expect(again.status).toBe(200);
      expect(again.body).toEqual({ received: true, duplicate: true, outcome: 'applied' });
      expect(await ledgerKinds(ctx, booking.id)).toEqual(['charge']);
      expect(await providerEvents(booking.id)).toHaveLength(1);
      expect(await timelineTypes(booking.id)).toEqual([
        'user:booking.created',
        'provider:booking.confirmed',
      ]);
    });

    it('20 concurrent deliveries of one cancellation → one refund, one applied, 19 duplicates', async () => {
      const booking = await book('confirm');
      const cancelled = event(booking.ref, 'booking.cancelled');
      const responses = await Promise.all(Array.from({ length: 20 }, () => deliver(cancelled)));
      expect(responses.map((response) => response.status)).toEqual(Array(20).fill(200));
      const fresh = responses.filter((response) => response.body.duplicate === false);
      expect(fresh).toHaveLength(1);
      expect(await ledgerKinds(ctx, booking.id)).toEqual(['charge', 'refund']);
      expect(await show(booking.id)).toMatchObject({
        status: 'cancelled',
        paymentStatus: 'refunded',
      });
      expect(await providerEvents(booking.id)).toHaveLength(1);
    });

    it('out of order: confirmed after cancelled is recorded as ignored and changes nothing', async () => {
      const booking = await book('pending');
      expect((await deliver(event(booking.ref, 'booking.cancelled'))).status).toBe(200);
      const late = await deliver(
        event(booking.ref, 'booking.confirmed', { confirmationCode: 'LATE' }),
      );
      expect(late.status).toBe(200);
      expect(late.body).toEqual({ received: true, duplicate: false, outcome: 'ignored' });
      expect(await show(booking.id)).toMatchObject({
        status: 'cancelled',
        paymentStatus: 'failed',
        confirmationCode: null,
      });
      expect(await ledgerKinds(ctx, booking.id)).toEqual([]);
      expect(await providerEvents(booking.id)).toEqual([
        { type: 'booking.cancelled', outcome: 'applied' },
        { type: 'booking.confirmed', outcome: 'ignored' },
      ]);
      expect(await timelineTypes(booking.id)).toEqual([
        'user:booking.created',
        'provider:booking.cancelled',
        'provider:booking.confirmed',
      ]);
    });

    it('a storm of 200 events over 20 bookings, duplicates mixed in, concurrently: each booking as its events imply, one effect per id', async () => {
      const confirmOnly = await Promise.all(Array.from({ length: 10 }, () => book('pending')));
      const cancelledToo = await Promise.all(Array.from({ length: 10 }, () => book('pending')));
      const deliveries: Record<string, unknown>[] = [];
      for (const booking of confirmOnly) {
        const confirmed = event(booking.ref, 'booking.confirmed', { confirmationCode: 'S1' });
        for (let copy = 0; copy < 5; copy += 1) deliveries.push(confirmed);
      }
      for (const booking of cancelledToo) {
        const trio = [
          event(booking.ref, 'booking.confirmed', { confirmationCode: 'S2' }),
          event(booking.ref, 'booking.schedule_changed', { changes: { start: 'later' } }),
          event(booking.ref, 'booking.cancelled'),
        ];
        for (const each of trio) for (let copy = 0; copy < 5; copy += 1) deliveries.push(each);
      }
      expect(deliveries).toHaveLength(200);
      // Deterministic shuffle, so order varies across bookings and event types.
      const shuffled = deliveries
        .map((item, index) => ({ item, key: (index * 7919) % 200 }))
        .sort((a, b) => a.key - b.key)
        .map(({ item }) => item);
      const responses = await Promise.all(shuffled.map((body) => deliver(body)));
      expect(responses.filter((response) => response.status !== 200)).toEqual([]);
      expect(responses.filter((response) => response.body.duplicate === false)).toHaveLength(40);

      for (const booking of confirmOnly) {
        expect(await show(booking.id)).toMatchObject({
          status: 'confirmed',
          paymentStatus: 'paid',
        });
        expect(await ledgerKinds(ctx, booking.id)).toEqual(['charge']);
        expect(await providerEvents(booking.id)).toHaveLength(1);
      }
      for (const booking of cancelledToo) {
        const received = await providerEvents(booking.id);
        expect(received).toHaveLength(3);
        const view = await show(booking.id);
        expect(view.status).toBe('cancelled');
        const kinds = await ledgerKinds(ctx, booking.id);
        const confirmedFirst = received.some(
          (each) => each.type === 'booking.confirmed' && each.outcome === 'applied',
        );
        // Confirmed before cancelled: charged then fully refunded; after: never charged.
        expect(kinds).toEqual(confirmedFirst ? ['charge', 'refund'] : []);
        expect(view.paymentStatus).toBe(confirmedFirst ? 'refunded' : 'failed');
        expect((view.events as unknown[]).length).toBe(4);
      }
    });
  });
});
