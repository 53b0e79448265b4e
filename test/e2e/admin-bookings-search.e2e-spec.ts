import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { bookHotel, createBookingUser } from '../factories/bookings.js';
import { createStaff, createVerifiedUser, type TestUser } from '../factories/users.js';
import { createTestApp, type TestApp } from '../utils/test-app.js';

type Body = Record<string, unknown>;

/**
 * Issue 19 (staff console): the support desk finds a booking by reference, confirmation code or
 * the user's email on GET /admin/bookings; every search is an audited read.
 */
describe('admin bookings: support desk search', () => {
  let ctx: TestApp;
  let admin: TestUser;
  let alice: TestUser;
  let booking: Body;
  let otherBookingId: string;

  beforeAll(async () => {
    ctx = await createTestApp();
    admin = await createStaff(ctx, ['admin']);
    const booker = await createBookingUser(ctx);
    alice = booker.user;
    const id = await bookHotel(ctx, alice, booker.traveler);
    booking = (await get(alice, `/bookings/${id}`)).body as Body;
    const bob = await createBookingUser(ctx);
    otherBookingId = await bookHotel(ctx, bob.user, bob.traveler);
  });

  afterAll(async () => {
    await ctx.close();
  });

  function get(user: TestUser, path: string) {
    return ctx.http().get(`/api/v1${path}`).set(user.authHeader);
  }

  async function search(params: Record<string, string>): Promise<string[]> {
    const response = await get(admin, `/admin/bookings?${new URLSearchParams(params).toString()}`);
    expect(response.status).toBe(200);
    return (response.body.items as Body[]).map((item) => item.id as string);
  }

  it('finds a booking by reference, any case', async () => {
    const reference = booking.reference as string;
    expect(reference).toMatch(/^PTH-/);
    expect(await search({ reference })).toEqual([booking.id]);
    expect(await search({ reference: reference.toLowerCase() })).toEqual([booking.id]);
  });

  it('finds a booking by confirmation code', async () => {
    const confirmationCode = booking.confirmationCode as string;
    expect(confirmationCode).toEqual(expect.any(String));
    expect(await search({ confirmationCode })).toEqual([booking.id]);
  });

  it("finds a user's bookings by email, case-insensitive", async () => {
    const ids = await search({ email: alice.email.toUpperCase() });
    expect(ids).toEqual([booking.id]);
    expect(ids).not.toContain(otherBookingId);
    const response = await get(admin, `/admin/bookings?email=${encodeURIComponent(alice.email)}`);
    expect(response.body.items[0]).toMatchObject({ id: booking.id, userId: alice.id });
  });

  it('combines the search with status and the other filters', async () => {
    const reference = booking.reference as string;
    const status = booking.status as string;
    const otherStatus = status === 'cancelled' ? 'confirmed' : 'cancelled';
    expect(await search({ reference, status })).toEqual([booking.id]);
    expect(await search({ reference, status: otherStatus })).toEqual([]);
    expect(await search({ email: alice.email, status })).toEqual([booking.id]);
    expect(await search({ email: alice.email, status: otherStatus })).toEqual([]);
    expect(await search({ email: alice.email, reference })).toEqual([booking.id]);
    expect(await search({ email: alice.email, userId: alice.id })).toEqual([booking.id]);
    const bob = await createVerifiedUser(ctx);
    expect(await search({ email: alice.email, userId: bob.id })).toEqual([]);
  });

  it('unknown values give an empty page', async () => {
    expect(await search({ reference: 'PTH-ZZZZZZZZZZ' })).toEqual([]);
    expect(await search({ confirmationCode: 'NOSUCH' })).toEqual([]);
    expect(await search({ email: 'nobody-here@example.test' })).toEqual([]);
  });

  it('audits each search as a booking.list naming the searched user', async () => {
    await search({ email: alice.email });
    const rows = (await ctx.dataSource.query(
      `SELECT action, subject_id FROM audit_events WHERE actor_id = $1 ORDER BY occurred_at DESC LIMIT 1`,
      [admin.id],
    )) as Body[];
    expect(rows).toEqual([{ action: 'booking.list', subject_id: alice.id }]);
  });

  it('400 VALIDATION_FAILED for too-long or malformed values', async () => {
    for (const query of [
      `reference=PTH-${'A'.repeat(30)}`,
      `confirmationCode=${'C'.repeat(101)}`,
      `email=${'a'.repeat(250)}%40example.test`,
      'email=not-an-email',
      'reference=',
    ]) {
      const response = await get(admin, `/admin/bookings?${query}`);
      expect({ query, status: response.status }).toEqual({ query, status: 400 });
      expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(response.body.code).toBe('VALIDATION_FAILED');
    }
  });

  it('403 for a plain user', async () => {
    const response = await get(alice, `/admin/bookings?email=${encodeURIComponent(alice.email)}`);
    expect(response.status).toBe(403);
  });
});
