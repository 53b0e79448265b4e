import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createBookingUser, hotelBookingBody } from '../factories/bookings.js';
import { createTraveler } from '../factories/travelers.js';
import { createVerifiedUser, type TestUser } from '../factories/users.js';
import { createTestApp, type TestApp } from '../utils/test-app.js';

type Body = Record<string, unknown>;

describe('traveler groups', () => {
  let ctx: TestApp;
  let alice: TestUser;
  let bob: TestUser;
  let aliceAna: string;
  let aliceBen: string;
  let bobTraveler: string;

  beforeAll(async () => {
    ctx = await createTestApp();
    let booking: { user: TestUser; traveler: string };
    [booking, bob] = await Promise.all([createBookingUser(ctx), createVerifiedUser(ctx)]);
    alice = booking.user;
    aliceAna = booking.traveler;
    [aliceBen, bobTraveler] = await Promise.all([
      createTraveler(ctx, alice, { firstName: 'Ben', lastName: 'Silva' }),
      createTraveler(ctx, bob, { firstName: 'Bob', lastName: 'Other' }),
    ]);
  });

  afterAll(async () => {
    await ctx.close();
  });

  const api = (path: string): string => `/api/v1${path}`;
  const createGroup = (user: TestUser, body: Body) =>
    ctx.http().post(api('/traveler-groups')).set(user.authHeader).send(body);
  const get = (user: TestUser, path: string) => ctx.http().get(api(path)).set(user.authHeader);
  const put = (user: TestUser, path: string) => ctx.http().put(api(path)).set(user.authHeader);
  const del = (user: TestUser, path: string) => ctx.http().delete(api(path)).set(user.authHeader);
  const book = (user: TestUser, body: Body) =>
    ctx
      .http()
      .post(api('/bookings'))
      .set(user.authHeader)
      .set('Idempotency-Key', randomUUID())
      .send(body);
  const memberIds = (body: Body): string[] =>
    (body.members as Body[]).map((member) => member.travelerId as string);

  it('creates, lists, reads, renames and deletes a group (its travelers stay)', async () => {
    const created = await createGroup(alice, { name: '  Family ', travelerIds: [aliceAna] });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      name: 'Family',
      members: [{ travelerId: aliceAna, fullName: 'Ana Silva', status: 'active', bookable: true }],
    });
    const id = created.body.id as string;
    const listed = await get(alice, '/traveler-groups');
    expect(listed.status).toBe(200);
    expect(listed.body.items.map((group: Body) => group.id)).toContain(id);
    expect((await get(alice, `/traveler-groups/${id}`)).body.name).toBe('Family');
    const renamed = await ctx
      .http()
      .patch(api(`/traveler-groups/${id}`))
      .set(alice.authHeader)
      .send({ name: 'Ski club' });
    expect(renamed.status).toBe(200);
    expect(renamed.body).toMatchObject({ id, name: 'Ski club' });
    expect((await del(alice, `/traveler-groups/${id}`)).status).toBe(204);
    expect((await get(alice, `/traveler-groups/${id}`)).status).toBe(404);
    expect((await get(alice, `/travelers/${aliceAna}`)).body.status).toBe('active');
    const rows = await ctx.dataSource.query(
      'SELECT count(*)::int AS count FROM traveler_group_members WHERE group_id = $1',
      [id],
    );
    expect(rows[0].count).toBe(0);
  });

  it('refuses a bad body, and a second group of the same name (409)', async () => {
    const bad = await createGroup(alice, { name: '', travelerIds: ['nope'], extra: 1 });
    expect(bad.status).toBe(400);
    expect(Object.keys(bad.body.errors)).toEqual(expect.arrayContaining(['name', 'extra']));
    expect(Object.keys(bad.body.errors).some((key) => key.startsWith('travelerIds'))).toBe(true);
    expect((await createGroup(alice, { name: 'Twins' })).status).toBe(201);
    const again = await createGroup(alice, { name: 'Twins' });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('TRAVELER_GROUP_NAME_TAKEN');
  });

  it('adds and removes members by traveler id, idempotently; a traveler in several groups', async () => {
    const one = (await createGroup(alice, { name: 'One' })).body.id as string;
    const two = (await createGroup(alice, { name: 'Two', travelerIds: [aliceAna] })).body
      .id as string;
    const added = await put(alice, `/traveler-groups/${one}/members/${aliceBen}`);
    expect(added.status).toBe(200);
    expect(memberIds(added.body)).toEqual([aliceBen]);
    expect(
      memberIds((await put(alice, `/traveler-groups/${one}/members/${aliceBen}`)).body),
    ).toEqual([aliceBen]);
    await put(alice, `/traveler-groups/${one}/members/${aliceAna}`);
    expect(memberIds((await get(alice, `/traveler-groups/${one}`)).body)).toEqual([
      aliceBen,
      aliceAna,
    ]);
    expect(memberIds((await get(alice, `/traveler-groups/${two}`)).body)).toEqual([aliceAna]);
    expect((await del(alice, `/traveler-groups/${one}/members/${aliceBen}`)).status).toBe(204);
    expect((await del(alice, `/traveler-groups/${one}/members/${aliceBen}`)).status).toBe(204);
    expect(memberIds((await get(alice, `/traveler-groups/${one}`)).body)).toEqual([aliceAna]);
    expect(memberIds((await get(alice, `/traveler-groups/${two}`)).body)).toEqual([aliceAna]);
  });

  it("another user's group is 404 everywhere, and another user's traveler cannot be a member", async () => {
    const group = (await createGroup(alice, { name: 'Private' })).body.id as string;
    const bobGroup = (await createGroup(bob, { name: 'Bob' })).body.id as string;
    for (const response of [
      await get(bob, `/traveler-groups/${group}`),
      await ctx
        .http()
        .patch(api(`/traveler-groups/${group}`))
        .set(bob.authHeader)
        .send({ name: 'Mine' }),
      await del(bob, `/traveler-groups/${group}`),
      await put(bob, `/traveler-groups/${group}/members/${bobTraveler}`),
      await del(bob, `/traveler-groups/${group}/members/${bobTraveler}`),
    ]) {
      expect(response.status).toBe(404);
      expect(response.body.code).toBe('TRAVELER_GROUP_NOT_FOUND');
    }
    expect((await get(bob, '/traveler-groups')).body.items.map((g: Body) => g.id)).toEqual([
      bobGroup,
    ]);
    const foreign = await put(alice, `/traveler-groups/${group}/members/${bobTraveler}`);
    expect(foreign.status).toBe(404);
    expect(foreign.body.code).toBe('TRAVELER_NOT_FOUND');
    const atCreation = await createGroup(alice, { name: 'Sneaky', travelerIds: [bobTraveler] });
    expect(atCreation.status).toBe(404);
    expect(atCreation.body.code).toBe('TRAVELER_NOT_FOUND');
    expect(
      (await get(alice, '/traveler-groups')).body.items.map((g: Body) => g.name),
    ).not.toContain('Sneaky');
    expect(memberIds((await get(alice, `/traveler-groups/${group}`)).body)).toEqual([]);
    expect((await get(alice, `/traveler-groups/${group}`)).body.name).toBe('Private');
  });

  it('books a group: its active members are snapshotted like travelerIds', async () => {
    const group = (await createGroup(alice, { name: 'Trip', travelerIds: [aliceAna, aliceBen] }))
      .body.id as string;
    const { travelerIds: _ignored, ...body } = hotelBookingBody([]);
    const booked = await book(alice, { ...body, travelerGroupId: group });
    expect(booked.status).toBe(201);
    expect(booked.body.travelers.map((traveler: Body) => traveler.travelerId)).toEqual([
      aliceAna,
      aliceBen,
    ]);
    expect(booked.body.travelers.map((traveler: Body) => traveler.fullName)).toEqual([
      'Ana Silva',
      'Ben Silva',
    ]);
  });

  it('refuses travelerIds with travelerGroupId, and another user group (404)', async () => {
    const group = (await createGroup(alice, { name: 'Both', travelerIds: [aliceAna] })).body
      .id as string;
    const both = await book(alice, hotelBookingBody([aliceAna], {}, { travelerGroupId: group }));
    expect(both.status).toBe(400);
    expect(Object.keys(both.body.errors)).toEqual(['travelerGroupId']);
    const { travelerIds: _ignored, ...body } = hotelBookingBody([]);
    const bobGroup = (await createGroup(bob, { name: 'Bobs', travelerIds: [bobTraveler] })).body
      .id as string;
    const foreign = await book(alice, { ...body, travelerGroupId: bobGroup });
    expect(foreign.status).toBe(404);
    expect(foreign.body.code).toBe('TRAVELER_GROUP_NOT_FOUND');
    const neither = await book(alice, body);
    expect(neither.status).toBe(400);
    expect(Object.keys(neither.body.errors)).toContain('travelerIds');
  });

  it('an archived member leaves the bookable members; a group with none is 422', async () => {
    const carl = await createTraveler(ctx, alice, { firstName: 'Carl', lastName: 'Silva' });
    const group = (await createGroup(alice, { name: 'Archive', travelerIds: [aliceAna, carl] }))
      .body.id as string;
    expect((await del(alice, `/travelers/${carl}`)).status).toBe(204);
    const read = await get(alice, `/traveler-groups/${group}`);
    expect(read.body.members).toEqual([
      expect.objectContaining({ travelerId: aliceAna, bookable: true }),
      expect.objectContaining({ travelerId: carl, status: 'archived', bookable: false }),
    ]);
    const { travelerIds: _ignored, ...body } = hotelBookingBody([]);
    const booked = await book(alice, { ...body, travelerGroupId: group });
    expect(booked.status).toBe(201);
    expect(booked.body.travelers.map((traveler: Body) => traveler.travelerId)).toEqual([aliceAna]);
    const archivedOnly = (await createGroup(alice, { name: 'Gone' })).body.id as string;
    const dana = await createTraveler(ctx, alice, { firstName: 'Dana', lastName: 'Silva' });
    await put(alice, `/traveler-groups/${archivedOnly}/members/${dana}`);
    await del(alice, `/travelers/${dana}`);
    const empty = await book(alice, { ...body, travelerGroupId: archivedOnly });
    expect(empty.status).toBe(422);
    expect(empty.body.code).toBe('TRAVELER_GROUP_EMPTY');
    const addArchived = await put(alice, `/traveler-groups/${archivedOnly}/members/${carl}`);
    expect(addArchived.status).toBe(409);
    expect(addArchived.body.code).toBe('TRAVELER_ARCHIVED');
  });

  it('concurrent adds of the same traveler keep one membership', async () => {
    const group = (await createGroup(alice, { name: 'Race' })).body.id as string;
    const responses = await Promise.all(
      Array.from({ length: 6 }, () => put(alice, `/traveler-groups/${group}/members/${aliceBen}`)),
    );
    expect(responses.map((response) => response.status)).toEqual(Array(6).fill(200));
    const rows = await ctx.dataSource.query(
      'SELECT count(*)::int AS count FROM traveler_group_members WHERE group_id = $1',
      [group],
    );
    expect(rows[0].count).toBe(1);
  });
});
