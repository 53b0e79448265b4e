import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from '@jest/globals';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { pino } from 'pino';
import { pinoHttp, type Options } from 'pino-http';
import { sendProblem } from '#libs/common/errors/problem-details.filter.js';
import { redactUrl } from '#libs/common/http/redact-url.js';
import type { AppConfig } from '#config/app-config.js';
import { loggerParams } from './logging.js';

const CALLBACK =
  '/api/v1/auth/oauth/google/callback?code=4%2F0AbCdSecretCode&state=st4te-secret&scope=openid+email&iss=https%3A%2F%2Faccounts.google.com';

describe('request logging redacts secret query values', () => {
  it('pino lines of an OAuth callback carry no code or state, but keep the other parameters', () => {
    const lines: string[] = [];
    const params = loggerParams({ LOG_LEVEL: 'info' } as AppConfig);
    const http = (typeof params.pinoHttp === 'object' ? params.pinoHttp : {}) as {
      serializers: Record<string, (value: unknown) => unknown>;
    };
    const logger = pino(
      { serializers: http.serializers },
      { write: (line: string) => lines.push(line) },
    );
    logger.info({ req: { id: 'r1', method: 'GET', url: CALLBACK } }, 'request completed');
    const logged = lines.join('\n');
    expect(logged).not.toContain('SecretCode');
    expect(logged).not.toContain('st4te-secret');
    const line = JSON.parse(lines[0] as string) as { req: { url: string; path: string } };
    expect(line.req.path).toBe('/api/v1/auth/oauth/google/callback');
    expect(line.req.url).toBe(
      '/api/v1/auth/oauth/google/callback?code=[REDACTED]&state=[REDACTED]&scope=openid+email&iss=https%3A%2F%2Faccounts.google.com',
    );
  });

  it('the 5xx error line of the problem filter redacts the URL too', () => {
    const errors: string[] = [];
    sendProblem(
      new Error('boom'),
      { method: 'GET', url: CALLBACK, id: 'r2' } as unknown as FastifyRequest,
      { sent: true } as unknown as FastifyReply,
      { error: (message: unknown) => errors.push(String(message)) },
    );
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain('code=[REDACTED]&state=[REDACTED]');
    expect(errors[0]).not.toContain('SecretCode');
  });

  it.each([
    ['/a?access_token=x&b=1', '/a?access_token=[REDACTED]&b=1'],
    ['/a?refresh_token=x', '/a?refresh_token=[REDACTED]'],
    ['/a?Token=x&sig=y', '/a?Token=[REDACTED]&sig=[REDACTED]'],
    ['/a?c%6Fde=x', '/a?c%6Fde=[REDACTED]'],
    ['/a?%E0%A4%A=x&code', '/a?%E0%A4%A=x&code'],
    ['/a', '/a'],
    ['/a?limit=10&cursor=abc', '/a?limit=10&cursor=abc'],
  ])('redactUrl(%s)', (url, expected) => {
    expect(redactUrl(url)).toBe(expected);
  });
});

describe('the access log line (pino-http with loggerParams, over a real HTTP exchange)', () => {
  it('has the request id, method, path, redacted URL and status, and no credentials', async () => {
    const lines: string[] = [];
    const params = loggerParams({ LOG_LEVEL: 'info' } as AppConfig);
    const logger = pinoHttp(params.pinoHttp as Options, {
      write: (line: string) => lines.push(line),
    });
    const server = createServer((request, response) => {
      // app.setup's onRequest hook puts the request id on the raw request.
      (request as typeof request & { id: string }).id = 'req-42';
      logger(request, response);
      response.statusCode = 404;
      response.end('{}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const response = await fetch(`http://127.0.0.1:${port}${CALLBACK}`, {
        headers: { authorization: 'Bearer secret-token', cookie: 'sid=secret-cookie' },
      });
      await response.text();
      for (let i = 0; i < 100 && lines.length === 0; i += 1) await sleep(10);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
    expect(lines).toHaveLength(1);
    const logged = lines[0] as string;
    for (const secret of ['secret-token', 'secret-cookie', 'SecretCode', 'st4te-secret']) {
      expect(logged).not.toContain(secret);
    }
    const line = JSON.parse(logged) as Record<string, unknown>;
    expect(line).toMatchObject({
      msg: 'request completed',
      req: {
        id: 'req-42',
        method: 'GET',
        path: '/api/v1/auth/oauth/google/callback',
        url: '/api/v1/auth/oauth/google/callback?code=[REDACTED]&state=[REDACTED]&scope=openid+email&iss=https%3A%2F%2Faccounts.google.com',
      },
      res: { statusCode: 404 },
      responseTime: expect.any(Number),
    });
    expect(Object.keys(line.req as object).sort()).toEqual(['id', 'method', 'path', 'url']);
    expect(line.res).toEqual({ statusCode: 404 });
  });
});
