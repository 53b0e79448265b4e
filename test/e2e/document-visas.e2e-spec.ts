import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createBookingUser, daysFromNow } from '../factories/bookings.js';
import { grantConsent } from '../factories/consents.js';
import type { TestUser } from '../factories/users.js';
import { createTestApp, type TestApp } from '../utils/test-app.js';

type Body = Record<string, unknown>;

/** A document body for `type`: a fresh number, FR-issued, valid for years. */
function documentBody(overrides: Body = {}): Body {
  return {
    type: 'passport',
    number: `V${randomUUID().replace(/-/g, '').slice(0, 9).toUpperCase()}`,
    issuingCountry: 'FR',
    holderName: 'Ana Silva',
    expiryDate: daysFromNow(3000),
    ...overrides,
  };
}

const visa = (overrides: Body = {}): Body => ({
  country: 'us',
  entries: 'multiple',
  validFrom: daysFromNow(-10),
  visaType: 'B-2',
  purpose: 'tourism',
  ...overrides,
});

/** A flight to `country` departing in 45 days. */
function flightTo(travelerIds: string[], country: string | undefined): Body {
  const day = daysFromNow(45);
  return {
    bookingType: 'flight',
    travelerIds,
    currency: 'EUR',
    details: {
      segments: [
        {
          airlineCode: 'LH',
          flightNumber: '400',
          originAirport: 'FRA',
          destinationAirport: 'JFK',
          departureAt: `${day}T10:00:00Z`,
          arrivalAt: `${day}T18:00:00Z`,
        },
      ],
      cabinClass: 'economy',
      ...(country ? { destinationCountry: country } : {}),
    },
  };
}

describe('visas on travel documents', () => {
  let ctx: TestApp;
  let user: TestUser;
  let traveler: string;

  beforeAll(async () => {
    ctx = await createTestApp();
    ({ user, traveler } = await createBookingUser(ctx));
    await grantConsent(ctx, user, 'travel_documents');
  });

  afterAll(async () => {
    await ctx.close();
  });

  const addDocument = (travelerId: string, body: Body) =>
    ctx.http().post(`/api/v1/travelers/${travelerId}/documents`).set(user.authHeader).send(body);
  const book = (body: Body) =>
    ctx
      .http()
      .post('/api/v1/bookings')
      .set(user.authHeader)
      .set('Idempotency-Key', randomUUID())
      .send(body);
  const newTraveler = async (firstName: string): Promise<string> => {
    const response = await ctx
      .http()
      .post('/api/v1/travelers')
      .set(user.authHeader)
      .send({ firstName, lastName: 'Silva', dateOfBirth: '1990-05-01' });
    expect(response.status).toBe(201);
    const id = response.body.id as string;
    expect((await addDocument(id, documentBody())).status).toBe(201);
    return id;
  };

  it('stores a visa with its country, entries, purpose and validity, on travelers and profiles', async () => {
    const created = await addDocument(traveler, documentBody({ type: 'visa', visa: visa() }));
    expect(created.status).toBe(201);
    expect(created.body.visa).toEqual({
      country: 'US',
      entries: 'multiple',
      validFrom: daysFromNow(-10),
      visaType: 'B-2',
      purpose: 'tourism',
    });
    const passport = await addDocument(traveler, documentBody());
    expect(passport.body.visa).toBeNull();
    const profile = await ctx
      .http()
      .post('/api/v1/profile/documents')
      .set(user.authHeader)
      .send(documentBody({ type: 'visa', visa: visa({ country: 'GB', entries: 'single' }) }));
    expect(profile.status).toBe(201);
    expect(profile.body.visa).toMatchObject({ country: 'GB', entries: 'single' });
    const rows = await ctx.dataSource.query(
      'SELECT visa_country, visa_entries::text AS entries FROM traveler_documents WHERE id = $1',
      [created.body.id],
    );
    expect(rows).toEqual([{ visa_country: 'US', entries: 'multiple' }]);
  });

  it.each([
    ['a visa without its details', { type: 'visa' }, 'visa'],
    ['visa details on a passport', { visa: visa() }, 'visa'],
    ['unknown entries', { type: 'visa', visa: visa({ entries: 'triple' }) }, 'visa.entries'],
    ['no country', { type: 'visa', visa: visa({ country: undefined }) }, 'visa.country'],
    [
      'a bad validFrom',
      { type: 'visa', visa: visa({ validFrom: '2027-02-30' }) },
      'visa.validFrom',
    ],
    [
      'validFrom after the expiry',
      { type: 'visa', expiryDate: daysFromNow(30), visa: visa({ validFrom: daysFromNow(31) }) },
      'visa.validFrom',
    ],
  ])('400 on %s, nothing stored', async (_label, overrides, field) => {
    const before = await ctx.dataSource.query('SELECT count(*)::int AS n FROM traveler_documents');
    const response = await addDocument(traveler, documentBody(overrides));
    expect(response.status).toBe(400);
    expect(Object.keys(response.body.errors)).toContain(field);
    const after = await ctx.dataSource.query('SELECT count(*)::int AS n FROM traveler_documents');
    expect(after[0].n).toBe(before[0].n);
  });

  it('changing a visa into a passport clears its visa details', async () => {
    const created = await addDocument(traveler, documentBody({ type: 'visa', visa: visa() }));
    const changed = await ctx
      .http()
      .patch(`/api/v1/travelers/${traveler}/documents/${created.body.id}`)
      .set(user.authHeader)
      .send({ type: 'passport' });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ type: 'passport', visa: null });
  });

  it('books a flight when the visa for the destination is valid on the travel dates', async () => {
    const valid = await newTraveler('Vera');
    await addDocument(valid, documentBody({ type: 'visa', visa: visa() }));
    expect((await book(flightTo([valid], 'US'))).status).toBe(201);
  });

  it('refuses 422 VISA_NOT_VALID when the only visa for the destination is not valid then', async () => {
    const early = await newTraveler('Eli');
    await addDocument(
      early,
      documentBody({ type: 'visa', visa: visa({ validFrom: daysFromNow(60) }) }),
    );
    const expiring = await newTraveler('Exa');
    await addDocument(
      expiring,
      documentBody({ type: 'visa', expiryDate: daysFromNow(20), visa: visa() }),
    );
    const clean = await newTraveler('Cleo');
    for (const travelerId of [early, expiring]) {
      const response = await book(flightTo([clean, travelerId], 'US'));
      expect(response.status).toBe(422);
      expect(response.body.code).toBe('VISA_NOT_VALID');
      expect(response.body.errors).toEqual({ 'travelerIds.1': ['VISA_NOT_VALID'] });
    }
    const count = await ctx.dataSource.query(
      'SELECT count(*)::int AS n FROM bookings WHERE user_id = $1',
      [user.id],
    );
    const booked = await book(flightTo([early], 'DE'));
    expect(booked.status).toBe(201);
    const after = await ctx.dataSource.query(
      'SELECT count(*)::int AS n FROM bookings WHERE user_id = $1',
      [user.id],
    );
    expect(after[0].n).toBe(count[0].n + 1);
  });

  it('a visa for another country, or no destination country, is not checked', async () => {
    const other = await newTraveler('Otto');
    await addDocument(
      other,
      documentBody({ type: 'visa', visa: visa({ country: 'CA', validFrom: daysFromNow(90) }) }),
    );
    expect((await book(flightTo([other], 'US'))).status).toBe(201);
    const noCountry = await newTraveler('Nora');
    await addDocument(
      noCountry,
      documentBody({ type: 'visa', visa: visa({ validFrom: daysFromNow(90) }) }),
    );
    expect((await book(flightTo([noCountry], undefined))).status).toBe(201);
  });
});
