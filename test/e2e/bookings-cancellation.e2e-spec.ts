import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import type { Response } from 'supertest';
import { unprocessable } from '#libs/common/errors/problem.exception.js';
import { BookingProviderRegistry } from '#modules/bookings/booking-provider.registry.js';
import type { BookingProvider } from '#modules/bookings/providers/booking-provider.js';
import {
  bookHotel,
  cancelBooking,
  cancellationQuote,
  createBookingUser,
  ledgerKinds,
} from '../factories/bookings.js';
import type { TestUser } from '../factories/users.js';
import { createTestApp, type TestApp } from '../utils/test-app.js';

/**
 * POST /bookings/:id/cancel calls the provider outside any database transaction: the intent
 * (the quote marked used) is committed first, the result recorded after. These tests replace the
 * sandbox's `cancel` to look at the database while the provider call is running.
 */
describe('bookings: cancellation calls the provider outside the transaction', () => {
  let ctx: TestApp;
  let user: TestUser;
  let traveler: string;
  let sandbox: BookingProvider;
  let originalCancel: BookingProvider['cancel'];

  const book = (): Promise<string> => bookHotel(ctx, user, traveler);
  const quote = (bookingId: string): Promise<string> => cancellationQuote(ctx, user, bookingId);
  const cancel = (bookingId: string, quoteId: string): Promise<Response> =>
    cancelBooking(ctx, user, bookingId, quoteId);
  const ledger = (bookingId: string): Promise<string[]> => ledgerKinds(ctx, bookingId);

  /** What another connection sees of the booking and the quote while the provider runs. */
  async function observe(bookingId: string, quoteId: string) {
    const [row] = (await ctx.dataSource.query(
      `SELECT b.status, q.used_at IS NOT NULL AS "intentCommitted"
         FROM bookings b JOIN booking_cancellation_quotes q ON q.booking_id = b.id
        WHERE b.id = $1 AND q.id = $2`,
      [bookingId, quoteId],
    )) as { status: string; intentCommitted: boolean }[];
    // NOWAIT fails at once (55P03) when a transaction still holds the booking's row lock.
    const rowLockFree = await ctx.dataSource
      .query('SELECT id FROM bookings WHERE id = $1 FOR UPDATE NOWAIT', [bookingId])
      .then(
        () => true,
        () => false,
      );
    return { ...row, rowLockFree };
  }

  beforeAll(async () => {
    ctx = await createTestApp();
    ({ user, traveler } = await createBookingUser(ctx));
    sandbox = ctx.app.get(BookingProviderRegistry).get('sandbox');
    originalCancel = sandbox.cancel.bind(sandbox);
  });

  afterEach(() => {
    sandbox.cancel = originalCancel;
  });

  afterAll(async () => {
    await ctx.close();
  });

  it('while the provider cancels, the intent is committed and no row lock is held; concurrent cancels → 409, one provider call, one refund', async () => {
    const bookingId = await book();
    const quoteId = await quote(bookingId);
    const otherQuote = await quote(bookingId);
    const calls: unknown[] = [];
    let seen: Awaited<ReturnType<typeof observe>> | undefined;
    let competing: Response[] = [];
    sandbox.cancel = async (input) => {
      calls.push(input);
      if (calls.length === 1) {
        seen = await observe(bookingId, quoteId);
        // Only without a held lock: otherwise the competitors would wait for this very call.
        if (seen.rowLockFree) {
          competing = await Promise.all([
            ...Array.from({ length: 4 }, () => cancel(bookingId, quoteId)),
            cancel(bookingId, otherQuote),
            cancel(bookingId, otherQuote),
          ]);
        }
      }
      return originalCancel(input);
    };

    const response = await cancel(bookingId, quoteId);
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ status: 'cancelled', version: 2 });
    expect(seen).toEqual({ status: 'confirmed', intentCommitted: true, rowLockFree: true });
    expect(competing.map((item) => [item.status, item.body.code])).toEqual([
      ...Array.from({ length: 4 }, () => [409, 'CANCELLATION_IN_PROGRESS']),
      [409, 'CANCELLATION_IN_PROGRESS'],
      [409, 'CANCELLATION_IN_PROGRESS'],
    ]);
    expect(calls).toHaveLength(1);
    expect(await ledger(bookingId)).toEqual(['charge', 'refund']);
    // Once recorded, the other quote meets a cancelled booking.
    const late = await cancel(bookingId, otherQuote);
    expect([late.status, late.body.code]).toEqual([409, 'ILLEGAL_BOOKING_TRANSITION']);
  });

  it('10 concurrent cancels with one quote → one 200, one provider call, one refund', async () => {
    const bookingId = await book();
    const quoteId = await quote(bookingId);
    let calls = 0;
    sandbox.cancel = (input) => {
      calls += 1;
      return originalCancel(input);
    };
    const responses = await Promise.all(
      Array.from({ length: 10 }, () => cancel(bookingId, quoteId)),
    );
    const statuses = responses.map((response) => response.status).sort();
    expect(statuses).toEqual([200, ...Array.from({ length: 9 }, () => 409)]);
    // During the cancel: in progress; after it was recorded: cancelling twice.
    for (const response of responses.filter((item) => item.status === 409)) {
      expect(['CANCELLATION_IN_PROGRESS', 'ILLEGAL_BOOKING_TRANSITION']).toContain(
        response.body.code,
      );
    }
    expect(calls).toBe(1);
    expect(await ledger(bookingId)).toEqual(['charge', 'refund']);
  });

  it('a provider failure releases the claim: the same quote then cancels', async () => {
    const bookingId = await book();
    const quoteId = await quote(bookingId);
    sandbox.cancel = () => Promise.reject(unprocessable('PROVIDER_DECLINED', 'Try again.'));
    const failed = await cancel(bookingId, quoteId);
    expect([failed.status, failed.body.code]).toEqual([422, 'PROVIDER_DECLINED']);
    expect(await ledger(bookingId)).toEqual(['charge']);
    sandbox.cancel = originalCancel;
    const retried = await cancel(bookingId, quoteId);
    expect(retried.status).toBe(200);
    expect(await ledger(bookingId)).toEqual(['charge', 'refund']);
  });

  it('a claim left by a crashed request blocks other cancels only for its lease', async () => {
    const bookingId = await book();
    const crashed = await quote(bookingId);
    const fresh = await quote(bookingId);
    await ctx.dataSource.query(
      `UPDATE booking_cancellation_quotes SET used_at = now() WHERE id = $1`,
      [crashed],
    );
    const blocked = await cancel(bookingId, fresh);
    expect([blocked.status, blocked.body.code]).toEqual([409, 'CANCELLATION_IN_PROGRESS']);
    await ctx.dataSource.query(
      `UPDATE booking_cancellation_quotes SET used_at = now() - interval '6 minutes' WHERE id = $1`,
      [crashed],
    );
    const taken = await cancel(bookingId, fresh);
    expect(taken.status).toBe(200);
    expect(await ledger(bookingId)).toEqual(['charge', 'refund']);
  });
});
