import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { daysFromNow, flightBookingBody } from '../factories/bookings.js';
import { grantConsent } from '../factories/consents.js';
import {
  createStaff,
  createVerifiedUser,
  registerUser,
  type TestUser,
} from '../factories/users.js';
import { createTestApp, type TestApp } from '../utils/test-app.js';

const passport = (overrides: Record<string, unknown> = {}): Record<string, unknown> => ({
  type: 'passport',
  number: `P${randomUUID().replace(/-/g, '').slice(0, 8).toUpperCase()}`,
  issuingCountry: 'DE',
  nationality: 'DE',
  holderName: 'Mia Keller',
  dateOfBirth: '1990-04-01',
  issueDate: '2021-03-01',
  expiryDate: '2031-02-28',
  ...overrides,
});

describe('traveler documents', () => {
  let ctx: TestApp;
  let alice: TestUser;
  let bob: TestUser;
  let travelerId: string;

  beforeAll(async () => {
    ctx = await createTestApp();
    [alice, bob] = await Promise.all([createVerifiedUser(ctx), createVerifiedUser(ctx)]);
    for (const user of [alice, bob]) await grantConsent(ctx, user, 'travel_documents');
    travelerId = (
      await ctx
        .http()
        .post('/api/v1/travelers')
        .set(alice.authHeader)
        .send({ firstName: 'Mia', lastName: 'Keller', dateOfBirth: '1990-04-01' })
    ).body.id as string;
  });

  afterAll(async () => {
    await ctx.close();
  });

  const docs = (id = travelerId) => `/api/v1/travelers/${id}/documents`;

  it('stores a traveler document encrypted, answers it masked, and refuses duplicates', async () => {
    const body = passport();
    const created = await ctx.http().post(docs()).set(alice.authHeader).send(body);
    expect(created.status).toBe(201);
    expect(created.body.numberMasked).toBe(`••••${(body.number as string).slice(-4)}`);
    expect(created.text).not.toContain(body.number as string);
    const [row] = await ctx.dataSource.query(
      'SELECT number_ciphertext FROM traveler_documents WHERE id = $1',
      [created.body.id],
    );
    expect(row.number_ciphertext).not.toContain(body.number as string);

    const duplicate = await ctx.http().post(docs()).set(alice.authHeader).send(body);
    expect(duplicate.status).toBe(409);
    expect(duplicate.body.code).toBe('DOCUMENT_DUPLICATE');

    const list = await ctx.http().get(docs()).set(alice.authHeader);
    expect(list.body.items.map((item: { id: string }) => item.id)).toEqual([created.body.id]);
  });

  it('needs a verified email, and travel_documents consent to add one', async () => {
    const unverified = await registerUser(ctx);
    const noConsent = await createVerifiedUser(ctx);
    const first = await ctx.http().get(docs()).set(unverified.authHeader);
    expect([first.status, first.body.code]).toEqual([403, 'EMAIL_NOT_VERIFIED']);
    // Consent gates creating (the guard answers before the traveler is looked up).
    const second = await ctx.http().post(docs()).set(noConsent.authHeader).send(passport());
    expect([second.status, second.body.code]).toEqual([403, 'CONSENT_REQUIRED']);
    expect((await ctx.http().get(docs())).status).toBe(401);
  });

  it("answers 404 for another user's traveler documents, for every verb", async () => {
    const document = (await ctx.http().post(docs()).set(alice.authHeader).send(passport())).body;
    const one = `${docs()}/${document.id}`;
    const attempts = [
      ctx.http().get(docs()),
      ctx.http().post(docs()).send(passport()),
      ctx.http().get(one),
      ctx.http().patch(one).send({ holderName: 'Hacker' }),
      ctx.http().delete(one),
    ];
    for (const attempt of attempts) {
      const response = await attempt.set(bob.authHeader);
      expect(response.status).toBe(404);
    }
    // Bob's own traveler does not open Alice's document either.
    const bobsTraveler = (
      await ctx
        .http()
        .post('/api/v1/travelers')
        .set(bob.authHeader)
        .send({ firstName: 'B', lastName: 'B' })
    ).body.id as string;
    const crossed = await ctx
      .http()
      .get(`${docs(bobsTraveler)}/${document.id}`)
      .set(bob.authHeader);
    expect(crossed.status).toBe(404);
    const still = await ctx.http().get(one).set(alice.authHeader);
    expect(still.body.holderName).toBe('Mia Keller');
  });

  it('freezes the documents of an archived traveler', async () => {
    const archived = (
      await ctx
        .http()
        .post('/api/v1/travelers')
        .set(alice.authHeader)
        .send({ firstName: 'Old', lastName: 'Friend' })
    ).body.id as string;
    await ctx.http().delete(`/api/v1/travelers/${archived}`).set(alice.authHeader).expect(204);
    const response = await ctx.http().post(docs(archived)).set(alice.authHeader).send(passport());
    expect(response.status).toBe(409);
    expect(response.body.code).toBe('TRAVELER_ARCHIVED');
  });

  it('puts traveler documents in the admin queue (kind=traveler) and audits the reveal', async () => {
    const body = passport();
    const document = (await ctx.http().post(docs()).set(alice.authHeader).send(body)).body;
    const admin = await createStaff(ctx, ['user', 'admin']);
    const queue = await ctx
      .http()
      .get('/api/v1/admin/documents?kind=traveler&status=pending')
      .set(admin.authHeader);
    expect(queue.status).toBe(200);
    expect(queue.body.items.map((item: { id: string }) => item.id)).toContain(document.id);
    const revealed = await ctx
      .http()
      .post(`/api/v1/admin/documents/${document.id}/reveal`)
      .set(admin.authHeader)
      .send({ reason: 'Airline asked to confirm the passport number' });
    expect(revealed.status).toBe(200);
    expect(revealed.text).toContain(body.number as string);
    const audit = await ctx.dataSource.query(
      "SELECT subject_id FROM audit_events WHERE action = 'document.reveal' AND resource_id = $1",
      [document.id],
    );
    expect(audit).toEqual([{ subject_id: alice.id }]);
  });
});

describe('flight bookings with real traveler documents', () => {
  let ctx: TestApp;

  beforeAll(async () => {
    ctx = await createTestApp();
  });

  afterAll(async () => {
    await ctx.close();
  });

  it('books a flight for a traveler whose passport is valid on the travel date, and refuses one whose passport expires before', async () => {
    const user = await createVerifiedUser(ctx);
    await grantConsent(ctx, user, 'travel_documents');
    await grantConsent(ctx, user, 'travel_booking');
    const travelerWith = async (expiryDate: string) => {
      const id = (
        await ctx
          .http()
          .post('/api/v1/travelers')
          .set(user.authHeader)
          .send({ firstName: 'F', lastName: 'L', dateOfBirth: '1980-01-01' })
      ).body.id as string;
      const document = await ctx
        .http()
        .post(`/api/v1/travelers/${id}/documents`)
        .set(user.authHeader)
        .send(passport({ expiryDate }));
      expect(document.status).toBe(201);
      return { id, masked: document.body.numberMasked as string };
    };
    const valid = await travelerWith(daysFromNow(400));
    const expiring = await travelerWith(daysFromNow(10));
    const flight = (travelerIds: string[]) => flightBookingBody(travelerIds);

    const refused = await ctx
      .http()
      .post('/api/v1/bookings')
      .set(user.authHeader)
      .set('Idempotency-Key', randomUUID())
      .send(flight([valid.id, expiring.id]));
    expect(refused.status).toBe(422);
    expect(refused.body.code).toBe('TRAVELER_DOCUMENT_REQUIRED');
    expect(refused.body.errors).toEqual({ 'travelerIds.1': ['TRAVELER_DOCUMENT_REQUIRED'] });

    const booked = await ctx
      .http()
      .post('/api/v1/bookings')
      .set(user.authHeader)
      .set('Idempotency-Key', randomUUID())
      .send(flight([valid.id]));
    expect(booked.status).toBe(201);
    expect(booked.body.status).toBe('confirmed');
    expect(JSON.stringify(booked.body)).toContain(valid.masked);
  });
});
