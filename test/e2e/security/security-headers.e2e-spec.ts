import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Controller, Get, Module } from '@nestjs/common';
import { Public } from '#libs/common/auth/decorators.js';
import { inject, type InjectResponse } from '../../security/http.js';
import { createTestApp, type TestApp } from '../../utils/test-app.js';

const ALLOWED = 'https://app.pathavana.test';

/** A test-only route that fails the way an unexpected bug would. */
@Controller('test-only')
class ExplodingController {
  @Public()
  @Get('boom')
  boom(): never {
    throw new Error('secret internals: password=hunter2 at /srv/app/src/thing.ts:42');
  }
}

@Module({ controllers: [ExplodingController] })
class ExplodingModule {}

/** What helmet must add to every answer, whatever produced it. */
function expectSecurityHeaders(response: InjectResponse, label: string): void {
  const headers = response.headers;
  expect({ label, nosniff: headers['x-content-type-options'] }).toEqual({
    label,
    nosniff: 'nosniff',
  });
  expect({ label, csp: typeof headers['content-security-policy'] }).toEqual({
    label,
    csp: 'string',
  });
  expect({ label, hsts: String(headers['strict-transport-security']) }).toEqual({
    label,
    hsts: expect.stringContaining('max-age='),
  });
  expect({ label, frame: headers['x-frame-options'] }).toEqual({ label, frame: 'SAMEORIGIN' });
  expect({ label, referrer: headers['referrer-policy'] }).toEqual({
    label,
    referrer: 'no-referrer',
  });
  expect({ label, poweredBy: headers['x-powered-by'] }).toEqual({ label, poweredBy: undefined });
}

describe('security headers, CORS allow-list, no stack traces (OWASP API8, ASVS V3/V13)', () => {
  let ctx: TestApp;

  beforeAll(async () => {
    ctx = await createTestApp({
      env: { CORS_ORIGINS: `${ALLOWED}, https://admin.pathavana.test` },
      imports: [ExplodingModule],
    });
  });

  afterAll(async () => {
    await ctx.close();
  });

  it.each([
    ['JSON', 'GET', '/api/v1/health/live', undefined, 200],
    ['problem 401', 'GET', '/api/v1/auth/me', undefined, 401],
    ['problem 404 (no route)', 'GET', '/api/v1/nowhere', undefined, 404],
    ['problem 400 (malformed JSON)', 'POST', '/api/v1/auth/login', '{"email":', 400],
    ['problem 413', 'POST', '/api/v1/auth/login', { email: 'x'.repeat(1_100_000) }, 413],
    ['problem 400 (malformed URL)', 'GET', '/api/v1/sessions/%ff', undefined, 400],
    ['problem 500', 'GET', '/api/v1/test-only/boom', undefined, 500],
    ['Swagger UI', 'GET', '/docs', undefined, 200],
    ['OpenAPI JSON', 'GET', '/docs-json', undefined, 200],
    ['docs asset', 'GET', '/docs/swagger-ui.css', undefined, 200],
  ])('%s: helmet headers and the request id', async (label, method, url, body, status) => {
    const response = await inject(ctx, { method, url, body });
    expect(response.status).toBe(status);
    expectSecurityHeaders(response, label);
    expect(response.headers['x-request-id']).toEqual(expect.any(String));
    if (status >= 400) {
      expect(String(response.headers['content-type'])).toContain('application/problem+json');
    }
  });

  it('a 500 says nothing about its cause: no message, no stack, no paths; only code and requestId', async () => {
    const response = await inject(ctx, { method: 'GET', url: '/api/v1/test-only/boom' });
    const body = response.json() as Record<string, unknown>;
    expect(body).toEqual({
      type: '/problems/internal-error',
      title: 'Internal Server Error',
      status: 500,
      detail: expect.any(String),
      code: 'INTERNAL_ERROR',
      requestId: response.headers['x-request-id'],
    });
    expect(response.text).not.toMatch(/secret|hunter2|\.ts:\d|\/srv\/| at /);
  });

  it('client errors do not echo internals either (bad JSON, an unknown route with a token in its query)', async () => {
    const responses = await Promise.all([
      inject(ctx, { method: 'POST', url: '/api/v1/auth/login', body: '{"a":tru' }),
      inject(ctx, { method: 'GET', url: '/api/v1/nowhere?token=s3cr3t-token-value' }),
    ]);
    for (const response of responses) {
      expect(response.text).not.toMatch(/node_modules|\.js:\d|\.ts:\d|s3cr3t|SyntaxError: /);
    }
  });

  describe('CORS', () => {
    it('answers a preflight from an allowed origin with that origin (never *) and the API headers', async () => {
      const response = await inject(ctx, {
        method: 'OPTIONS',
        url: '/api/v1/sessions',
        headers: {
          origin: ALLOWED,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'authorization,content-type,idempotency-key',
        },
      });
      expect(response.status).toBe(204);
      expect(response.headers['access-control-allow-origin']).toBe(ALLOWED);
      expect(String(response.headers['access-control-allow-headers'])).toMatch(/Idempotency-Key/);
      expect(response.headers['access-control-allow-credentials']).toBeUndefined();
    });

    it('gives a preflight from any other origin no CORS grant', async () => {
      const response = await inject(ctx, {
        method: 'OPTIONS',
        url: '/api/v1/sessions',
        headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
      });
      expect(response.headers['access-control-allow-origin']).toBeUndefined();
    });

    it('reflects only allow-listed origins on simple requests, and varies on Origin', async () => {
      const allowed = await inject(ctx, {
        method: 'GET',
        url: '/api/v1/health/live',
        headers: { origin: 'https://admin.pathavana.test' },
      });
      expect(allowed.headers['access-control-allow-origin']).toBe('https://admin.pathavana.test');
      expect(String(allowed.headers.vary)).toMatch(/Origin/i);
      expect(String(allowed.headers['access-control-expose-headers'])).toMatch(/ETag/);
      for (const origin of ['https://evil.example', 'null', `${ALLOWED}.evil.example`]) {
        const refused = await inject(ctx, {
          method: 'GET',
          url: '/api/v1/health/live',
          headers: { origin },
        });
        expect(refused.headers['access-control-allow-origin']).toBeUndefined();
      }
    });
  });
});
