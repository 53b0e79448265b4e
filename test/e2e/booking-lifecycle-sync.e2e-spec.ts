import { createHmac, randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { CancellationReconciler } from '#modules/bookings/cancellation/cancellation-reconciler.js';
import { BookingStatusSync } from '#modules/bookings/lifecycle/booking-status-sync.js';
import type { ProviderCancellationInput } from '#modules/bookings/providers/booking-provider.js';
import { SandboxBookingProvider } from '#modules/bookings/providers/sandbox.provider.js';
import {
  cancelBooking,
  cancellationQuote,
  createBookingUser,
  daysFromNow,
  hotelBookingBody,
  ledgerKinds,
} from '../factories/bookings.js';
import type { TestUser } from '../factories/users.js';
import { createTestApp, type TestApp } from '../utils/test-app.js';

const SECRET = 'sync-webhook-secret-0123456789';
const HOUR = 3600 * 1000;
const DAY = 24 * HOUR;

/**
 * The scheduled side of a booking's life (status sync, expiry, completion, each called directly
 * with an explicit clock) and the owner's mails (read from the .eml outbox).
 */
describe('booking lifecycle: status sync, expiry, completion, mails', () => {
  let ctx: TestApp;
  let user: TestUser;
  let traveler: string;
  let jobs: BookingStatusSync;

  beforeAll(async () => {
    ctx = await createTestApp({
      env: { PROVIDER_WEBHOOK_SECRET: SECRET, BOOKING_STATUS_SYNC_SECONDS: '60' },
    });
    ({ user, traveler } = await createBookingUser(ctx));
    jobs = ctx.app.get(BookingStatusSync);
  });

  afterAll(async () => {
    await ctx?.close();
  });

  async function book(
    providerOptions: Record<string, unknown>,
    details: Record<string, unknown> = {},
  ): Promise<{
    id: string;
    ref: string;
    reference: string;
    deadline: Date | null;
  }> {
    const response = await ctx
      .http()
      .post('/api/v1/bookings')
      .set(user.authHeader)
      .set('Idempotency-Key', randomUUID())
      .send(hotelBookingBody([traveler], details, { providerOptions }));
    expect(response.status).toBe(201);
    const [row] = (await ctx.dataSource.query(
      'SELECT provider_reference AS ref, booking_deadline AS deadline FROM bookings WHERE id = $1',
      [response.body.id],
    )) as { ref: string; deadline: Date | null }[];
    return {
      id: response.body.id as string,
      reference: response.body.reference as string,
      ref: row!.ref,
      deadline: row!.deadline,
    };
  }

  const show = async (id: string): Promise<Record<string, unknown>> => {
    const response = await ctx.http().get(`/api/v1/bookings/${id}`).set(user.authHeader);
    expect(response.status).toBe(200);
    return response.body as Record<string, unknown>;
  };

  const timeline = async (id: string): Promise<string[]> =>
    ((await show(id)).events as { type: string; source: string }[]).map(
      (entry) => `${entry.source}:${entry.type}`,
    );

  async function deliver(body: Record<string, unknown>): Promise<number> {
    const raw = JSON.stringify(body);
    const t = Math.floor(Date.now() / 1000);
    const v1 = createHmac('sha256', SECRET).update(`${t}.${raw}`).digest('hex');
    const response = await ctx
      .http()
      .post('/api/v1/providers/sandbox/events')
      .set('Content-Type', 'application/json')
      .set('Pathavana-Signature', `t=${t},v1=${v1}`)
      .send(raw);
    return response.status;
  }

  const providerEvent = (ref: string, type: string, data?: Record<string, unknown>) => ({
    id: `evt_${randomUUID()}`,
    type,
    providerReference: ref,
    occurredAt: new Date().toISOString(),
    ...(data ? { data } : {}),
  });

  /** Every mail to the user about `reference`. */
  function mailsAbout(reference: string): string[] {
    let files: string[];
    try {
      files = readdirSync(ctx.mailOutbox).filter((file) => file.endsWith('.eml'));
    } catch {
      files = [];
    }
    return files
      .sort()
      .map((file) => readFileSync(join(ctx.mailOutbox, file), 'utf8'))
      .filter((mail) => mail.includes(`\r\nTo: ${user.email}\r\n`) && mail.includes(reference));
  }

  describe('status sync', () => {
    it('settles sandbox pending bookings per resolveTo once resolveAfterSeconds passed', async () => {
      const toConfirm = await book({
        outcome: 'pending',
        resolveTo: 'confirm',
        resolveAfterSeconds: 0,
      });
      const toFail = await book({ outcome: 'pending', resolveTo: 'fail', resolveAfterSeconds: 0 });
      const later = await book({
        outcome: 'pending',
        resolveTo: 'confirm',
        resolveAfterSeconds: 3600,
      });
      const never = await book({ outcome: 'pending' });

      const now = new Date();
      const first = await jobs.sync(now);
      expect(first).toMatchObject({ confirmed: 1, failed: 1, expired: 0 });
      expect(await show(toConfirm.id)).toMatchObject({
        status: 'confirmed',
        paymentStatus: 'paid',
      });
      expect((await show(toConfirm.id)).confirmationCode).toEqual(expect.any(String));
      expect(await ledgerKinds(ctx, toConfirm.id)).toEqual(['charge']);
      expect(await timeline(toConfirm.id)).toEqual([
        'user:booking.created',
        'system:booking.confirmed',
      ]);
      expect(await show(toFail.id)).toMatchObject({ status: 'failed', paymentStatus: 'failed' });
      expect(await ledgerKinds(ctx, toFail.id)).toEqual([]);
      expect(await show(later.id)).toMatchObject({
        status: 'pending',
        paymentStatus: 'processing',
      });
      expect(await show(never.id)).toMatchObject({ status: 'pending' });

      // An hour later the third settles; the fourth (no resolveTo) stays pending.
      const second = await jobs.sync(new Date(now.getTime() + HOUR + 1000));
      expect(second).toMatchObject({ confirmed: 1, failed: 0 });
      expect(await show(later.id)).toMatchObject({ status: 'confirmed', paymentStatus: 'paid' });
      expect(await show(never.id)).toMatchObject({ status: 'pending' });
      // Settled bookings are not touched again.
      expect(await jobs.sync(new Date(now.getTime() + 2 * HOUR))).toMatchObject({
        confirmed: 0,
        failed: 0,
      });
      expect(await ledgerKinds(ctx, toConfirm.id)).toEqual(['charge']);
      // The owner was told: confirmed and failed.
      expect(mailsAbout(toConfirm.reference).join()).toMatch(/is confirmed/);
      expect(mailsAbout(toFail.reference).join()).toMatch(/could not be completed/);
    });

    it('runs once per period across instances', async () => {
      const at = new Date('2031-01-01T00:00:30Z');
      expect((await jobs.scheduledSync(at)).ran).toBe(true);
      expect((await jobs.scheduledSync(new Date('2031-01-01T00:00:45Z'))).ran).toBe(false);
      expect((await jobs.scheduledSync(new Date('2031-01-01T00:01:05Z'))).ran).toBe(true);
    });

    it('a pending booking past its booking_deadline expires (payment failed, timeline)', async () => {
      const pending = await book({ outcome: 'pending' });
      expect(pending.deadline).not.toBeNull();
      const deadline = new Date(pending.deadline!).getTime();
      expect(deadline).toBeGreaterThan(Date.now());
      await jobs.sync(new Date(deadline - 1000));
      expect(await show(pending.id)).toMatchObject({ status: 'pending' });
      const result = await jobs.sync(new Date(deadline + 1000));
      expect(result.expired).toBeGreaterThanOrEqual(1);
      expect(await show(pending.id)).toMatchObject({ status: 'expired', paymentStatus: 'failed' });
      expect(await timeline(pending.id)).toEqual([
        'user:booking.created',
        'system:booking.expired',
      ]);
      // A confirmed booking has no deadline.
      const confirmed = await book({ outcome: 'confirm' });
      expect(confirmed.deadline).toBeNull();
    });
  });

  it('completion: a confirmed booking becomes completed once its travel has ended', async () => {
    const confirmed = await book({ outcome: 'confirm' });
    const travelEnd = Date.parse(`${daysFromNow(63)}T00:00:00Z`);
    await jobs.complete(new Date(travelEnd + 12 * HOUR));
    expect(await show(confirmed.id)).toMatchObject({ status: 'confirmed' });
    const completed = await jobs.complete(new Date(travelEnd + DAY + HOUR));
    expect(completed).toBeGreaterThanOrEqual(1);
    expect(await show(confirmed.id)).toMatchObject({ status: 'completed', paymentStatus: 'paid' });
    expect(await timeline(confirmed.id)).toEqual([
      'user:booking.created',
      'provider:booking.confirmed',
      'system:booking.completed',
    ]);
    expect((await jobs.scheduledCompletion(new Date('2032-03-03T05:00:00Z'))).ran).toBe(true);
    expect((await jobs.scheduledCompletion(new Date('2032-03-03T23:00:00Z'))).ran).toBe(false);
  });

  describe('free-cancellation deadline', () => {
    const quoteOf = async (id: string) => {
      const response = await ctx
        .http()
        .post(`/api/v1/bookings/${id}/cancellation-quote`)
        .set(user.authHeader);
      expect(response.status).toBe(201);
      return response.body as { refund: { amountMinor: number }; penalty: { amountMinor: number } };
    };

    it('is set from the policy (sandbox: 168 h before the start) and shown', async () => {
      const far = await book({ outcome: 'confirm' });
      const view = await show(far.id);
      expect(view.freeCancellationUntil).toBe(
        new Date(Date.parse(`${daysFromNow(60)}T00:00:00Z`) - 168 * HOUR).toISOString(),
      );
      const quote = await quoteOf(far.id);
      expect(quote.penalty.amountMinor).toBe(0);
      expect(quote.refund.amountMinor).toBe(
        (view.totals as { charged: { amountMinor: number } }).charged.amountMinor,
      );
    });

    it('the quote keeps no penalty before it, even where the rules alone would', async () => {
      const near = await book(
        { outcome: 'confirm' },
        { checkInDate: daysFromNow(2), checkOutDate: daysFromNow(4) },
      );
      const view = await show(near.id);
      expect(Date.parse(view.freeCancellationUntil as string)).toBeLessThan(Date.now());
      expect((await quoteOf(near.id)).penalty.amountMinor).toBeGreaterThan(0);
      // The provider granted free cancellation until later (e.g. a schedule change).
      await ctx.dataSource.query(
        `UPDATE bookings SET free_cancellation_until = now() + interval '1 hour' WHERE id = $1`,
        [near.id],
      );
      expect((await quoteOf(near.id)).penalty.amountMinor).toBe(0);
    });
  });

  describe('mails to the owner', () => {
    it('confirmed: text and HTML with the reference and travel dates, once per event id', async () => {
      const pending = await book({ outcome: 'pending' });
      const event = providerEvent(pending.ref, 'booking.confirmed', { confirmationCode: 'MAIL01' });
      expect(await deliver(event)).toBe(200);
      expect(await deliver(event)).toBe(200);
      const mails = mailsAbout(pending.reference);
      expect(mails).toHaveLength(1);
      const mail = mails[0]!;
      expect(mail).toMatch(/Subject: Your booking PTH-\w+ is confirmed/);
      expect(mail).toContain('Content-Type: multipart/alternative');
      expect(mail).toContain('Content-Type: text/plain; charset=utf-8');
      expect(mail).toContain('Content-Type: text/html; charset=utf-8');
      expect(mail).toContain(`Travel dates: ${daysFromNow(60)} to ${daysFromNow(63)}`);
      expect(mail).toContain('<td>MAIL01</td>');
      expect(mail).not.toMatch(/document|passport/i);
    });

    it('failed, cancelled by the provider, cancelled by the user, schedule changed', async () => {
      const failing = await book({ outcome: 'pending' });
      expect(await deliver(providerEvent(failing.ref, 'booking.failed'))).toBe(200);
      expect(mailsAbout(failing.reference).join()).toMatch(/could not be completed/);

      const byProvider = await book({ outcome: 'confirm' });
      expect(await deliver(providerEvent(byProvider.ref, 'booking.cancelled'))).toBe(200);
      expect(mailsAbout(byProvider.reference).join()).toMatch(/has been cancelled/);

      const byUser = await book({ outcome: 'confirm' });
      const quote = await cancellationQuote(ctx, user, byUser.id);
      expect((await cancelBooking(ctx, user, byUser.id, quote)).status).toBe(200);
      expect(mailsAbout(byUser.reference).join()).toMatch(/has been cancelled/);
      expect(await timeline(byUser.id)).toEqual([
        'user:booking.created',
        'provider:booking.confirmed',
        'user:booking.cancelled',
      ]);

      const moved = await book({ outcome: 'confirm' });
      expect(
        await deliver(
          providerEvent(moved.ref, 'booking.schedule_changed', { changes: { checkIn: '16:00' } }),
        ),
      ).toBe(200);
      expect(mailsAbout(moved.reference).join()).toMatch(/schedule of your booking/);
    });

    it('an event the state machine refuses mails nobody', async () => {
      const booking = await book({ outcome: 'pending' });
      expect(await deliver(providerEvent(booking.ref, 'booking.failed'))).toBe(200);
      expect(
        await deliver(providerEvent(booking.ref, 'booking.confirmed', { confirmationCode: 'NO' })),
      ).toBe(200);
      const mails = mailsAbout(booking.reference);
      expect(mails).toHaveLength(1);
      expect(mails[0]).toMatch(/could not be completed/);
    });
  });

  describe('a user cancel racing the status sync', () => {
    it('the sync confirms a pending booking between the cancel claim and record: cancelled, one refund, ledger balanced, both on the timeline', async () => {
      const pending = await book({
        outcome: 'pending',
        resolveTo: 'confirm',
        resolveAfterSeconds: 0,
      });
      const quoteId = await cancellationQuote(ctx, user, pending.id);
      // The provider cancel call is held until the sync has confirmed the booking.
      const sandbox = ctx.app.get(SandboxBookingProvider);
      const realCancel = sandbox.cancel.bind(sandbox);
      let reached!: () => void;
      const atProvider = new Promise<void>((resolve) => (reached = resolve));
      let release!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      let providerCancels = 0;
      const spy = jest
        .spyOn(sandbox, 'cancel')
        .mockImplementation(async (input: ProviderCancellationInput) => {
          providerCancels += 1;
          reached();
          await gate;
          return realCancel(input);
        });
      try {
        const cancelling = cancelBooking(ctx, user, pending.id, quoteId);
        await atProvider;
        // Claimed, not recorded: the sync asks the provider (still active) and confirms.
        await jobs.sync();
        expect(await show(pending.id)).toMatchObject({
          status: 'confirmed',
          paymentStatus: 'paid',
        });
        release();
        const response = await cancelling;
        expect(response.status).toBe(200);
        expect(response.body).toMatchObject({ status: 'cancelled', paymentStatus: 'refunded' });
      } finally {
        release();
        spy.mockRestore();
      }
      expect(providerCancels).toBe(1);
      const ledger = (await ctx.dataSource.query(
        `SELECT kind, amount_minor::int AS amount FROM booking_ledger WHERE booking_id = $1 ORDER BY kind`,
        [pending.id],
      )) as { kind: string; amount: number }[];
      expect(ledger.map((entry) => entry.kind)).toEqual(['charge', 'refund']);
      const [charge, refund] = ledger;
      expect(charge!.amount).toBeGreaterThan(0);
      expect(refund!.amount).toBe(charge!.amount);
      expect(await timeline(pending.id)).toEqual([
        'user:booking.created',
        'system:booking.confirmed',
        'user:booking.cancelled',
      ]);
      const [quote] = (await ctx.dataSource.query(
        'SELECT recorded_at FROM booking_cancellation_quotes WHERE id = $1',
        [quoteId],
      )) as { recorded_at: Date | null }[];
      expect(quote!.recorded_at).not.toBeNull();
      // Nothing left for reconciliation; the sync leaves the cancelled booking alone.
      const reconciled = await ctx.app.get(CancellationReconciler).reconcile({
        bookingId: pending.id,
      });
      expect(reconciled).toEqual({ recorded: 0, released: 0, skipped: 0, unresolved: 0 });
      await jobs.sync();
      expect(await ledgerKinds(ctx, pending.id)).toEqual(['charge', 'refund']);
      // The owner heard both: confirmed, then cancelled.
      const mails = mailsAbout(pending.reference).join();
      expect(mails).toMatch(/is confirmed/);
      expect(mails).toMatch(/has been cancelled/);
    });
  });
});
