import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it, jest } from '@jest/globals';
import type { Response } from 'supertest';
import { BookingProviderRegistry } from '#modules/bookings/booking-provider.registry.js';
import { BookingCancellationService } from '#modules/bookings/cancellation/booking-cancellation.service.js';
import { CancellationReconciler } from '#modules/bookings/cancellation/cancellation-reconciler.js';
import type { BookingProvider } from '#modules/bookings/providers/booking-provider.js';
import {
  bookHotel,
  cancelBooking,
  cancellationQuote,
  createBookingUser,
  hotelBookingBody,
  ledgerKinds,
} from '../factories/bookings.js';
import type { TestUser } from '../factories/users.js';
import { createTestApp, type TestApp } from '../utils/test-app.js';

/** The private step 3 of a cancel, made to fail as a database blip would. */
type Recording = { recordCancellation: (...args: unknown[]) => Promise<unknown> };

/**
 * A cancel whose provider call ran but whose record step failed (crash, database blip) leaves the
 * quote used and the booking uncancelled while the provider has refunded. Reconciliation asks the
 * provider and records the cancellation, or frees the quote when the provider never cancelled.
 */
describe('bookings: cancellation reconciliation', () => {
  let ctx: TestApp;
  let user: TestUser;
  let traveler: string;
  let sandbox: BookingProvider;
  let reconciler: CancellationReconciler;
  let originalCancel: BookingProvider['cancel'];

  const book = (): Promise<string> => bookHotel(ctx, user, traveler);
  const quote = (bookingId: string): Promise<string> => cancellationQuote(ctx, user, bookingId);
  const cancel = (bookingId: string, quoteId: string): Promise<Response> =>
    cancelBooking(ctx, user, bookingId, quoteId);
  const ledger = (bookingId: string): Promise<string[]> => ledgerKinds(ctx, bookingId);
  const row = async (bookingId: string) =>
    (
      (await ctx.dataSource.query(
        'SELECT status, version, provider_reference AS "providerReference" FROM bookings WHERE id = $1',
        [bookingId],
      )) as { status: string; version: number; providerReference: string }[]
    )[0];
  const auditActions = async (bookingId: string): Promise<string[]> =>
    (
      (await ctx.dataSource.query(
        `SELECT action FROM audit_events WHERE resource_id = $1 AND action LIKE 'booking.cancellation.%'`,
        [bookingId],
      )) as { action: string }[]
    ).map((event) => event.action);
  /** The next record step throws, after the provider has cancelled. */
  const failNextRecord = () =>
    jest
      .spyOn(ctx.app.get(BookingCancellationService) as unknown as Recording, 'recordCancellation')
      .mockRejectedValueOnce(new Error('Connection terminated unexpectedly'));
  const countProviderCancels = (): { calls: number } => {
    const counter = { calls: 0 };
    sandbox.cancel = (input) => {
      counter.calls += 1;
      return originalCancel(input);
    };
    return counter;
  };

  beforeAll(async () => {
    // The default period (300 s): its timer does not fire while these tests run.
    ctx = await createTestApp();
    ({ user, traveler } = await createBookingUser(ctx));
    sandbox = ctx.app.get(BookingProviderRegistry).get('sandbox');
    originalCancel = sandbox.cancel.bind(sandbox);
    reconciler = ctx.app.get(CancellationReconciler);
  });

  afterEach(() => {
    sandbox.cancel = originalCancel;
    jest.restoreAllMocks();
  });

  afterAll(async () => {
    await ctx.close();
  });

  it('record fails after the provider cancelled → 409, not 5xx; two concurrent reconciliations → one refund, audited', async () => {
    const bookingId = await book();
    const quoteId = await quote(bookingId);
    failNextRecord();
    const failed = await cancel(bookingId, quoteId);
    expect([failed.status, failed.body.code]).toEqual([409, 'CANCELLATION_IN_PROGRESS']);
    const { providerReference } = (await row(bookingId)) ?? { providerReference: '' };
    // The hole: the provider has cancelled, our ledger has not.
    expect((await sandbox.status(providerReference)).state).toBe('cancelled');
    expect(await ledger(bookingId)).toEqual(['charge']);
    expect(await row(bookingId)).toMatchObject({ status: 'confirmed', version: 1 });

    // Both runs have found the claim and asked the provider before either records (a barrier).
    const originalStatus = sandbox.status.bind(sandbox);
    let arrived = 0;
    let openBarrier: () => void = () => undefined;
    const barrier = new Promise<void>((resolve) => {
      openBarrier = resolve;
    });
    sandbox.status = async (reference) => {
      arrived += 1;
      if (arrived === 2) openBarrier();
      await barrier;
      return originalStatus(reference);
    };
    const runs = await Promise.all([reconciler.reconcile(), reconciler.reconcile()]).finally(() => {
      sandbox.status = originalStatus;
    });
    expect(arrived).toBe(2);
    expect(runs.reduce((sum, run) => sum + run.recorded, 0)).toBe(1);
    expect(runs.reduce((sum, run) => sum + run.released, 0)).toBe(0);
    expect(await ledger(bookingId)).toEqual(['charge', 'refund']);
    expect(await row(bookingId)).toMatchObject({ status: 'cancelled', version: 2 });
    expect(await auditActions(bookingId)).toEqual(['booking.cancellation.reconciled']);
    const again = await reconciler.reconcile({ bookingId });
    expect(again).toEqual({ recorded: 0, released: 0, skipped: 0, unresolved: 0 });

    // Settled by the job before the client retried: the booking is cancelled, so a retry is a
    // second cancel (409), and nothing is refunded twice.
    const retried = await cancel(bookingId, quoteId);
    expect([retried.status, retried.body.code]).toEqual([409, 'ILLEGAL_BOOKING_TRANSITION']);
    expect(await ledger(bookingId)).toEqual(['charge', 'refund']);
  });

  it('a client retry with the same quote settles a failed record at once: 200, one provider call, one refund', async () => {
    const bookingId = await book();
    const quoteId = await quote(bookingId);
    const provider = countProviderCancels();
    failNextRecord();
    expect((await cancel(bookingId, quoteId)).status).toBe(409);
    const retries = await Promise.all([cancel(bookingId, quoteId), cancel(bookingId, quoteId)]);
    // A retry that settles it (or finds it settled by the other retry it raced) gets the cancelled
    // booking; one that arrives after the other recorded it is a second cancel.
    expect(retries.some((retry) => retry.status === 200)).toBe(true);
    for (const retry of retries) {
      if (retry.status === 200) {
        expect(retry.body).toMatchObject({ status: 'cancelled', version: 2 });
      } else {
        expect([retry.status, retry.body.code]).toEqual([409, 'ILLEGAL_BOOKING_TRANSITION']);
      }
    }
    expect(provider.calls).toBe(1);
    expect(await ledger(bookingId)).toEqual(['charge', 'refund']);
  });

  it('a claim whose request crashed before the provider call is freed; the quote then cancels', async () => {
    const bookingId = await book();
    const quoteId = await quote(bookingId);
    // The state such a crash leaves: the quote claimed long enough ago, nothing at the provider.
    await ctx.dataSource.query(
      `UPDATE booking_cancellation_quotes SET used_at = now() - interval '6 minutes' WHERE id = $1`,
      [quoteId],
    );
    expect(reconciler.scheduled).toBe(true);
    const now = new Date();
    const run = await reconciler.scheduledRun(now);
    expect(run).toEqual({ ran: true, result: expect.objectContaining({ released: 1 }) });
    // Once per period across instances: the same period does not run again.
    expect(await reconciler.scheduledRun(now)).toEqual({ ran: false });
    const [quoteRow] = (await ctx.dataSource.query(
      'SELECT used_at FROM booking_cancellation_quotes WHERE id = $1',
      [quoteId],
    )) as { used_at: Date | null }[];
    expect(quoteRow?.used_at).toBeNull();
    expect(await ledger(bookingId)).toEqual(['charge']);
    expect(await auditActions(bookingId)).toEqual(['booking.cancellation.released']);
    const cancelled = await cancel(bookingId, quoteId);
    expect(cancelled.status).toBe(200);
    expect(await ledger(bookingId)).toEqual(['charge', 'refund']);
  });

  it('a claim within its lease is left alone (its request may still be running)', async () => {
    const bookingId = await book();
    const quoteId = await quote(bookingId);
    await ctx.dataSource.query(
      `UPDATE booking_cancellation_quotes SET used_at = now() WHERE id = $1`,
      [quoteId],
    );
    expect(await reconciler.reconcile({ bookingId })).toEqual({
      recorded: 0,
      released: 0,
      skipped: 0,
      unresolved: 0,
    });
    const retry = await cancel(bookingId, quoteId);
    expect([retry.status, retry.body.code]).toEqual([409, 'CANCELLATION_IN_PROGRESS']);
    expect(await row(bookingId)).toMatchObject({ status: 'confirmed' });
  });

  it('a booking the provider does not know stays unresolved (neither recorded nor freed)', async () => {
    const bookingId = await book();
    const quoteId = await quote(bookingId);
    await ctx.dataSource.query(
      `UPDATE bookings SET provider_reference = 'SBX-NEVER-BOOKED' WHERE id = $1`,
      [bookingId],
    );
    await ctx.dataSource.query(
      `UPDATE booking_cancellation_quotes SET used_at = now() - interval '6 minutes' WHERE id = $1`,
      [quoteId],
    );
    expect(await reconciler.reconcile({ bookingId })).toMatchObject({ unresolved: 1 });
    expect(await ledger(bookingId)).toEqual(['charge']);
    const retry = await cancel(bookingId, quoteId);
    expect([retry.status, retry.body.code]).toEqual([409, 'CANCELLATION_IN_PROGRESS']);
  });

  it('a provider cancel with no answer (it cancelled, the reply was lost) → 409; the retry settles it: 200, one refund', async () => {
    const bookingId = await book();
    const quoteId = await quote(bookingId);
    sandbox.cancel = async (input) => {
      await originalCancel(input);
      throw new Error('socket hang up');
    };
    const first = await cancel(bookingId, quoteId);
    expect([first.status, first.body.code]).toEqual([409, 'CANCELLATION_IN_PROGRESS']);
    expect(await ledger(bookingId)).toEqual(['charge']);
    sandbox.cancel = originalCancel;
    const retried = await cancel(bookingId, quoteId);
    expect(retried.status).toBe(200);
    expect(retried.body).toMatchObject({ status: 'cancelled', version: 2 });
    expect(await ledger(bookingId)).toEqual(['charge', 'refund']);
    expect(await auditActions(bookingId)).toEqual(['booking.cancellation.reconciled']);
  });

  it('a provider cancel with no answer that did not cancel → 409; the retry frees the claim and cancels once', async () => {
    const bookingId = await book();
    const quoteId = await quote(bookingId);
    sandbox.cancel = async () => {
      throw new Error('ETIMEDOUT');
    };
    expect((await cancel(bookingId, quoteId)).status).toBe(409);
    const provider = countProviderCancels();
    const retried = await cancel(bookingId, quoteId);
    expect(retried.status).toBe(200);
    expect(provider.calls).toBe(1);
    expect(await ledger(bookingId)).toEqual(['charge', 'refund']);
  });

  it('the pool times out before the booking transaction begins → 503, and the provider booking is cancelled', async () => {
    const originalBook = sandbox.book.bind(sandbox);
    const originalTransaction = ctx.dataSource.transaction.bind(ctx.dataSource);
    const booked: string[] = [];
    let armed = false;
    sandbox.book = async (...args) => {
      const result = await originalBook(...args);
      booked.push(result.providerReference ?? '');
      armed = true;
      return result;
    };
    jest.spyOn(ctx.dataSource, 'transaction').mockImplementation(((...args: unknown[]) => {
      if (armed) {
        armed = false;
        return Promise.reject(new Error('timeout exceeded when trying to connect'));
      }
      return (originalTransaction as (...rest: unknown[]) => Promise<unknown>)(...args);
    }) as typeof ctx.dataSource.transaction);
    try {
      const response = await ctx
        .http()
        .post('/api/v1/bookings')
        .set(user.authHeader)
        .set('Idempotency-Key', randomUUID())
        .send(hotelBookingBody([traveler]));
      expect([response.status, response.body.code]).toEqual([503, 'DATABASE_UNAVAILABLE']);
    } finally {
      sandbox.book = originalBook;
    }
    expect(booked).toHaveLength(1);
    const [{ count }] = await ctx.dataSource.query(
      'SELECT count(*)::int AS count FROM bookings WHERE provider_reference = $1',
      [booked[0]],
    );
    expect(count).toBe(0);
    // Nothing recorded here, so nothing may stay booked (and charged) at the provider.
    expect((await sandbox.status(booked[0] ?? '')).state).toBe('cancelled');
  });
});
