import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  bookHotel,
  cancelBooking,
  cancellationQuote,
  createBookingUser,
  hotelBookingBody,
} from '../factories/bookings.js';
import { grantConsent, withdrawConsent } from '../factories/consents.js';
import { documentBody } from '../security/fixtures.js';
import { createTestApp, type TestApp } from '../utils/test-app.js';

/** PRODUCT.md § "Consent withdrawal stops new processing, never the owner's access". */
describe('consent withdrawal stops new processing, never the owner’s access', () => {
  let ctx: TestApp;

  beforeAll(async () => {
    ctx = await createTestApp();
  });

  afterAll(async () => {
    await ctx.close();
  });

  it('after withdrawing travel_booking: lists and cancels bookings, cannot book', async () => {
    const { user, traveler } = await createBookingUser(ctx);
    await grantConsent(ctx, user, 'travel_planning');
    const session = await ctx
      .http()
      .post('/api/v1/sessions')
      .set(user.authHeader)
      .send({ title: 'Lisbon' });
    expect(session.status).toBe(201);
    const booking = await bookHotel(ctx, user, traveler);
    await withdrawConsent(ctx, user, 'travel_booking');

    for (const url of [
      '/api/v1/bookings',
      `/api/v1/bookings/${booking}`,
      `/api/v1/bookings/${booking}/ledger`,
      `/api/v1/travelers/${traveler}/bookings`,
      `/api/v1/sessions/${session.body.id}/bookings`,
    ]) {
      const response = await ctx.http().get(url).set(user.authHeader);
      expect([url, response.status]).toEqual([url, 200]);
    }
    const quote = await cancellationQuote(ctx, user, booking);
    const cancelled = await cancelBooking(ctx, user, booking, quote);
    expect(cancelled.status).toBe(200);

    const refused = await ctx
      .http()
      .post('/api/v1/bookings')
      .set(user.authHeader)
      .set('Idempotency-Key', 'after-withdrawal-1')
      .send(hotelBookingBody([traveler]));
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe('CONSENT_REQUIRED');
  });

  it('after withdrawing travel_planning: reads and archives sessions, cannot create or change them', async () => {
    const { user } = await createBookingUser(ctx);
    await grantConsent(ctx, user, 'travel_planning');
    const session = await ctx.http().post('/api/v1/sessions').set(user.authHeader).send({});
    await withdrawConsent(ctx, user, 'travel_planning');
    const id = String(session.body.id);
    for (const url of ['/api/v1/sessions', `/api/v1/sessions/${id}`]) {
      expect((await ctx.http().get(url).set(user.authHeader)).status).toBe(200);
    }
    const message = await ctx
      .http()
      .post(`/api/v1/sessions/${id}/messages`)
      .set(user.authHeader)
      .send({ role: 'user', content: 'hello' });
    expect(message.body.code).toBe('CONSENT_REQUIRED');
    expect((await ctx.http().delete(`/api/v1/sessions/${id}`).set(user.authHeader)).status).toBe(
      204,
    );
  });

  it('after withdrawing travel_documents: lists and deletes documents, cannot add one', async () => {
    const { user, traveler } = await createBookingUser(ctx);
    await grantConsent(ctx, user, 'travel_documents');
    const own = await ctx
      .http()
      .post('/api/v1/profile/documents')
      .set(user.authHeader)
      .send(documentBody());
    expect(own.status).toBe(201);
    const travelerDocs = `/api/v1/travelers/${traveler}/documents`;
    const theirs = await ctx
      .http()
      .post(travelerDocs)
      .set(user.authHeader)
      .send(documentBody({ holderName: 'Ana Silva' }));
    expect(theirs.status).toBe(201);
    await withdrawConsent(ctx, user, 'travel_documents');

    expect((await ctx.http().get('/api/v1/profile/documents').set(user.authHeader)).status).toBe(
      200,
    );
    expect((await ctx.http().get(travelerDocs).set(user.authHeader)).status).toBe(200);
    const added = await ctx
      .http()
      .post('/api/v1/profile/documents')
      .set(user.authHeader)
      .send(documentBody());
    expect(added.body.code).toBe('CONSENT_REQUIRED');
    expect(
      (await ctx.http().delete(`/api/v1/profile/documents/${own.body.id}`).set(user.authHeader))
        .status,
    ).toBe(204);
    expect(
      (await ctx.http().delete(`${travelerDocs}/${theirs.body.id}`).set(user.authHeader)).status,
    ).toBe(204);
  });
});
