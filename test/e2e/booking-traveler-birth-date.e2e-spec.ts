import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createBookingUser, hotelBookingBody } from '../factories/bookings.js';
import { createTraveler } from '../factories/travelers.js';
import { createTestApp, type TestApp } from '../utils/test-app.js';

describe('bookings: every traveler needs a birth date', () => {
  let ctx: TestApp;

  beforeAll(async () => {
    ctx = await createTestApp();
  });

  afterAll(async () => {
    await ctx.close();
  });

  it('a traveler without a birth date on a booking → 422 TRAVELER_BIRTH_DATE_REQUIRED, nothing booked', async () => {
    const { user, traveler } = await createBookingUser(ctx);
    const undated = await createTraveler(ctx, user, { firstName: 'No', dateOfBirth: null });
    const refused = await ctx
      .http()
      .post('/api/v1/bookings')
      .set(user.authHeader)
      .set('Idempotency-Key', randomUUID())
      .send(hotelBookingBody([traveler, undated]));
    expect(refused.status).toBe(422);
    expect(refused.headers['content-type']).toMatch(/problem\+json/);
    expect(refused.body.code).toBe('TRAVELER_BIRTH_DATE_REQUIRED');
    expect(refused.body.errors).toEqual({ 'travelerIds.1': ['TRAVELER_BIRTH_DATE_REQUIRED'] });
    expect(
      await ctx.dataSource.query('SELECT 1 FROM bookings WHERE user_id = $1', [user.id]),
    ).toHaveLength(0);

    const booked = await ctx
      .http()
      .post('/api/v1/bookings')
      .set(user.authHeader)
      .set('Idempotency-Key', randomUUID())
      .send(hotelBookingBody([traveler]));
    expect(booked.status).toBe(201);
  });
});
