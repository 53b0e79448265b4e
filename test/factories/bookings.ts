import { randomUUID } from 'node:crypto';
import { expect } from '@jest/globals';
import type { Response } from 'supertest';
import type { TestApp } from '../utils/test-app.js';
import { grantConsent } from './consents.js';
import { createTraveler } from './travelers.js';
import { createVerifiedUser, type TestUser } from './users.js';

type Body = Record<string, unknown>;

/** Today + `days` (UTC) as YYYY-MM-DD. */
export function daysFromNow(days: number): string {
  return new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
}

/**
 * A valid POST /bookings body: three nights at Casa Azul (Lisbon) two months from now.
 * `details` replaces or adds hotel details; `overrides` replaces or adds top-level fields.
 */
export function hotelBookingBody(
  travelerIds: string[],
  details: Body = {},
  overrides: Body = {},
): Body {
  return {
    bookingType: 'hotel',
    travelerIds,
    currency: 'EUR',
    details: {
      hotelId: 'H-100',
      hotelName: 'Casa Azul',
      city: 'Lisbon',
      country: 'PT',
      checkInDate: daysFromNow(60),
      checkOutDate: daysFromNow(63),
      roomType: 'Double',
      mealPlan: 'breakfast',
      ...details,
    },
    ...overrides,
  };
}

/**
 * A valid POST /bookings flight body: TP 1234 Frankfurt → Lisbon in economy, 45 days from now.
 * `details` replaces or adds flight details; `overrides` replaces or adds top-level fields.
 */
export function flightBookingBody(
  travelerIds: string[],
  details: Body = {},
  overrides: Body = {},
): Body {
  const day = daysFromNow(45);
  return {
    bookingType: 'flight',
    travelerIds,
    currency: 'EUR',
    details: {
      segments: [
        {
          airlineCode: 'TP',
          flightNumber: '1234',
          originAirport: 'FRA',
          destinationAirport: 'LIS',
          departureAt: `${day}T08:00:00Z`,
          arrivalAt: `${day}T11:00:00Z`,
        },
      ],
      cabinClass: 'economy',
      ...details,
    },
    ...overrides,
  };
}

/** A verified user who granted `travel_booking`, with one adult traveler. */
export async function createBookingUser(
  ctx: TestApp,
): Promise<{ user: TestUser; traveler: string }> {
  const user = await createVerifiedUser(ctx);
  await grantConsent(ctx, user, 'travel_booking');
  const traveler = await createTraveler(ctx, user, { dateOfBirth: '1990-05-01' });
  return { user, traveler };
}

/** Books the default hotel for `traveler` (a new Idempotency-Key) and returns the booking id. */
export async function bookHotel(ctx: TestApp, user: TestUser, traveler: string): Promise<string> {
  const response = await ctx
    .http()
    .post('/api/v1/bookings')
    .set(user.authHeader)
    .set('Idempotency-Key', randomUUID())
    .send(hotelBookingBody([traveler]));
  expect(response.status).toBe(201);
  return response.body.id as string;
}

/** A fresh cancellation quote's id. */
export async function cancellationQuote(
  ctx: TestApp,
  user: TestUser,
  bookingId: string,
): Promise<string> {
  const response = await ctx
    .http()
    .post(`/api/v1/bookings/${bookingId}/cancellation-quote`)
    .set(user.authHeader);
  expect(response.status).toBe(201);
  return response.body.quoteId as string;
}

/** POST /bookings/:id/cancel with a quote (a real promise, so it can be raced). */
export function cancelBooking(
  ctx: TestApp,
  user: TestUser,
  bookingId: string,
  quoteId: string,
): Promise<Response> {
  return Promise.resolve(
    ctx.http().post(`/api/v1/bookings/${bookingId}/cancel`).set(user.authHeader).send({ quoteId }),
  );
}

/** The booking's ledger entry kinds, sorted. */
export async function ledgerKinds(ctx: TestApp, bookingId: string): Promise<string[]> {
  const rows = (await ctx.dataSource.query(
    'SELECT kind FROM booking_ledger WHERE booking_id = $1 ORDER BY kind',
    [bookingId],
  )) as { kind: string }[];
  return rows.map((row) => row.kind);
}
