import { Agent, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createTestApp, type TestApp } from '../utils/test-app.js';

interface RawAnswer {
  status: number;
  contentType: string;
  body: string;
}

/** One POST with a raw client that writes the whole oversized body, as a browser or curl would. */
function postRaw(port: number, path: string, body: Buffer, chunked = false): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(
      {
        host: '127.0.0.1',
        port,
        path,
        method: 'POST',
        agent: false,
        headers: {
          'content-type': 'application/json',
          ...(chunked ? {} : { 'content-length': String(body.length) }),
        },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            contentType: String(response.headers['content-type']),
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        response.on('error', reject);
      },
    );
    // A reset after the answer arrived is harmless; a reset before it is the bug under test.
    request.on('error', reject);
    if (!chunked) {
      request.end(body);
      return;
    }
    // Streamed in pieces without a declared length: the limit is found while reading.
    let offset = 0;
    const writeMore = (): void => {
      while (offset < body.length) {
        const piece = body.subarray(offset, offset + 16_384);
        offset += piece.length;
        if (!request.write(piece)) {
          request.once('drain', writeMore);
          return;
        }
      }
      request.end();
    };
    writeMore();
  });
}

/** One request on `agent`: the status, the Connection header and whether the socket was reused. */
function onAgent(
  agent: Agent,
  port: number,
  method: string,
  path: string,
  body?: Buffer,
): Promise<{ status: number; connection: string | undefined; reusedSocket: boolean }> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(
      {
        host: '127.0.0.1',
        port,
        path,
        method,
        agent,
        headers: body
          ? { 'content-type': 'application/json', 'content-length': String(body.length) }
          : {},
      },
      (response) => {
        response.resume();
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            connection: response.headers.connection,
            reusedSocket: request.reusedSocket,
          }),
        );
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

describe('an oversized JSON body gets a readable 413, never a connection reset', () => {
  let ctx: TestApp;
  let port: number;

  beforeAll(async () => {
    ctx = await createTestApp({ env: { BODY_LIMIT_BYTES: '65536' } });
    const server = ctx.app.getHttpServer() as Server;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });

  afterAll(async () => {
    await ctx.close();
  });

  it('20 times in a row: a body over BODY_LIMIT_BYTES is answered 413 PAYLOAD_TOO_LARGE (problem JSON)', async () => {
    const json = Buffer.from(
      JSON.stringify({ email: 'a@example.test', password: 'x'.repeat(8_000_000) }),
    );
    for (let i = 0; i < 20; i += 1) {
      const answer = await postRaw(port, '/api/v1/auth/login', json, i % 2 === 1);
      expect(answer.status).toBe(413);
      expect(answer.contentType).toMatch(/application\/problem\+json/);
      expect(JSON.parse(answer.body)).toMatchObject({ status: 413, code: 'PAYLOAD_TOO_LARGE' });
    }
  });

  // What makes the answer readable: under the drain cap the server keeps the connection (Node
  // reads and discards the rest of the body) instead of closing a socket with unread data, whose
  // reset can arrive before the 413. Fastify's default is `Connection: close`.
  it('under the drain cap the 413 keeps the connection: the next request reuses the socket', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const oversized = Buffer.from(JSON.stringify({ password: 'x'.repeat(1_000_000) }));
      const refused = await onAgent(agent, port, 'POST', '/api/v1/auth/login', oversized);
      expect(refused.status).toBe(413);
      expect(refused.connection).not.toBe('close');
      const next = await onAgent(agent, port, 'GET', '/api/v1/health/live');
      expect(next).toMatchObject({ status: 200, reusedSocket: true });
    } finally {
      agent.destroy();
    }
  });

  it('over the drain cap (declared length) the 413 closes the connection', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      // 64 KiB limit → cap 16 MiB; only the declared length matters, the body is never read.
      const huge = Buffer.alloc(17 * 1024 * 1024, 0x20);
      const refused = await onAgent(agent, port, 'POST', '/api/v1/auth/login', huge).catch(
        (error: NodeJS.ErrnoException) => ({ status: 0, connection: 'close', code: error.code }),
      );
      expect(refused.connection).toBe('close');
    } finally {
      agent.destroy();
    }
  });
});
