import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { registerUser, type TestUser } from '../factories/users.js';
import { createTestApp, type TestApp } from '../utils/test-app.js';

describe('profile and travel preferences (HTTP)', () => {
  let ctx: TestApp;

  beforeAll(async () => {
    ctx = await createTestApp();
  });

  afterAll(async () => {
    await ctx.close();
  });

  const http = (): ReturnType<TestApp['http']> => ctx.http();

  describe('authentication', () => {
    it.each([
      ['get', '/api/v1/profile'],
      ['patch', '/api/v1/profile'],
      ['get', '/api/v1/profile/travel-preferences'],
      ['put', '/api/v1/profile/travel-preferences'],
      ['patch', '/api/v1/profile/travel-preferences'],
    ] as const)('%s %s without a token → 401', async (method, path) => {
      const response = await http()[method](path).send({});
      expect(response.status).toBe(401);
      expect(response.body.code).toBe('UNAUTHENTICATED');
    });
  });

  describe('profile', () => {
    let user: TestUser;

    beforeAll(async () => {
      user = await registerUser(ctx);
    });

    it('is created lazily with defaults on first GET (email need not be verified)', async () => {
      const response = await http().get('/api/v1/profile').set(user.authHeader);
      expect(response.status).toBe(200);
      expect(response.headers.etag).toBe('"1"');
      expect(response.body).toMatchObject({
        userId: user.id,
        firstName: null,
        timezone: 'UTC',
        preferredLanguage: 'en',
        preferredCurrency: 'USD',
        communicationPreferences: { email: true, sms: false, push: false },
        frequentFlyerNumbers: {},
        emergencyContact: null,
        version: 1,
      });
      const [{ count }] = (await ctx.dataSource.query(
        'SELECT count(*)::int AS count FROM user_profiles WHERE user_id = $1',
        [user.id],
      )) as [{ count: number }];
      expect(count).toBe(1);
    });

    it('round-trips every field through PATCH and GET', async () => {
      const body = {
        firstName: 'Camille',
        middleName: 'Anne',
        lastName: 'Martin',
        dateOfBirth: '1990-04-01',
        gender: 'female',
        phone: '+33612345678',
        nationality: 'fr',
        countryOfResidence: 'BE',
        city: 'Brussels',
        timezone: 'Europe/Brussels',
        preferredLanguage: 'fr-BE',
        preferredCurrency: 'eur',
        communicationPreferences: { sms: true },
        frequentFlyerNumbers: { AF: '1234567890', KL: 'KL998877' },
        hotelLoyaltyNumbers: { marriott: 'MB1234567' },
        travelFrequency: 'frequently',
        travelPurpose: 'mixed',
        emergencyContact: { name: 'Alex Martin', phone: '+32470123456', relationship: 'spouse' },
      };
      const patched = await http().patch('/api/v1/profile').set(user.authHeader).send(body);
      expect(patched.status).toBe(200);
      const expected = {
        ...body,
        nationality: 'FR',
        preferredCurrency: 'EUR',
        communicationPreferences: { email: true, sms: true, push: false },
      };
      expect(patched.body).toMatchObject(expected);
      const read = await http().get('/api/v1/profile').set(user.authHeader);
      expect(read.body).toMatchObject(expected);
      expect(read.headers.etag).toBe(`"${read.body.version}"`);
    });

    it('null clears optional fields and resets defaults', async () => {
      const response = await http()
        .patch('/api/v1/profile')
        .set(user.authHeader)
        .send({ city: null, emergencyContact: null, preferredCurrency: null });
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({
        city: null,
        emergencyContact: null,
        preferredCurrency: 'USD',
        firstName: 'Camille',
      });
    });

    it.each([
      [{ nationality: 'XX' }, 'nationality'],
      [{ countryOfResidence: 'FRA' }, 'countryOfResidence'],
      [{ preferredCurrency: 'EURO' }, 'preferredCurrency'],
      [{ preferredCurrency: 'ABC' }, 'preferredCurrency'],
      [{ preferredLanguage: 'not a language' }, 'preferredLanguage'],
      [{ timezone: 'Mars/Base' }, 'timezone'],
      [{ gender: 'robot' }, 'gender'],
      [{ travelFrequency: 'always' }, 'travelFrequency'],
      [{ dateOfBirth: '2999-01-01' }, 'dateOfBirth'],
      [{ dateOfBirth: '1990-02-30' }, 'dateOfBirth'],
      [{ phone: '0612345678' }, 'phone'],
      [{ frequentFlyerNumbers: { AIRFRANCE: '123' } }, 'frequentFlyerNumbers'],
      [{ emergencyContact: { name: 'No Phone' } }, 'emergencyContact.phone'],
      [{ unknownField: 1 }, 'unknownField'],
    ])('%j → 400 naming %s', async (body, field) => {
      const response = await http().patch('/api/v1/profile').set(user.authHeader).send(body);
      expect(response.status).toBe(400);
      expect(response.body.code).toBe('VALIDATION_FAILED');
      expect(Object.keys(response.body.errors)).toContain(field);
    });

    it('honours If-Match: a stale version → 412', async () => {
      const current = await http().get('/api/v1/profile').set(user.authHeader);
      const stale = await http()
        .patch('/api/v1/profile')
        .set(user.authHeader)
        .set('If-Match', `"${current.body.version - 1}"`)
        .send({ city: 'Ghent' });
      expect(stale.status).toBe(412);
      const fresh = await http()
        .patch('/api/v1/profile')
        .set(user.authHeader)
        .set('If-Match', current.headers.etag as string)
        .send({ city: 'Ghent' });
      expect(fresh.status).toBe(200);
      expect(fresh.body.city).toBe('Ghent');
    });

    it('each user sees only their own profile', async () => {
      const other = await registerUser(ctx);
      const response = await http().get('/api/v1/profile').set(other.authHeader);
      expect(response.body.userId).toBe(other.id);
      expect(response.body.firstName).toBeNull();
    });
  });

  describe('travel preferences', () => {
    let user: TestUser;

    beforeAll(async () => {
      user = await registerUser(ctx);
    });

    const full = {
      preferredCabinClass: 'premium_economy',
      preferredSeatType: 'aisle',
      preferredAirlines: ['af', 'KL'],
      avoidedAirlines: ['FR'],
      preferredAirports: ['CDG', 'BRU'],
      maxFlightDurationMinutes: 720,
      maxLayovers: 2,
      preferredHotelClass: 4,
      preferredHotelChains: ['Accor'],
      roomPreferences: { bedType: 'king', smoking: false },
      activityInterests: ['museums', 'hiking'],
      dietaryRestrictions: ['vegetarian', 'nut_allergy'],
      mobilityRequirements: ['walking_aid'],
      budgetRange: {
        min: { amountMinor: 50000, currency: 'JPY' },
        max: { amountMinor: 250000, currency: 'JPY' },
      },
      priceAlertsEnabled: false,
    };

    it('GET creates defaults lazily', async () => {
      const response = await http().get('/api/v1/profile/travel-preferences').set(user.authHeader);
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({
        userId: user.id,
        preferredCabinClass: null,
        preferredAirlines: [],
        maxLayovers: 1,
        budgetRange: null,
        priceAlertsEnabled: true,
      });
    });

    it('PUT round-trips every field (budget as integer minor units)', async () => {
      const put = await http()
        .put('/api/v1/profile/travel-preferences')
        .set(user.authHeader)
        .send(full);
      expect(put.status).toBe(200);
      const expected = { ...full, preferredAirlines: ['AF', 'KL'] };
      expect(put.body).toMatchObject(expected);
      const read = await http().get('/api/v1/profile/travel-preferences').set(user.authHeader);
      expect(read.body).toMatchObject(expected);
      const [row] = (await ctx.dataSource.query(
        'SELECT budget_min_minor, budget_currency FROM travel_preferences WHERE user_id = $1',
        [user.id],
      )) as [{ budget_min_minor: string; budget_currency: string }];
      expect(row).toEqual({ budget_min_minor: '50000', budget_currency: 'JPY' });
    });

    it('PATCH changes only what is sent; PUT resets what is absent', async () => {
      const patched = await http()
        .patch('/api/v1/profile/travel-preferences')
        .set(user.authHeader)
        .send({ preferredHotelClass: 5 });
      expect(patched.status).toBe(200);
      expect(patched.body).toMatchObject({ preferredHotelClass: 5, preferredSeatType: 'aisle' });

      const replaced = await http()
        .put('/api/v1/profile/travel-preferences')
        .set(user.authHeader)
        .send({ preferredSeatType: 'window' });
      expect(replaced.body).toMatchObject({
        preferredSeatType: 'window',
        preferredHotelClass: null,
        preferredAirlines: [],
        budgetRange: null,
        maxLayovers: 1,
        priceAlertsEnabled: true,
      });
    });

    it.each([
      [{ preferredCabinClass: 'luxury' }, 'preferredCabinClass'],
      [{ preferredSeatType: 'lap' }, 'preferredSeatType'],
      [{ preferredAirlines: ['AIRF'] }, 'preferredAirlines'],
      [{ preferredAirports: ['PARIS'] }, 'preferredAirports'],
      [{ preferredHotelClass: 6 }, 'preferredHotelClass'],
      [{ preferredHotelClass: 0 }, 'preferredHotelClass'],
      [{ maxLayovers: -1 }, 'maxLayovers'],
      [{ maxFlightDurationMinutes: 10 }, 'maxFlightDurationMinutes'],
      [{ dietaryRestrictions: ['chocolate_only'] }, 'dietaryRestrictions'],
      [{ mobilityRequirements: ['jetpack'] }, 'mobilityRequirements'],
      [{ roomPreferences: { bedType: 'hammock' } }, 'roomPreferences.bedType'],
      [
        {
          budgetRange: {
            min: { amountMinor: 1, currency: 'EURO' },
            max: { amountMinor: 2, currency: 'EUR' },
          },
        },
        'budgetRange.min.currency',
      ],
      [
        {
          budgetRange: {
            min: { amountMinor: 1.5, currency: 'EUR' },
            max: { amountMinor: 2, currency: 'EUR' },
          },
        },
        'budgetRange.min.amountMinor',
      ],
      [
        {
          budgetRange: {
            min: { amountMinor: 500, currency: 'EUR' },
            max: { amountMinor: 100, currency: 'EUR' },
          },
        },
        'budgetRange.max.amountMinor',
      ],
      [
        {
          budgetRange: {
            min: { amountMinor: 1, currency: 'EUR' },
            max: { amountMinor: 2, currency: 'USD' },
          },
        },
        'budgetRange.max.currency',
      ],
      [{ preferredAirlines: ['AF'], avoidedAirlines: ['AF'] }, 'avoidedAirlines'],
    ])('%j → 400 naming %s', async (body, field) => {
      const response = await http()
        .patch('/api/v1/profile/travel-preferences')
        .set(user.authHeader)
        .send(body);
      expect(response.status).toBe(400);
      expect(Object.keys(response.body.errors)).toContain(field);
    });

    it('a 400 leaves the stored preferences untouched', async () => {
      const before = await http().get('/api/v1/profile/travel-preferences').set(user.authHeader);
      await http()
        .patch('/api/v1/profile/travel-preferences')
        .set(user.authHeader)
        .send({ preferredAirlines: ['AF'], avoidedAirlines: ['AF'] });
      const after = await http().get('/api/v1/profile/travel-preferences').set(user.authHeader);
      expect(after.body).toEqual(before.body);
    });
  });
});
