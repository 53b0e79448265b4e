import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { SandboxEventSender } from '#modules/bookings/providers/sandbox-event-sender.js';
import { createBookingUser, hotelBookingBody, ledgerKinds } from '../factories/bookings.js';
import type { TestUser } from '../factories/users.js';
import { createTestApp, type TestApp } from '../utils/test-app.js';

const SECRET = 'sandbox-push-secret-0123456789';
const EVENTS_PATH = '/api/v1/providers/sandbox/events';

/** What the network between the sandbox and the app did to one delivery. */
interface Delivery {
  id: string;
  answered: number;
  /** Whether the request reached the app. */
  forwarded: boolean;
  /** The app's receipt said it had this event id already. */
  duplicate?: boolean;
}

/** How the network treats the next deliveries (then it passes them through). */
type Fault = 'unavailable' | 'answer-lost';

function readBody(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

/**
 * The sandbox provider pushing its own signed events to the app over real HTTP (the app listens
 * on a port; a small relay in front of it can fail deliveries), with the status sync off: pending
 * sandbox bookings settle only through the webhook.
 */
describe('booking lifecycle: the sandbox sends its events to the webhook', () => {
  let ctx: TestApp;
  let user: TestUser;
  let traveler: string;
  let sender: SandboxEventSender;
  let relay: Server;
  let appUrl = '';
  const deliveries: Delivery[] = [];
  const faults: Fault[] = [];

  /** The delivery passed on to the app as it came (no keep-alive: nothing left open). */
  function forward(
    request: IncomingMessage,
    body: Buffer,
  ): Promise<{ status: number; body: Buffer }> {
    return new Promise((resolve, reject) => {
      const outgoing = httpRequest(
        `${appUrl}${request.url}`,
        {
          method: 'POST',
          agent: false,
          headers: {
            'content-type': request.headers['content-type'] ?? '',
            'pathavana-signature': String(request.headers['pathavana-signature'] ?? ''),
          },
        },
        (incoming) => {
          void readBody(incoming).then(
            (answer) => resolve({ status: incoming.statusCode ?? 0, body: answer }),
            reject,
          );
        },
      );
      outgoing.on('error', reject);
      outgoing.end(body);
    });
  }

  beforeAll(async () => {
    // The relay is the URL the sandbox is configured with; it forwards to the app once listening.
    relay = createServer((request, response) => {
      void (async () => {
        const body = await readBody(request);
        const id = (JSON.parse(body.toString('utf8')) as { id: string }).id;
        const fault = faults.shift();
        if (fault === 'unavailable') {
          deliveries.push({ id, answered: 503, forwarded: false });
          response.writeHead(503, { connection: 'close' }).end();
          return;
        }
        const forwarded = await forward(request, body);
        const answer = forwarded.body;
        // The app applied it, but its answer is lost on the way back: the sandbox must resend.
        const status = fault === 'answer-lost' ? 502 : forwarded.status;
        const receipt =
          forwarded.status === 200
            ? (JSON.parse(answer.toString('utf8')) as { duplicate: boolean })
            : null;
        deliveries.push({
          id,
          answered: status,
          forwarded: true,
          ...(receipt ? { duplicate: receipt.duplicate } : {}),
        });
        response
          .writeHead(status, { 'content-type': 'application/json', connection: 'close' })
          .end(answer);
      })();
    });
    await new Promise<void>((resolve) => relay.listen(0, '127.0.0.1', resolve));
    const { port } = relay.address() as AddressInfo;
    ctx = await createTestApp({
      env: {
        PROVIDER_WEBHOOK_SECRET_SANDBOX: SECRET,
        SANDBOX_PROVIDER_EVENTS_URL: `http://127.0.0.1:${port}${EVENTS_PATH}`,
      },
    });
    await ctx.app.listen(0, '127.0.0.1');
    const address = ctx.app.getHttpServer().address() as AddressInfo;
    appUrl = `http://127.0.0.1:${address.port}`;
    ({ user, traveler } = await createBookingUser(ctx));
    sender = ctx.app.get(SandboxEventSender);
  });

  afterAll(async () => {
    // Keep-alive connections of the relay's forwards would hold the app's server open.
    (ctx?.app.getHttpServer() as Server | undefined)?.closeAllConnections();
    await ctx?.close();
    if (relay) {
      relay.closeAllConnections();
      await new Promise<void>((resolve) => relay.close(() => resolve()));
    }
  });

  beforeEach(() => {
    deliveries.length = 0;
    faults.length = 0;
  });

  async function bookPending(
    resolveTo: 'confirm' | 'fail',
  ): Promise<{ id: string; reference: string; ref: string }> {
    const response = await ctx
      .http()
      .post('/api/v1/bookings')
      .set(user.authHeader)
      .set('Idempotency-Key', randomUUID())
      .send(
        hotelBookingBody(
          [traveler],
          {},
          {
            providerOptions: { outcome: 'pending', resolveTo, resolveAfterSeconds: 0 },
          },
        ),
      );
    expect(response.status).toBe(201);
    expect(response.body.status).toBe('pending');
    const [row] = (await ctx.dataSource.query(
      'SELECT provider_reference AS ref FROM bookings WHERE id = $1',
      [response.body.id],
    )) as { ref: string }[];
    return {
      id: response.body.id as string,
      reference: response.body.reference as string,
      ref: row!.ref,
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

  const providerEvents = async (bookingId: string) =>
    (await ctx.dataSource.query(
      'SELECT event_id AS "eventId", type, outcome FROM booking_provider_events WHERE booking_id = $1',
      [bookingId],
    )) as { eventId: string; type: string; outcome: string }[];

  function mailsAbout(reference: string): string[] {
    let files: string[];
    try {
      files = readdirSync(ctx.mailOutbox).filter((file) => file.endsWith('.eml'));
    } catch {
      files = [];
    }
    return files
      .map((file) => readFileSync(join(ctx.mailOutbox, file), 'utf8'))
      .filter((mail) => mail.includes(`\r\nTo: ${user.email}\r\n`) && mail.includes(reference));
  }

  it('runs with the status sync off', () => {
    expect(ctx.config.BOOKING_STATUS_SYNC_SECONDS).toBe(0);
    expect(sender.enabled).toBe(true);
  });

  it('a pending booking (resolveTo confirm) is confirmed through the signed webhook, and mailed', async () => {
    const booking = await bookPending('confirm');
    await sender.idle();
    expect(await show(booking.id)).toMatchObject({ status: 'confirmed', paymentStatus: 'paid' });
    expect((await show(booking.id)).confirmationCode).toEqual(expect.any(String));
    expect(await timeline(booking.id)).toEqual([
      'user:booking.created',
      'provider:booking.confirmed',
    ]);
    expect(await ledgerKinds(ctx, booking.id)).toEqual(['charge']);
    expect(await providerEvents(booking.id)).toEqual([
      {
        eventId: `evt_sbx_${booking.ref}_confirmed`,
        type: 'booking.confirmed',
        outcome: 'applied',
      },
    ]);
    const ours = deliveries.filter((entry) => entry.id === `evt_sbx_${booking.ref}_confirmed`);
    expect(ours.at(-1)).toMatchObject({ answered: 200, forwarded: true });
    expect(mailsAbout(booking.reference).join()).toMatch(/is confirmed/);
  });

  it('a pending booking (resolveTo fail) fails through the webhook, and the owner is told', async () => {
    const booking = await bookPending('fail');
    await sender.idle();
    expect(await show(booking.id)).toMatchObject({ status: 'failed', paymentStatus: 'failed' });
    expect(await timeline(booking.id)).toEqual(['user:booking.created', 'provider:booking.failed']);
    expect(await ledgerKinds(ctx, booking.id)).toEqual([]);
    expect(mailsAbout(booking.reference).join()).toMatch(/could not be completed/);
  });

  it('a delivery the app cannot take (503) is retried until it lands', async () => {
    faults.push('unavailable');
    const booking = await bookPending('confirm');
    await sender.idle();
    const id = `evt_sbx_${booking.ref}_confirmed`;
    const ours = deliveries.filter((entry) => entry.id === id);
    expect(ours[0]).toEqual({ id, answered: 503, forwarded: false });
    expect(ours.length).toBeGreaterThanOrEqual(2);
    expect(ours.at(-1)).toMatchObject({ answered: 200, forwarded: true });
    expect(await show(booking.id)).toMatchObject({ status: 'confirmed' });
    expect(await timeline(booking.id)).toEqual([
      'user:booking.created',
      'provider:booking.confirmed',
    ]);
  });

  it('a delivery whose answer is lost is sent again: applied once (deduplicated by event id)', async () => {
    // The answers of the first three deliveries are lost (the first may also beat the booking's
    // commit: 404), so the event reaches the app again after it was applied.
    faults.push('answer-lost', 'answer-lost', 'answer-lost');
    const booking = await bookPending('confirm');
    await sender.idle();
    const id = `evt_sbx_${booking.ref}_confirmed`;
    const ours = deliveries.filter((entry) => entry.id === id);
    expect(ours.filter((entry) => entry.duplicate === false)).toHaveLength(1);
    expect(ours.some((entry) => entry.duplicate === true)).toBe(true);
    expect(ours.at(-1)).toMatchObject({ answered: 200, duplicate: true });
    expect(await providerEvents(booking.id)).toHaveLength(1);
    expect(await ledgerKinds(ctx, booking.id)).toEqual(['charge']);
    expect(await timeline(booking.id)).toEqual([
      'user:booking.created',
      'provider:booking.confirmed',
    ]);
    expect(mailsAbout(booking.reference).filter((mail) => /is confirmed/.test(mail))).toHaveLength(
      1,
    );
  });
});
