import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Response } from 'supertest';
import {
  TRAVEL_DOCUMENT_CHECK,
  type TravelDocumentCheck,
  type ValidTravelDocument,
} from '#modules/travelers/travel-document-check.js';
import { daysFromNow, flightBookingBody, hotelBookingBody } from '../factories/bookings.js';
import { grantConsent } from '../factories/consents.js';
import { createSession } from '../factories/sessions.js';
import { createTraveler, grantGuardianConsent, yearsAgo } from '../factories/travelers.js';
import {
  createStaff,
  createVerifiedUser,
  registerUser,
  type TestUser,
} from '../factories/users.js';
import { createTestApp, type TestApp } from '../utils/test-app.js';

type Body = Record<string, unknown>;

function hotelBody(travelerIds: string[], overrides: Body = {}, details: Body = {}): Body {
  return hotelBookingBody(travelerIds, details, overrides);
}

function activityBody(travelerIds: string[], overrides: Body = {}): Body {
  return {
    bookingType: 'activity',
    travelerIds,
    currency: 'EUR',
    details: {
      activityId: 'A-7',
      activityName: 'Tram 28 tour',
      activityType: 'tour',
      city: 'Lisbon',
      country: 'PT',
      activityDate: daysFromNow(61),
      startTime: '09:30',
      durationMinutes: 120,
    },
    ...overrides,
  };
}

function flightBody(travelerIds: string[], overrides: Body = {}): Body {
  return flightBookingBody(
    travelerIds,
    {
      seatAssignments: [{ travelerId: travelerIds[0], seat: '12A' }],
      baggageAllowance: { cabinBags: 1, checkedBags: 1 },
    },
    overrides,
  );
}

/** Every `"amountMinor": …` in a JSON text is a plain integer (no decimal point, no exponent). */
function amountsAreIntegers(text: string): boolean {
  const amounts = [...text.matchAll(/"amountMinor":([^,}]+)/g)].map((match) => match[1]);
  return amounts.length > 0 && amounts.every((amount) => /^-?\d+$/.test(amount ?? ''));
}

describe('bookings', () => {
  let ctx: TestApp;
  let alice: TestUser;
  let bob: TestUser;
  let aliceTraveler: string;
  let bobTraveler: string;

  const post = (user: TestUser, body: Body, key: string | null = randomUUID()) => {
    const request = ctx.http().post('/api/v1/bookings').set(user.authHeader);
    if (key !== null) request.set('Idempotency-Key', key);
    return request.send(body);
  };
  const get = (user: TestUser, path: string) =>
    ctx.http().get(`/api/v1${path}`).set(user.authHeader);

  async function bookingUser(): Promise<TestUser> {
    const user = await createVerifiedUser(ctx);
    await grantConsent(ctx, user, 'travel_booking');
    return user;
  }

  const traveler = (user: TestUser, body: Body = {}): Promise<string> =>
    createTraveler(ctx, user, body);

  async function counts(userId: string): Promise<Record<string, number>> {
    const [row] = (await ctx.dataSource.query(
      `SELECT
         (SELECT count(*) FROM bookings WHERE user_id = $1)::int AS bookings,
         (SELECT count(*) FROM booking_travelers bt JOIN bookings b ON b.id = bt.booking_id WHERE b.user_id = $1)::int AS travelers,
         (SELECT count(*) FROM booking_ledger l JOIN bookings b ON b.id = l.booking_id WHERE b.user_id = $1)::int AS ledger,
         (SELECT count(*) FROM hotel_bookings h JOIN bookings b ON b.id = h.booking_id WHERE b.user_id = $1)::int AS hotels,
         (SELECT count(*) FROM flight_bookings f JOIN bookings b ON b.id = f.booking_id WHERE b.user_id = $1)::int AS flights,
         (SELECT count(*) FROM idempotency_keys WHERE user_id = $1)::int AS keys`,
      [userId],
    )) as Record<string, number>[];
    return row as Record<string, number>;
  }

  beforeAll(async () => {
    ctx = await createTestApp();
    [alice, bob] = await Promise.all([bookingUser(), bookingUser()]);
    [aliceTraveler, bobTraveler] = await Promise.all([traveler(alice), traveler(bob)]);
  });

  afterAll(async () => {
    await ctx.close();
  });

  describe('access', () => {
    it('401 without a token on every route', async () => {
      const id = randomUUID();
      const responses = await Promise.all([
        ctx.http().post('/api/v1/bookings').set('Idempotency-Key', 'k').send({}),
        ctx.http().get('/api/v1/bookings'),
        ctx.http().get(`/api/v1/bookings/${id}`),
        ctx.http().get(`/api/v1/bookings/${id}/ledger`),
        ctx.http().post(`/api/v1/bookings/${id}/cancellation-quote`),
        ctx.http().post(`/api/v1/bookings/${id}/cancel`).send({ quoteId: id }),
        ctx.http().get(`/api/v1/travelers/${id}/bookings`),
        ctx.http().get(`/api/v1/sessions/${id}/bookings`),
        ctx.http().get('/api/v1/admin/bookings'),
        ctx.http().get(`/api/v1/admin/bookings/${id}`),
      ]);
      for (const response of responses) expect(response.status).toBe(401);
    });

    it('403 EMAIL_NOT_VERIFIED for an unverified user', async () => {
      const user = await registerUser(ctx);
      const response = await post(user, hotelBody([randomUUID()]));
      expect(response.status).toBe(403);
      expect(response.body.code).toBe('EMAIL_NOT_VERIFIED');
    });

    it('403 CONSENT_REQUIRED without travel_booking consent', async () => {
      const user = await createVerifiedUser(ctx);
      const travelerId = await traveler(user);
      const response = await post(user, hotelBody([travelerId]));
      expect(response.status).toBe(403);
      expect(response.body).toMatchObject({ code: 'CONSENT_REQUIRED', purpose: 'travel_booking' });
      expect((await counts(user.id)).bookings).toBe(0);
    });
  });

  describe('POST /bookings', () => {
    it('428 without Idempotency-Key, nothing written', async () => {
      const before = await counts(alice.id);
      const response = await post(alice, hotelBody([aliceTraveler]), null);
      expect(response.status).toBe(428);
      expect(response.body.code).toBe('IDEMPOTENCY_KEY_REQUIRED');
      expect(await counts(alice.id)).toEqual(before);
    });

    it.each([
      ['an unknown field', hotelBody([randomUUID()], { price: 1 }), 'price'],
      ['an unknown details field', hotelBody([randomUUID()], {}, { stars: 3 }), 'details.stars'],
      ['a bad currency', hotelBody([randomUUID()], { currency: 'XXY' }), 'currency'],
      ['no travelers', hotelBody([]), 'travelerIds'],
      ['a bad booking type', hotelBody([randomUUID()], { bookingType: 'cruise' }), 'bookingType'],
      [
        'an impossible date',
        hotelBody([randomUUID()], {}, { checkInDate: '2027-02-30' }),
        'details.checkInDate',
      ],
      [
        'check-out before check-in',
        hotelBody([randomUUID()], {}, { checkOutDate: daysFromNow(59) }),
        'details.checkOutDate',
      ],
      ['an unknown provider', hotelBody([randomUUID()], { provider: 'nope' }), 'provider'],
      [
        'an unknown outcome',
        hotelBody([randomUUID()], { providerOptions: { outcome: 'maybe' } }),
        'providerOptions.outcome',
      ],
    ])('400 on %s', async (_label, body, field) => {
      const response = await post(alice, body);
      expect(response.status).toBe(400);
      expect(Object.keys(response.body.errors ?? {})).toContain(field);
    });

    it('books a hotel through the sandbox: 201 confirmed, confirmation code, integer money, ledger charge', async () => {
      const response = await post(alice, hotelBody([aliceTraveler]));
      expect(response.status).toBe(201);
      const booking = response.body;
      expect(booking).toMatchObject({
        bookingType: 'hotel',
        status: 'confirmed',
        paymentStatus: 'paid',
        provider: 'sandbox',
        travelStartDate: daysFromNow(60),
        travelEndDate: daysFromNow(63),
      });
      expect(booking.reference).toMatch(/^PTH-[0-9A-HJKMNP-TV-Z]{10}$/);
      expect(booking.confirmationCode).toMatch(/^[A-Z0-9]{6}$/);
      expect(amountsAreIntegers(response.text)).toBe(true);
      const { base, taxes, fees } = booking.breakdown;
      expect(booking.total.amountMinor).toBe(
        base.amountMinor + taxes.amountMinor + fees.amountMinor,
      );
      expect(booking.details).toMatchObject({
        nightsCount: 3,
        roomCount: 1,
        mealPlan: 'breakfast',
      });
      expect(booking.travelers).toEqual([
        expect.objectContaining({
          travelerId: aliceTraveler,
          fullName: 'Ana Silva',
          travelerType: 'adult',
          isPrimary: true,
        }),
      ]);
      expect(booking.totals.charged).toEqual(booking.total);
      const ledger = await get(alice, `/bookings/${booking.id}/ledger`);
      expect(ledger.status).toBe(200);
      expect(ledger.body.items).toEqual([
        expect.objectContaining({ kind: 'charge', amount: booking.total }),
      ]);
      const read = await get(alice, `/bookings/${booking.id}`);
      expect(read.status).toBe(200);
      expect(read.body).toEqual(booking);
    });

    it('prices JPY (0 decimals) and BHD (3 decimals) exactly, deterministically, as integers', async () => {
      for (const currency of ['JPY', 'BHD']) {
        const first = await post(alice, activityBody([aliceTraveler], { currency }));
        const second = await post(alice, activityBody([aliceTraveler], { currency }));
        expect(first.status).toBe(201);
        expect(first.body.total.currency).toBe(currency);
        expect(second.body.total).toEqual(first.body.total);
        expect(amountsAreIntegers(first.text)).toBe(true);
        const { base, taxes, fees } = first.body.breakdown;
        expect(first.body.total.amountMinor).toBe(
          base.amountMinor + taxes.amountMinor + fees.amountMinor,
        );
        const [row] = await ctx.dataSource.query(
          'SELECT total_amount_minor::text AS total, currency FROM bookings WHERE id = $1',
          [first.body.id],
        );
        expect(row).toEqual({ total: String(first.body.total.amountMinor), currency });
      }
    });

    it('replays the identical answer for the same key and body; 422 for another body; keys are per user', async () => {
      const key = randomUUID();
      const first = await post(alice, hotelBody([aliceTraveler]), key);
      const again = await post(alice, hotelBody([aliceTraveler]), key);
      expect(first.status).toBe(201);
      expect(again.status).toBe(201);
      expect(again.text).toBe(first.text);
      expect(again.headers['idempotent-replayed']).toBe('true');
      // The replay's ETag is the version in the stored body, as the first answer's.
      expect(first.headers.etag).toBe(`"${first.body.version as number}"`);
      expect(again.headers.etag).toBe(first.headers.etag);
      const other = await post(alice, activityBody([aliceTraveler]), key);
      expect(other.status).toBe(422);
      expect(other.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
      const bobs = await post(bob, hotelBody([bobTraveler]), key);
      expect(bobs.status).toBe(201);
      expect(bobs.body.id).not.toBe(first.body.id);
      const [row] = await ctx.dataSource.query(
        'SELECT count(*)::int AS n FROM bookings WHERE id IN ($1, $2)',
        [first.body.id, bobs.body.id],
      );
      expect(row.n).toBe(2);
    });

    it('forgets a key after 24 h: the same key then books afresh', async () => {
      const key = randomUUID();
      const first = await post(alice, hotelBody([aliceTraveler]), key);
      await ctx.dataSource.query(
        `UPDATE idempotency_keys SET expires_at = now() - interval '1 second' WHERE user_id = $1 AND key = $2`,
        [alice.id, key],
      );
      const second = await post(alice, hotelBody([aliceTraveler]), key);
      expect(second.status).toBe(201);
      expect(second.body.id).not.toBe(first.body.id);
      const [fresh] = await ctx.dataSource.query(
        `SELECT round(extract(epoch FROM expires_at - created_at))::int AS seconds FROM idempotency_keys WHERE user_id = $1 AND key = $2`,
        [alice.id, key],
      );
      expect(fresh.seconds).toBe(24 * 3600);
    });

    it('20 concurrent requests with one key → exactly one booking and identical answers', async () => {
      const user = await bookingUser();
      const travelerId = await traveler(user);
      const key = randomUUID();
      const body = hotelBody([travelerId]);
      const started = Date.now();
      const responses = await Promise.all(Array.from({ length: 20 }, () => post(user, body, key)));
      const elapsed = Date.now() - started;
      const statuses = responses.map((response) => response.status);
      for (const status of statuses) expect([201, 409]).toContain(status);
      const created = responses.filter((response) => response.status === 201);
      expect(created.length).toBeGreaterThanOrEqual(1);
      const text = created[0]?.text as string;
      for (const response of created) expect(response.text).toBe(text);
      for (const response of responses.filter((item) => item.status === 409)) {
        expect(response.body.code).toBe('IDEMPOTENCY_REQUEST_IN_FLIGHT');
        expect(response.headers['retry-after']).toBe('1');
      }
      // Those that arrived in flight get the identical answer on retry.
      const retries: Response[] = await Promise.all(
        responses.filter((item) => item.status === 409).map(() => post(user, body, key)),
      );
      for (const retry of retries) {
        expect(retry.status).toBe(201);
        expect(retry.text).toBe(text);
      }
      expect((await counts(user.id)).bookings).toBe(1);
      expect((await counts(user.id)).ledger).toBe(1);
      process.stdout.write(
        `[bookings] 20 concurrent POST /bookings, one key: ${created.length}×201, ${statuses.length - created.length}×409, ${elapsed} ms\n`,
      );
    });

    it('sandbox outcomes: fail → failed without a charge; pending → pending, payment processing', async () => {
      const failed = await post(
        alice,
        activityBody([aliceTraveler], { providerOptions: { outcome: 'fail' } }),
      );
      expect(failed.status).toBe(201);
      expect(failed.body).toMatchObject({
        status: 'failed',
        paymentStatus: 'failed',
        confirmationCode: null,
      });
      expect(failed.body.totals.charged.amountMinor).toBe(0);
      const pending = await post(
        alice,
        activityBody([aliceTraveler], { providerOptions: { outcome: 'pending' } }),
      );
      expect(pending.status).toBe(201);
      expect(pending.body).toMatchObject({
        status: 'pending',
        paymentStatus: 'processing',
        confirmationCode: null,
      });
    });

    it('422 TRAVEL_DATE_IN_PAST', async () => {
      const past = await post(
        alice,
        hotelBody(
          [aliceTraveler],
          {},
          { checkInDate: daysFromNow(-3), checkOutDate: daysFromNow(-1) },
        ),
      );
      expect(past.status).toBe(422);
      expect(past.body.code).toBe('TRAVEL_DATE_IN_PAST');
    });
  });

  describe('traveler rules (nothing written on refusal)', () => {
    it('a minor without guardian consent → 422 with reasons; with consent → 201 as a child', async () => {
      const user = await bookingUser();
      const adult = await traveler(user);
      const minor = await traveler(user, { firstName: 'Leo', dateOfBirth: yearsAgo(8) });
      const key = randomUUID();
      const refused = await post(user, hotelBody([adult, minor]), key);
      expect(refused.status).toBe(422);
      expect(refused.body.code).toBe('TRAVELER_NOT_BOOKABLE');
      expect(refused.body.errors).toEqual({ 'travelerIds.1': ['GUARDIAN_CONSENT_REQUIRED'] });
      expect(await counts(user.id)).toEqual({
        bookings: 0,
        travelers: 0,
        ledger: 0,
        hotels: 0,
        flights: 0,
        keys: 0,
      });

      await grantGuardianConsent(ctx, user, minor);
      // The same key can be retried once the cause is fixed (a refusal does not burn it).
      const booked = await post(user, hotelBody([adult, minor]), key);
      expect(booked.status).toBe(201);
      expect(booked.body.travelers.map((item: Body) => item.travelerType)).toEqual([
        'adult',
        'child',
      ]);
      expect(booked.body.details).toMatchObject({ guestCount: 2, adultCount: 1, childCount: 1 });
    });

    it('an archived traveler → 422 TRAVELER_ARCHIVED, nothing written', async () => {
      const user = await bookingUser();
      const archived = await traveler(user);
      expect(
        (await ctx.http().delete(`/api/v1/travelers/${archived}`).set(user.authHeader)).status,
      ).toBe(204);
      const response = await post(user, activityBody([archived]));
      expect(response.status).toBe(422);
      expect(response.body.errors).toEqual({ 'travelerIds.0': ['TRAVELER_ARCHIVED'] });
      expect(await counts(user.id)).toEqual({
        bookings: 0,
        travelers: 0,
        ledger: 0,
        hotels: 0,
        flights: 0,
        keys: 0,
      });
    });

    it("another user's traveler → 404, nothing written", async () => {
      const user = await bookingUser();
      const own = await traveler(user);
      const response = await post(user, hotelBody([own, bobTraveler]));
      expect(response.status).toBe(404);
      expect(response.body.code).toBe('TRAVELER_NOT_FOUND');
      expect(await counts(user.id)).toEqual({
        bookings: 0,
        travelers: 0,
        ledger: 0,
        hotels: 0,
        flights: 0,
        keys: 0,
      });
    });

    it('flights need a valid travel document: a traveler without one → 422 TRAVELER_DOCUMENT_REQUIRED', async () => {
      const user = await bookingUser();
      const own = await traveler(user);
      const response = await post(user, flightBody([own]));
      expect(response.status).toBe(422);
      expect(response.body.code).toBe('TRAVELER_DOCUMENT_REQUIRED');
      expect(response.body.errors).toEqual({ 'travelerIds.0': ['TRAVELER_DOCUMENT_REQUIRED'] });
      expect(await counts(user.id)).toEqual({
        bookings: 0,
        travelers: 0,
        ledger: 0,
        hotels: 0,
        flights: 0,
        keys: 0,
      });
    });

    it('the snapshot does not change when the traveler is edited later', async () => {
      const user = await bookingUser();
      const own = await traveler(user, { firstName: 'Rita' });
      const booked = await post(user, activityBody([own]));
      expect(booked.status).toBe(201);
      await ctx
        .http()
        .patch(`/api/v1/travelers/${own}`)
        .set(user.authHeader)
        .send({ firstName: 'Renamed' });
      const read = await get(user, `/bookings/${booked.body.id}`);
      expect(read.body.travelers[0].fullName).toBe('Rita Silva');
    });
  });

  describe('cancellation and ledger', () => {
    it('quote → cancel: full refund far ahead; the ledger sums match; cancel twice → 409', async () => {
      const booked = await post(alice, hotelBody([aliceTraveler]));
      const id = booked.body.id as string;
      const quote = await ctx
        .http()
        .post(`/api/v1/bookings/${id}/cancellation-quote`)
        .set(alice.authHeader);
      expect(quote.status).toBe(201);
      expect(quote.body).toMatchObject({
        bookingId: id,
        refund: booked.body.total,
        penalty: { amountMinor: 0, currency: 'EUR' },
      });
      expect(Date.parse(quote.body.expiresAt)).toBeGreaterThan(Date.now());
      const cancel = () =>
        ctx
          .http()
          .post(`/api/v1/bookings/${id}/cancel`)
          .set(alice.authHeader)
          .send({ quoteId: quote.body.quoteId });
      const cancelled = await cancel();
      expect(cancelled.status).toBe(200);
      expect(cancelled.body).toMatchObject({
        status: 'cancelled',
        paymentStatus: 'refunded',
        version: 2,
      });
      expect(cancelled.body.cancellationReference).toMatch(/^SBX-CXL-/);
      expect(cancelled.body.totals).toEqual({
        charged: booked.body.total,
        refunded: booked.body.total,
        penalties: { amountMinor: 0, currency: 'EUR' },
        net: { amountMinor: 0, currency: 'EUR' },
      });
      const twice = await cancel();
      expect(twice.status).toBe(409);
      expect(twice.body.code).toBe('ILLEGAL_BOOKING_TRANSITION');
      const requote = await ctx
        .http()
        .post(`/api/v1/bookings/${id}/cancellation-quote`)
        .set(alice.authHeader);
      expect(requote.status).toBe(409);
      const ledger = await get(alice, `/bookings/${id}/ledger`);
      expect(ledger.body.items.map((entry: Body) => entry.kind).sort()).toEqual([
        'charge',
        'refund',
      ]);
    });

    it('close to the trip a penalty applies: refund + penalty = charge, payment partially refunded', async () => {
      const booked = await post(
        alice,
        hotelBody(
          [aliceTraveler],
          { currency: 'BHD' },
          { checkInDate: daysFromNow(2), checkOutDate: daysFromNow(4) },
        ),
      );
      expect(booked.status).toBe(201);
      const id = booked.body.id as string;
      const quote = await ctx
        .http()
        .post(`/api/v1/bookings/${id}/cancellation-quote`)
        .set(alice.authHeader);
      const total = booked.body.total.amountMinor as number;
      expect(quote.body.penalty.amountMinor).toBeGreaterThan(0);
      expect(quote.body.refund.amountMinor + quote.body.penalty.amountMinor).toBe(total);
      const cancelled = await ctx
        .http()
        .post(`/api/v1/bookings/${id}/cancel`)
        .set(alice.authHeader)
        .send({ quoteId: quote.body.quoteId });
      expect(cancelled.body).toMatchObject({
        status: 'cancelled',
        paymentStatus: 'partially_refunded',
      });
      const [sums] = await ctx.dataSource.query(
        `SELECT sum(amount_minor) FILTER (WHERE kind = 'charge')::text AS charge,
                sum(amount_minor) FILTER (WHERE kind = 'refund')::text AS refund,
                sum(amount_minor) FILTER (WHERE kind = 'penalty')::text AS penalty
           FROM booking_ledger WHERE booking_id = $1`,
        [id],
      );
      expect(Number(sums.charge)).toBe(total);
      expect(Number(sums.refund) + Number(sums.penalty)).toBe(total);
      expect(cancelled.body.totals.net.amountMinor).toBe(Number(sums.penalty));
    });

    it('a pending booking cancels with nothing to refund; If-Match is honoured', async () => {
      const booked = await post(
        alice,
        activityBody([aliceTraveler], { providerOptions: { outcome: 'pending' } }),
      );
      expect(booked.headers.etag).toBe('"1"');
      const id = booked.body.id as string;
      const quote = await ctx
        .http()
        .post(`/api/v1/bookings/${id}/cancellation-quote`)
        .set(alice.authHeader);
      expect(quote.body).toMatchObject({ refund: { amountMinor: 0 }, penalty: { amountMinor: 0 } });
      const cancel = (ifMatch: string) =>
        ctx
          .http()
          .post(`/api/v1/bookings/${id}/cancel`)
          .set(alice.authHeader)
          .set('If-Match', ifMatch)
          .send({ quoteId: quote.body.quoteId });
      const mismatch = await cancel('"7"');
      expect(mismatch.status).toBe(412);
      expect(mismatch.headers.etag).toBe('"1"');
      const cancelled = await cancel('"1"');
      expect(cancelled.status).toBe(200);
      expect(cancelled.headers.etag).toBe('"2"');
      expect(cancelled.body).toMatchObject({ status: 'cancelled', paymentStatus: 'failed' });
      expect((await get(alice, `/bookings/${id}/ledger`)).body.items).toEqual([]);
    });

    it('expired, stale and unknown quotes → 409/404', async () => {
      const booked = await post(alice, activityBody([aliceTraveler]));
      const id = booked.body.id as string;
      const quoteOf = async () =>
        (await ctx.http().post(`/api/v1/bookings/${id}/cancellation-quote`).set(alice.authHeader))
          .body.quoteId as string;
      const cancel = (quoteId: string) =>
        ctx.http().post(`/api/v1/bookings/${id}/cancel`).set(alice.authHeader).send({ quoteId });
      const expired = await quoteOf();
      await ctx.dataSource.query(
        `UPDATE booking_cancellation_quotes SET expires_at = now() - interval '1 second' WHERE id = $1`,
        [expired],
      );
      expect((await cancel(expired)).body.code).toBe('CANCELLATION_QUOTE_EXPIRED');
      const stale = await quoteOf();
      await ctx.dataSource.query('UPDATE bookings SET version = version + 1 WHERE id = $1', [id]);
      const staleResponse = await cancel(stale);
      expect(staleResponse.status).toBe(409);
      expect(staleResponse.body.code).toBe('CANCELLATION_QUOTE_STALE');
      expect((await cancel(randomUUID())).status).toBe(404);
      expect((await cancel('not-a-uuid')).status).toBe(400);
      expect((await get(alice, `/bookings/${id}`)).body.status).toBe('confirmed');
    });

    it('detail and traveler rows cascade with a booking; a booking with money history cannot be deleted', async () => {
      const failed = await post(
        alice,
        hotelBody([aliceTraveler], { providerOptions: { outcome: 'fail' } }),
      );
      const paid = await post(alice, hotelBody([aliceTraveler]));
      const rows = async (id: string) =>
        (
          await ctx.dataSource.query(
            `SELECT (SELECT count(*) FROM hotel_bookings WHERE booking_id = $1)::int AS details,
                    (SELECT count(*) FROM booking_travelers WHERE booking_id = $1)::int AS travelers`,
            [id],
          )
        )[0];
      expect(await rows(failed.body.id)).toEqual({ details: 1, travelers: 1 });
      await ctx.dataSource.query('DELETE FROM bookings WHERE id = $1', [failed.body.id]);
      expect(await rows(failed.body.id)).toEqual({ details: 0, travelers: 0 });
      await expect(
        ctx.dataSource.query('DELETE FROM bookings WHERE id = $1', [paid.body.id]),
      ).rejects.toThrow();
    });

    it('the ledger refuses UPDATE, DELETE and TRUNCATE at the database', async () => {
      for (const sql of [
        `UPDATE booking_ledger SET amount_minor = 1`,
        'DELETE FROM booking_ledger',
        'TRUNCATE booking_ledger',
      ]) {
        await expect(ctx.dataSource.query(sql)).rejects.toThrow();
      }
    });
  });

  describe('reads', () => {
    it("another user's booking, ledger, quote and cancel → 404", async () => {
      const booked = await post(alice, activityBody([aliceTraveler]));
      const id = booked.body.id as string;
      expect((await get(bob, `/bookings/${id}`)).status).toBe(404);
      expect((await get(bob, `/bookings/${id}/ledger`)).status).toBe(404);
      expect(
        (await ctx.http().post(`/api/v1/bookings/${id}/cancellation-quote`).set(bob.authHeader))
          .status,
      ).toBe(404);
      expect(
        (
          await ctx
            .http()
            .post(`/api/v1/bookings/${id}/cancel`)
            .set(bob.authHeader)
            .send({ quoteId: randomUUID() })
        ).status,
      ).toBe(404);
      expect((await get(alice, '/bookings/not-a-uuid')).status).toBe(400);
    });

    it('lists with filters (type, status, from/to on the travel start) and keyset pages', async () => {
      const user = await bookingUser();
      const own = await traveler(user);
      const hotel = await post(user, hotelBody([own]));
      const activity = await post(user, activityBody([own]));
      await post(user, activityBody([own], { providerOptions: { outcome: 'fail' } }));
      const ids = (response: Response) => (response.body.items as Body[]).map((item) => item.id);
      expect(ids(await get(user, '/bookings?type=hotel'))).toEqual([hotel.body.id]);
      expect((await get(user, '/bookings?status=failed')).body.items).toHaveLength(1);
      expect(
        ids(
          await get(
            user,
            `/bookings?from=${daysFromNow(61)}&to=${daysFromNow(61)}&status=confirmed`,
          ),
        ),
      ).toEqual([activity.body.id]);
      const first = await get(user, '/bookings?limit=2');
      expect(first.body.items).toHaveLength(2);
      expect(first.body.nextCursor).toEqual(expect.any(String));
      const second = await get(user, `/bookings?limit=2&cursor=${first.body.nextCursor as string}`);
      expect(second.body.items).toHaveLength(1);
      expect(second.body.nextCursor).toBeNull();
      expect(new Set([...ids(first), ...ids(second)]).size).toBe(3);
      expect((await get(user, '/bookings?limit=101')).status).toBe(400);
      expect((await get(user, '/bookings?from=2027-02-30')).status).toBe(400);
      expect((await get(user, '/bookings?status=lost')).status).toBe(400);
      expect(
        (await get(bob, '/bookings?type=hotel')).body.items.map((item: Body) => item.id),
      ).not.toContain(hotel.body.id);
    });

    it('GET /travelers/:id/bookings and /sessions/:id/bookings, ownership checked', async () => {
      const user = await bookingUser();
      await grantConsent(ctx, user, 'travel_planning');
      const own = await traveler(user);
      const other = await traveler(user, { firstName: 'Other' });
      const sessionId = await createSession(ctx, user);
      const fromSession = await post(user, hotelBody([own], { sessionId }));
      expect(fromSession.status).toBe(201);
      expect(fromSession.body.sessionId).toBe(sessionId);
      await post(user, activityBody([other]));
      const byTraveler = await get(user, `/travelers/${own}/bookings`);
      expect(byTraveler.status).toBe(200);
      expect(byTraveler.body.items.map((item: Body) => item.id)).toEqual([fromSession.body.id]);
      const bySession = await get(user, `/sessions/${sessionId}/bookings`);
      expect(bySession.body.items.map((item: Body) => item.id)).toEqual([fromSession.body.id]);
      const [link] = await ctx.dataSource.query(
        'SELECT count(*)::int AS n FROM unified_session_bookings WHERE session_id = $1',
        [sessionId],
      );
      expect(link.n).toBe(1);
      expect((await get(bob, `/travelers/${own}/bookings`)).status).toBe(404);
      expect((await get(bob, `/sessions/${sessionId}/bookings`)).status).toBe(404);
      expect((await get(user, `/travelers/${own}/bookings?limit=101`)).status).toBe(400);
      // Booking from another user's session → 404, nothing written.
      const before = await counts(bob.id);
      const foreign = await post(bob, hotelBody([bobTraveler], { sessionId }));
      expect(foreign.status).toBe(404);
      expect(await counts(bob.id)).toEqual(before);
    });
  });

  describe('support desk', () => {
    it('admins read any booking (audited); users get 403', async () => {
      const admin = await createStaff(ctx, ['user', 'admin']);
      const booked = await post(alice, activityBody([aliceTraveler]));
      expect((await get(alice, '/admin/bookings')).status).toBe(403);
      const list = await get(admin, `/admin/bookings?userId=${alice.id}&status=confirmed`);
      expect(list.status).toBe(200);
      expect(list.body.items.map((item: Body) => item.id)).toContain(booked.body.id);
      for (const item of list.body.items as Body[]) expect(item.userId).toBe(alice.id);
      const read = await get(admin, `/admin/bookings/${booked.body.id as string}`);
      expect(read.status).toBe(200);
      expect(read.body).toMatchObject({
        id: booked.body.id,
        userId: alice.id,
        providerResponse: { provider: 'sandbox' },
      });
      expect((await get(admin, `/admin/bookings/${randomUUID()}`)).status).toBe(404);
      const audit = await ctx.dataSource.query(
        `SELECT action, subject_id, resource_id FROM audit_events WHERE actor_id = $1 ORDER BY occurred_at`,
        [admin.id],
      );
      expect(audit).toEqual([
        { action: 'booking.list', subject_id: alice.id, resource_id: null },
        { action: 'booking.read', subject_id: alice.id, resource_id: booked.body.id },
      ]);
      expect((await get(admin, '/admin/bookings?limit=101')).status).toBe(400);
    });
  });
});

describe('bookings: flights once travelers hold documents', () => {
  let ctx: TestApp;
  const documents = new Map<string, ValidTravelDocument>();
  const check: TravelDocumentCheck = {
    validDocumentsOn: (_userId, travelerIds) =>
      Promise.resolve(new Map(travelerIds.map((id) => [id, documents.get(id) ?? null]))),
    travelersWithoutValidVisa: () => Promise.resolve([]),
  };

  beforeAll(async () => {
    ctx = await createTestApp({
      customize: (builder) => builder.overrideProvider(TRAVEL_DOCUMENT_CHECK).useValue(check),
    });
  });

  afterAll(async () => {
    await ctx.close();
  });

  it('books a flight with seats and baggage, snapshotting the masked document; a traveler without one → 422', async () => {
    const user = await createVerifiedUser(ctx);
    await grantConsent(ctx, user, 'travel_booking');
    const create = (firstName: string, dateOfBirth: string) =>
      createTraveler(ctx, user, { firstName, lastName: 'Ito', dateOfBirth });
    const adult = await create('Ken', yearsAgo(40));
    const senior = await create('Aiko', yearsAgo(70));
    documents.set(adult, {
      documentType: 'passport',
      issuingCountry: 'JP',
      numberMasked: '•••••4321',
      expiresOn: daysFromNow(900),
    });
    const missing = await ctx
      .http()
      .post('/api/v1/bookings')
      .set(user.authHeader)
      .set('Idempotency-Key', randomUUID())
      .send(flightBody([adult, senior], { currency: 'JPY' }));
    expect(missing.status).toBe(422);
    expect(missing.body.errors).toEqual({ 'travelerIds.1': ['TRAVELER_DOCUMENT_REQUIRED'] });

    documents.set(senior, {
      documentType: 'passport',
      issuingCountry: 'JP',
      numberMasked: '•••••9876',
      expiresOn: null,
    });
    const booked = await ctx
      .http()
      .post('/api/v1/bookings')
      .set(user.authHeader)
      .set('Idempotency-Key', randomUUID())
      .send(flightBody([adult, senior], { currency: 'JPY' }));
    expect(booked.status).toBe(201);
    expect(booked.body).toMatchObject({
      bookingType: 'flight',
      status: 'confirmed',
      travelStartDate: daysFromNow(45),
    });
    expect(booked.body.total.currency).toBe('JPY');
    expect(amountsAreIntegers(booked.text)).toBe(true);
    expect(booked.body.details).toMatchObject({
      airlineCode: 'TP',
      originAirport: 'FRA',
      destinationAirport: 'LIS',
      cabinClass: 'economy',
      passengerCount: 2,
      totalDurationMinutes: 180,
      seatAssignments: [{ travelerId: adult, seat: '12A' }],
      baggageAllowance: { cabinBags: 1, checkedBags: 1 },
    });
    expect(
      booked.body.travelers.map((item: Body) => [
        item.travelerType,
        (item.document as Body).numberMasked,
      ]),
    ).toEqual([
      ['adult', '•••••4321'],
      ['senior', '•••••9876'],
    ]);
    const [row] = await ctx.dataSource.query(
      'SELECT count(*)::int AS n FROM flight_bookings WHERE booking_id = $1',
      [booked.body.id],
    );
    expect(row.n).toBe(1);
  });
});
