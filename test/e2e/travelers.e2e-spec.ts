import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createVerifiedUser, type TestUser } from '../factories/users.js';
import { createTestApp, type TestApp } from '../utils/test-app.js';

/** A date `years` years before today (UTC), as YYYY-MM-DD. */
function yearsAgo(years: number, dayOffset = 0): string {
  const date = new Date();
  date.setUTCFullYear(date.getUTCFullYear() - years);
  date.setUTCDate(date.getUTCDate() + dayOffset);
  return date.toISOString().slice(0, 10);
}

describe('travelers', () => {
  let ctx: TestApp;
  let alice: TestUser;
  let bob: TestUser;

  beforeAll(async () => {
    ctx = await createTestApp();
    [alice, bob] = await Promise.all([createVerifiedUser(ctx), createVerifiedUser(ctx)]);
  });

  afterAll(async () => {
    await ctx.close();
  });

  const create = (user: TestUser, body: Record<string, unknown>) =>
    ctx.http().post('/api/v1/travelers').set(user.authHeader).send(body);

  it('needs a bearer token', async () => {
    const response = await ctx.http().get('/api/v1/travelers');
    expect(response.status).toBe(401);
    expect(response.body.code).toBe('UNAUTHENTICATED');
  });

  it('creates a traveler and derives the type and full name, never storing the type', async () => {
    const response = await create(alice, {
      firstName: 'Mia',
      middleName: 'Rose',
      lastName: 'Keller',
      dateOfBirth: yearsAgo(12),
      nationality: 'DE',
      relationshipToUser: 'child',
      frequentFlyerNumbers: [{ airlineCode: 'LH', number: '992001234567' }],
    });
    expect(response.status).toBe(201);
    expect(response.headers.etag).toBe('"1"');
    expect(response.body).toMatchObject({
      fullName: 'Mia Rose Keller',
      travelerType: 'adult',
      isMinor: true,
      status: 'active',
      version: 1,
    });
    const columns = await ctx.dataSource.query(
      "SELECT column_name FROM information_schema.columns WHERE table_name = 'travelers'",
    );
    expect(columns.map((row: { column_name: string }) => row.column_name)).not.toContain(
      'traveler_type',
    );
  });

  it.each([
    [yearsAgo(2, 1), 'infant'],
    [yearsAgo(2), 'child'],
    [yearsAgo(12, 1), 'child'],
    [yearsAgo(12), 'adult'],
    [yearsAgo(65, 1), 'adult'],
    [yearsAgo(65), 'senior'],
  ])('born %s is %s today', async (dateOfBirth, travelerType) => {
    const response = await create(alice, { firstName: 'T', lastName: 'Y', dateOfBirth });
    expect(response.status).toBe(201);
    expect(response.body.travelerType).toBe(travelerType);
  });

  it('refuses a bad body with field errors, and unknown fields', async () => {
    const response = await create(alice, {
      firstName: '',
      lastName: 'X',
      dateOfBirth: '2020-13-01',
      nationality: 'XX',
      phone: '0151',
      frequentFlyerNumbers: [{ airlineCode: 'lufthansa', number: '1' }],
      userId: bob.id,
    });
    expect(response.status).toBe(400);
    expect(Object.keys(response.body.errors).sort()).toEqual([
      'dateOfBirth',
      'firstName',
      'frequentFlyerNumbers.0.airlineCode',
      'nationality',
      'phone',
      'userId',
    ]);
  });

  it('refuses a birth date that is not on the calendar (2020-02-31)', async () => {
    const response = await create(alice, {
      firstName: 'T',
      lastName: 'Y',
      dateOfBirth: '2020-02-31',
    });
    expect(response.status).toBe(400);
    expect(response.body.code).toBe('VALIDATION_FAILED');
    expect(Object.keys(response.body.errors)).toEqual(['dateOfBirth']);
  });

  it('allows only one primary traveler per account', async () => {
    const user = await createVerifiedUser(ctx);
    expect(
      (await create(user, { firstName: 'Me', lastName: 'Self', isPrimary: true })).status,
    ).toBe(201);
    const second = await create(user, { firstName: 'Also', lastName: 'Me', isPrimary: true });
    expect(second.status).toBe(409);
    expect(second.body.code).toBe('PRIMARY_TRAVELER_EXISTS');
  });

  it('lists newest first with keyset pagination and hides archived travelers by default', async () => {
    const user = await createVerifiedUser(ctx);
    const ids: string[] = [];
    for (const name of ['A', 'B', 'C']) {
      ids.push((await create(user, { firstName: name, lastName: 'L' })).body.id as string);
    }
    await ctx.http().delete(`/api/v1/travelers/${ids[1]}`).set(user.authHeader).expect(204);

    const first = await ctx.http().get('/api/v1/travelers?limit=1').set(user.authHeader);
    expect(first.status).toBe(200);
    expect(first.body.items.map((t: { id: string }) => t.id)).toEqual([ids[2]]);
    const second = await ctx
      .http()
      .get(`/api/v1/travelers?limit=1&cursor=${first.body.nextCursor}`)
      .set(user.authHeader);
    expect(second.body.items.map((t: { id: string }) => t.id)).toEqual([ids[0]]);
    expect(second.body.nextCursor).toBeNull();

    const archived = await ctx.http().get('/api/v1/travelers?status=archived').set(user.authHeader);
    expect(archived.body.items.map((t: { id: string }) => t.id)).toEqual([ids[1]]);
    expect((await ctx.http().get('/api/v1/travelers?limit=101').set(user.authHeader)).status).toBe(
      400,
    );
  });

  it('honours If-Match on PATCH: stale → 412 and nothing changes', async () => {
    const traveler = (await create(alice, { firstName: 'Old', lastName: 'Name' })).body;
    const updated = await ctx
      .http()
      .patch(`/api/v1/travelers/${traveler.id}`)
      .set(alice.authHeader)
      .set('If-Match', '"1"')
      .send({ firstName: 'New', email: null });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({ firstName: 'New', version: 2 });
    expect(updated.headers.etag).toBe('"2"');
    const stale = await ctx
      .http()
      .patch(`/api/v1/travelers/${traveler.id}`)
      .set(alice.authHeader)
      .set('If-Match', '"1"')
      .send({ firstName: 'Lost' });
    expect(stale.status).toBe(412);
    const current = await ctx.http().get(`/api/v1/travelers/${traveler.id}`).set(alice.authHeader);
    expect(current.body.firstName).toBe('New');
    const unsetRequired = await ctx
      .http()
      .patch(`/api/v1/travelers/${traveler.id}`)
      .set(alice.authHeader)
      .send({ firstName: null });
    expect(unsetRequired.status).toBe(400);
  });

  it('keeps archived travelers read-only except for a restore', async () => {
    const traveler = (await create(alice, { firstName: 'Gone', lastName: 'Soon' })).body;
    await ctx.http().delete(`/api/v1/travelers/${traveler.id}`).set(alice.authHeader).expect(204);
    const edit = await ctx
      .http()
      .patch(`/api/v1/travelers/${traveler.id}`)
      .set(alice.authHeader)
      .send({ firstName: 'Changed' });
    expect(edit.status).toBe(409);
    expect(edit.body.code).toBe('TRAVELER_ARCHIVED');
    const preferences = await ctx
      .http()
      .put(`/api/v1/travelers/${traveler.id}/preferences`)
      .set(alice.authHeader)
      .send({ cabinClass: 'business' });
    expect(preferences.status).toBe(409);
    const bookable = await ctx
      .http()
      .get(`/api/v1/travelers/${traveler.id}/bookability`)
      .set(alice.authHeader);
    expect(bookable.body).toMatchObject({ canBeBooked: false, reasons: ['TRAVELER_ARCHIVED'] });
    const restored = await ctx
      .http()
      .patch(`/api/v1/travelers/${traveler.id}`)
      .set(alice.authHeader)
      .send({ status: 'active' });
    expect(restored.status).toBe(200);
    expect(restored.body.status).toBe('active');
  });

  it('stores preferences with PUT (replacing) and validates them', async () => {
    const traveler = (await create(alice, { firstName: 'P', lastName: 'Ref' })).body;
    const empty = await ctx
      .http()
      .get(`/api/v1/travelers/${traveler.id}/preferences`)
      .set(alice.authHeader);
    expect(empty.body).toMatchObject({ cabinClass: null, extraLegroom: false, updatedAt: null });
    const put = await ctx
      .http()
      .put(`/api/v1/travelers/${traveler.id}/preferences`)
      .set(alice.authHeader)
      .send({
        cabinClass: 'business',
        seatType: 'aisle',
        wheelchairAssistance: true,
        preferredLanguage: 'en-GB',
      });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({
      cabinClass: 'business',
      seatType: 'aisle',
      wheelchairAssistance: true,
    });
    const replaced = await ctx
      .http()
      .put(`/api/v1/travelers/${traveler.id}/preferences`)
      .set(alice.authHeader)
      .send({ seatType: 'window' });
    expect(replaced.body).toMatchObject({
      cabinClass: null,
      seatType: 'window',
      wheelchairAssistance: false,
    });
    const bad = await ctx
      .http()
      .put(`/api/v1/travelers/${traveler.id}/preferences`)
      .set(alice.authHeader)
      .send({ cabinClass: 'luxury' });
    expect(bad.status).toBe(400);
    expect(Object.keys(bad.body.errors)).toEqual(['cabinClass']);
  });

  it("answers 404 for another user's traveler and preferences, for every verb", async () => {
    const traveler = (
      await create(alice, { firstName: 'Private', lastName: 'Person', dateOfBirth: yearsAgo(10) })
    ).body;
    const base = `/api/v1/travelers/${traveler.id}`;
    const attempts = [
      ctx.http().get(base),
      ctx.http().patch(base).send({ firstName: 'Hacked' }),
      ctx.http().delete(base),
      ctx.http().get(`${base}/preferences`),
      ctx.http().put(`${base}/preferences`).send({ cabinClass: 'first' }),
      ctx.http().get(`${base}/bookability`),
      ctx
        .http()
        .post(`${base}/guardian-consent`)
        .send({ granted: true, guardianName: 'B', relationship: 'parent' }),
    ];
    for (const attempt of attempts) {
      const response = await attempt.set(bob.authHeader);
      expect(response.status).toBe(404);
      expect(response.body.code).toBe('TRAVELER_NOT_FOUND');
    }
    const unchanged = await ctx.http().get(base).set(alice.authHeader);
    expect(unchanged.body).toMatchObject({ firstName: 'Private', status: 'active', version: 1 });
    const list = await ctx.http().get('/api/v1/travelers').set(bob.authHeader);
    expect(list.body.items.map((t: { id: string }) => t.id)).not.toContain(traveler.id);
  });

  it('records guardian consent in the ledger; withdrawal makes the minor unbookable', async () => {
    const minor = (
      await create(alice, { firstName: 'Kid', lastName: 'K', dateOfBirth: yearsAgo(9) })
    ).body;
    const before = await ctx
      .http()
      .get(`/api/v1/travelers/${minor.id}/bookability`)
      .set(alice.authHeader);
    expect(before.body).toMatchObject({
      canBeBooked: false,
      reasons: ['GUARDIAN_CONSENT_REQUIRED'],
      travelerType: 'child',
    });

    const granted = await ctx
      .http()
      .post(`/api/v1/travelers/${minor.id}/guardian-consent`)
      .set(alice.authHeader)
      .set('User-Agent', 'guardian-test')
      .send({ granted: true, guardianName: 'Alice Parent', relationship: 'parent' });
    expect(granted.status).toBe(200);
    expect(granted.body).toMatchObject({
      granted: true,
      canBeBooked: true,
      reasons: [],
      noticeVersion: 1,
    });

    const events = await ctx.dataSource.query(
      `SELECT subject_id, traveler_id, actor_id, purpose, decision, source, user_agent
         FROM consent_events WHERE traveler_id = $1 ORDER BY seq`,
      [minor.id],
    );
    expect(events).toEqual([
      {
        subject_id: alice.id,
        traveler_id: minor.id,
        // The guardian is the subject; actor_id is only for someone else (erasure-proof).
        actor_id: null,
        purpose: 'travel_booking',
        decision: 'granted',
        source: 'guardian',
        user_agent: 'guardian-test',
      },
    ]);
    // The guardian's own travel_booking consent is a different thing and stays absent.
    const own = await ctx.http().get('/api/v1/me/consents').set(alice.authHeader);
    expect(JSON.stringify(own.body)).not.toContain(minor.id);

    const withdrawn = await ctx
      .http()
      .post(`/api/v1/travelers/${minor.id}/guardian-consent`)
      .set(alice.authHeader)
      .send({ granted: false, guardianName: 'Alice Parent', relationship: 'parent' });
    expect(withdrawn.body).toMatchObject({
      canBeBooked: false,
      reasons: ['GUARDIAN_CONSENT_REQUIRED'],
    });
  });

  it('judges a minor by the travel date: one who is 18 by then needs no guardian consent', async () => {
    const almostAdult = (
      await create(alice, { firstName: 'Nearly', lastName: 'Adult', dateOfBirth: yearsAgo(18, 10) })
    ).body;
    const today = await ctx
      .http()
      .get(`/api/v1/travelers/${almostAdult.id}/bookability`)
      .set(alice.authHeader);
    expect(today.body.canBeBooked).toBe(false);
    const travelDate = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
    const later = await ctx
      .http()
      .get(`/api/v1/travelers/${almostAdult.id}/bookability?travelDate=${travelDate}`)
      .set(alice.authHeader);
    expect(later.body).toMatchObject({ canBeBooked: true, travelerType: 'adult', travelDate });
  });

  it('refuses guardian consent for adults', async () => {
    const adult = (
      await create(alice, { firstName: 'Grown', lastName: 'Up', dateOfBirth: yearsAgo(30) })
    ).body;
    const response = await ctx
      .http()
      .post(`/api/v1/travelers/${adult.id}/guardian-consent`)
      .set(alice.authHeader)
      .send({ granted: true, guardianName: 'X', relationship: 'parent' });
    expect(response.status).toBe(422);
    expect(response.body.code).toBe('GUARDIAN_CONSENT_NOT_APPLICABLE');
  });
});
