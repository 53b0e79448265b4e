import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { AUTHORIZATION_MATRIX, type MatrixRow } from '../../security/authorization-matrix.js';
import { createStaff } from '../../factories/users.js';
import { buildFixtures, type Actor, type Fixtures } from '../../security/fixtures.js';
import { discoverRoutes } from '../../security/routes.js';
import { inject, tableCounts } from '../../security/http.js';
import {
  operationsOf,
  SchemaArbitraries,
  type OpenApi,
  type Schema,
} from '../../security/openapi-fuzz.js';
import { ROUTE_REQUESTS } from '../../security/route-requests.js';
import { createTestApp, type TestApp } from '../../utils/test-app.js';

const openapi = JSON.parse(
  readFileSync(new URL('../../../openapi/openapi.json', import.meta.url), 'utf8'),
) as OpenApi;
const OPERATIONS = operationsOf(openapi);
const BODY_OPERATIONS = OPERATIONS.filter((operation) => operation.body);
const key = (operation: { method: string; path: string }) =>
  `${operation.method} ${operation.path}`;

/** Lists whose length is fixed by code (entities, consent purposes), not by stored data. */
const BOUNDED_BY_CODE = new Set([
  'GET /api/v1/meta/models', // one entry per entity class
  'GET /api/v1/consent-notices', // the current notice of each consent purpose
  'GET /api/v1/me/consents', // one state per consent purpose
  'GET /api/v1/compliance/retention-policies', // RETENTION_POLICIES, a code constant
  'GET /api/v1/compliance/processing-activities', // one entry per contributor category
]);

/** No string field of any body accepts this many characters (free texts stop at 8 000). */
const HARD_STRING_CEILING = 10_000;

function allowedActor(routeKey: string): Actor {
  const row = AUTHORIZATION_MATRIX[routeKey] as MatrixRow;
  // The first caller the route lets through authentication and roles (validation runs first).
  const ok = (expected: MatrixRow[Actor]) =>
    (typeof expected === 'number' ? [expected] : expected).some(
      (status) => status !== 401 && status !== 403,
    );
  return (
    (['user', 'admin', 'compliance', 'anonymous'] as const).find((actor) => ok(row[actor])) ??
    'user'
  );
}

describe('limits (OWASP API4: unrestricted resource consumption)', () => {
  let ctx: TestApp;
  let fx: Fixtures;
  const schemas = new SchemaArbitraries(openapi, []);

  beforeAll(async () => {
    ctx = await createTestApp();
    fx = await buildFixtures(ctx);
  });

  afterAll(async () => {
    await ctx.close();
  });

  async function callAs(
    routeKey: string,
    overrides: { body?: unknown; query?: string; headers?: Record<string, string> } = {},
  ) {
    const actor = allowedActor(routeKey);
    const recipe = ROUTE_REQUESTS[routeKey] ?? {};
    const [method, path] = routeKey.split(' ') as [string, string];
    const url = (recipe.url ? recipe.url(fx) : path) + (overrides.query ?? '');
    const headers = {
      ...(recipe.headers ? await recipe.headers(fx, actor, ctx) : {}),
      ...(actor === 'anonymous' ? {} : fx.actors[actor].authHeader),
      ...overrides.headers,
    } as Record<string, string>;
    const body =
      'body' in overrides
        ? overrides.body
        : recipe.body
          ? await recipe.body(fx, actor, ctx)
          : undefined;
    return inject(ctx, {
      method,
      url: url.replace(/\?.*\?/, (match) => match.slice(0, -1) + '&'),
      headers,
      body,
    });
  }

  it(`every body route refuses a body over BODY_LIMIT_BYTES with 413 PAYLOAD_TOO_LARGE, writing nothing`, async () => {
    const before = await tableCounts(ctx);
    const filler = 'x'.repeat(ctx.config.BODY_LIMIT_BYTES);
    const wrong: string[] = [];
    for (const operation of BODY_OPERATIONS) {
      const response = await callAs(key(operation), { body: { title: filler } });
      const body = JSON.parse(response.text) as { code?: string };
      if (response.status !== 413 || body.code !== 'PAYLOAD_TOO_LARGE') {
        wrong.push(`${key(operation)} → ${response.status} ${body.code}`);
      }
      expect(String(response.headers['content-type'])).toContain('application/problem+json');
    }
    expect(wrong).toEqual([]);
    expect(await tableCounts(ctx)).toEqual(before);
  });

  it('every body route refuses JSON nested deeper than 32 levels with 400 (the pipe, before any DTO)', async () => {
    const wrong: string[] = [];
    for (const operation of BODY_OPERATIONS) {
      const deep = JSON.parse(`${'{"a":'.repeat(33)}1${'}'.repeat(33)}`) as unknown;
      const response = await callAs(key(operation), { body: deep });
      const body = JSON.parse(response.text) as { errors?: Record<string, string[]> };
      const messages = Object.values(body.errors ?? {}).flat();
      if (
        response.status !== 400 ||
        !messages.some((message) => message.includes('deeper than 32'))
      ) {
        wrong.push(`${key(operation)} → ${response.status} ${response.text.slice(0, 120)}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('every collection GET refuses limit=101 with 400, accepts limit=100, and answers {items, nextCursor}', async () => {
    const collections = OPERATIONS.filter(
      (operation) =>
        operation.method === 'GET' &&
        operation.parameters.some(
          (parameter) => parameter.in === 'query' && parameter.name === 'limit',
        ),
    );
    expect(collections.length).toBeGreaterThanOrEqual(15);
    const wrong: string[] = [];
    for (const operation of collections) {
      const routeKey = key(operation);
      const over = await callAs(routeKey, { query: '?limit=101' });
      const problem = JSON.parse(over.text) as { errors?: Record<string, unknown> };
      if (over.status !== 400 || !problem.errors?.limit)
        wrong.push(`${routeKey} limit=101 → ${over.status}`);
      const max = await callAs(routeKey, { query: '?limit=100' });
      const page = JSON.parse(max.text) as { items?: unknown[]; nextCursor?: unknown };
      if (max.status !== 200 || !Array.isArray(page.items) || !('nextCursor' in page)) {
        wrong.push(`${routeKey} limit=100 → ${max.status} ${max.text.slice(0, 100)}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('every GET answering a list pages it (no unbounded collection without `limit`)', async () => {
    const unpaged: string[] = [];
    for (const operation of OPERATIONS.filter((candidate) => candidate.method === 'GET')) {
      const routeKey = key(operation);
      if (operation.parameters.some((parameter) => parameter.name === 'limit')) continue;
      const response = await callAs(routeKey);
      // Streamed exports (CSV/NDJSON) are constant-memory and rate-limited, not pages.
      if (
        response.status !== 200 ||
        !/^application\/json/.test(String(response.headers['content-type']))
      ) {
        continue;
      }
      const body = JSON.parse(response.text) as unknown;
      const unboundedList =
        Array.isArray(body) || (typeof body === 'object' && body !== null && 'nextCursor' in body);
      if (unboundedList && !BOUNDED_BY_CODE.has(routeKey)) unpaged.push(routeKey);
    }
    expect(unpaged).toEqual([]);
  });

  it('every top-level string field of every body is bounded (10 001 chars → 400; over a documented maxLength → 4xx) and refuses NUL and lone surrogates (400)', async () => {
    const wrong: string[] = [];
    let checked = 0;
    for (const operation of BODY_OPERATIONS) {
      const routeKey = key(operation);
      const schema = schemas.resolve(operation.body as Schema);
      const recipe = ROUTE_REQUESTS[routeKey];
      const valid = (
        recipe?.body ? await recipe.body(fx, allowedActor(routeKey), ctx) : {}
      ) as Record<string, unknown>;
      for (const [field, property] of Object.entries(schema.properties ?? {})) {
        const resolved = schemas.resolve(property);
        if (resolved.type !== 'string' || resolved.enum) continue;
        checked += 1;
        const huge = await callAs(routeKey, {
          // Legal notice texts may be longer (20 000): then one past their own bound.
          body: {
            ...valid,
            [field]: 'a'.repeat(Math.max(HARD_STRING_CEILING, resolved.maxLength ?? 0) + 1),
          },
        });
        const problem = JSON.parse(huge.text) as { errors?: Record<string, unknown> };
        if (huge.status !== 400 || !problem.errors?.[field]) {
          wrong.push(`${routeKey} ${field} (huge) → ${huge.status} ${huge.text.slice(0, 100)}`);
        }
        // Text PostgreSQL or the validators cannot take: a NUL, a lone surrogate (was a 500 on
        // every @IsEmail field).
        for (const text of ['a\u0000b', '\ud800@example.test', 'x\udc00']) {
          const refused = await callAs(routeKey, { body: { ...valid, [field]: text } });
          const refusal = JSON.parse(refused.text) as { errors?: Record<string, unknown> };
          if (refused.status !== 400 || !refusal.errors?.[field]) {
            wrong.push(`${routeKey} ${field} (${JSON.stringify(text)}) → ${refused.status}`);
          }
        }
        if (resolved.maxLength !== undefined) {
          // Passwords: the DTO bounds input at 1024, the policy (8–128) answers 422 WEAK_PASSWORD.
          const over = await callAs(routeKey, {
            body: { ...valid, [field]: 'a'.repeat(resolved.maxLength + 1) },
          });
          if (over.status < 400 || over.status >= 500) {
            wrong.push(`${routeKey} ${field} (maxLength+1) → ${over.status}`);
          }
        }
      }
    }
    expect(wrong).toEqual([]);
    expect(checked).toBeGreaterThan(40);
  });
});

describe('rate limits on expensive routes (OWASP API4, ASVS V6.3)', () => {
  let ctx: TestApp;

  beforeAll(async () => {
    ctx = await createTestApp({
      env: { AUTH_THROTTLE_LIMIT: '3', EXPENSIVE_THROTTLE_LIMIT: '3', THROTTLE_TTL_SECONDS: '60' },
    });
  });

  afterAll(async () => {
    await ctx.close();
  });

  const expensive: [string, string, unknown][] = [
    ['POST', '/api/v1/auth/login', { email: 'nobody@example.test', password: 'not the password' }],
    [
      'POST',
      '/api/v1/auth/register',
      { email: 'x@example.test', password: 'short', fullName: 'X' },
    ],
    ['POST', '/api/v1/auth/password/forgot', { email: 'nobody@example.test' }],
    ['POST', '/api/v1/auth/password/reset', { token: 'x', password: 'another fine password 42' }],
    ['POST', '/api/v1/auth/refresh', { refreshToken: 'x' }],
    ['POST', '/api/v1/auth/login/mfa', { mfaToken: 'x', code: '123456' }],
    ['POST', '/api/v1/auth/verify-email', { token: 'x' }],
  ];

  it.each(expensive)(
    '%s %s: the 4th call from one address within the window is 429 with Retry-After',
    async (method, url, body) => {
      const remoteAddress = `10.9.${expensive.findIndex((entry) => entry[1] === url)}.1`;
      const statuses: number[] = [];
      let last;
      for (let attempt = 0; attempt < 4; attempt += 1) {
        last = await inject(ctx, { method, url, body, remoteAddress });
        statuses.push(last.status);
      }
      expect(statuses.slice(0, 3).every((status) => status !== 429)).toBe(true);
      expect(statuses[3]).toBe(429);
      expect(last?.headers['retry-after']).toMatch(/^\d+$/);
      expect((last?.json() as { code: string }).code).toBe('RATE_LIMITED');
      // Another address is not affected; a forged X-Forwarded-For does not reset the count.
      const spoofed = await inject(ctx, {
        method,
        url,
        body,
        remoteAddress,
        headers: { 'x-forwarded-for': '203.0.113.7' },
      });
      expect(spoofed.status).toBe(429);
      const other = await inject(ctx, {
        method,
        url,
        body,
        remoteAddress: remoteAddress.replace(/\.1$/, '.2'),
      });
      expect(other.status).not.toBe(429);
    },
  );
});

describe('the expensive policy (exports, chain verification, erasure)', () => {
  /** Routes whose cost grows with stored data: each must spend a stricter policy than default. */
  const EXPENSIVE = /\/(export|consent-records|erasure|retention)(\/|$)/;
  let ctx: TestApp;

  beforeAll(async () => {
    // Data-subject routes spend the per-address 'auth' policy, staff exports 'expensive'.
    ctx = await createTestApp({ env: { EXPENSIVE_THROTTLE_LIMIT: '3', AUTH_THROTTLE_LIMIT: '3' } });
  });

  afterAll(async () => {
    await ctx.close();
  });

  it('every such route answers 429 RATE_LIMITED on the 4th call from one address', async () => {
    const compliance = await createStaff(ctx, ['user', 'compliance']);
    const routes = discoverRoutes(ctx.app.getHttpAdapter().getInstance()).filter(
      (route) => route.path.startsWith('/api/') && EXPENSIVE.test(route.path),
    );
    expect(routes.length).toBeGreaterThanOrEqual(1);
    const unlimited: string[] = [];
    for (const [index, route] of routes.entries()) {
      const remoteAddress = `10.20.${index}.1`;
      let status = 0;
      for (let attempt = 0; attempt < 4; attempt += 1) {
        const response = await inject(ctx, {
          method: route.method,
          url: route.path.replace(/:(\w+)/g, '00000000-0000-4000-8000-000000000000'),
          headers: compliance.authHeader,
          remoteAddress,
        });
        status = response.status;
      }
      if (status !== 429) unlimited.push(`${route.method} ${route.path} → ${status}`);
    }
    expect(unlimited).toEqual([]);
  });
});
