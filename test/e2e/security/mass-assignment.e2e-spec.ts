import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { AUTHORIZATION_MATRIX, type MatrixRow } from '../../security/authorization-matrix.js';
import {
  buildFixtures,
  documentNumbers,
  type Actor,
  type Fixtures,
} from '../../security/fixtures.js';
import {
  inject,
  type InjectResponse,
  ResponseLog,
  storedSecrets,
  tableCounts,
} from '../../security/http.js';
import { ROUTE_REQUESTS } from '../../security/route-requests.js';
import { discoverRoutes, matrixKeyOf } from '../../security/routes.js';
import { createTestApp, type TestApp } from '../../utils/test-app.js';

interface OpenApiOperation {
  requestBody?: { content: Record<string, { schema: { $ref?: string } }> };
}
interface OpenApiDocument {
  paths: Record<string, Record<string, OpenApiOperation>>;
  components: { schemas: Record<string, { properties?: Record<string, unknown> }> };
}

const openapi = JSON.parse(
  readFileSync(new URL('../../../openapi/openapi.json', import.meta.url), 'utf8'),
) as OpenApiDocument;

/** The 400 problem details that names `field` among the validation errors. */
function refusedAsInvalid(response: InjectResponse, field: string): boolean {
  // A wrongly accepted call may answer 204 with no body at all.
  const problem = (response.text ? response.json() : {}) as {
    code?: string;
    errors?: Record<string, unknown>;
  };
  return (
    response.status === 400 && problem.code === 'VALIDATION_FAILED' && !!problem.errors?.[field]
  );
}

/** Write routes that take a JSON body, with the top-level fields their DTO declares. */
const BODY_ROUTES = Object.entries(openapi.paths).flatMap(([path, operations]) =>
  Object.entries(operations).flatMap(([method, operation]) => {
    const ref = operation.requestBody?.content['application/json']?.schema.$ref;
    if (!ref) return [];
    const schema = openapi.components.schemas[ref.split('/').pop() ?? ''];
    return [
      {
        key: `${method.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`,
        declared: new Set(Object.keys(schema?.properties ?? {})),
      },
    ];
  }),
);

const MULTIPART_ROUTES = Object.entries(openapi.paths).flatMap(([path, operations]) =>
  Object.entries(operations)
    .filter(([, operation]) => operation.requestBody?.content['multipart/form-data'])
    .map(([method]) => `${method.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`),
);

/** Server-owned fields a client must never set (OWASP API3: mass assignment). */
const SERVER_OWNED: Record<string, unknown> = {
  id: '00000000-0000-4000-8000-000000000000',
  userId: '00000000-0000-4000-8000-000000000000',
  ownerId: '00000000-0000-4000-8000-000000000000',
  roles: ['admin', 'compliance'],
  status: 'verified',
  emailVerified: true,
  emailVerifiedAt: '2020-01-01T00:00:00Z',
  version: 99,
  createdAt: '2020-01-01T00:00:00Z',
  passwordHash: '$argon2id$v=19$forged',
  total: { amountMinor: 1, currency: 'EUR' },
  totalAmount: { amountMinor: 1, currency: 'EUR' },
  paymentStatus: 'paid',
  confirmationCode: 'FORGED',
  numberMasked: '****',
  reviewedBy: '00000000-0000-4000-8000-000000000000',
  isAdmin: true,
};

/** The caller the matrix lets through (a 2xx), so the refusal can only be the extra field. */
function allowedActor(row: MatrixRow): Actor {
  const order: Actor[] = ['user', 'admin', 'compliance', 'anonymous'];
  // The first caller the route lets through authentication and roles (its answer may still be a
  // 404 for a recipe that names a missing object: validation runs first either way).
  const ok = (expected: MatrixRow[Actor]) =>
    (typeof expected === 'number' ? [expected] : expected).some(
      (status) => status !== 401 && status !== 403,
    );
  return order.find((actor) => ok(row[actor])) ?? 'user';
}

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

describe('mass assignment (OWASP API3) and response exposure', () => {
  let ctx: TestApp;
  let fx: Fixtures;
  const log = new ResponseLog();

  beforeAll(async () => {
    ctx = await createTestApp();
    fx = await buildFixtures(ctx, log);
  });

  afterAll(async () => {
    await ctx.close();
  });

  it('knows the body routes of the committed OpenAPI document', () => {
    expect(BODY_ROUTES.length).toBeGreaterThanOrEqual(30);
    for (const { key } of BODY_ROUTES) expect(AUTHORIZATION_MATRIX[key]).toBeDefined();
  });

  it('refuses every server-owned field outside the DTO on every body route (400), writing nothing', async () => {
    // Valid bodies and headers first (some recipes call the API to build them).
    const prepared = [];
    for (const { key, declared } of BODY_ROUTES) {
      const row = AUTHORIZATION_MATRIX[key] as MatrixRow;
      const recipe = ROUTE_REQUESTS[key] ?? {};
      const actor = allowedActor(row);
      const [method, path] = key.split(' ') as [string, string];
      prepared.push({
        key,
        declared,
        method,
        url: recipe.url ? recipe.url(fx) : path,
        body: (recipe.body ? await recipe.body(fx, actor, ctx) : {}) as Record<string, unknown>,
        headers: {
          ...(recipe.headers ? await recipe.headers(fx, actor, ctx) : {}),
          ...(actor === 'anonymous' ? {} : fx.actors[actor].authHeader),
        } as Record<string, string>,
      });
    }
    const before = await tableCounts(ctx);
    const accepted: string[] = [];
    let requests = 0;
    for (const route of prepared) {
      for (const [field, value] of Object.entries(SERVER_OWNED)) {
        if (route.declared.has(field)) continue;
        requests += 1;
        const response = await inject(
          ctx,
          {
            method: route.method,
            url: route.url,
            headers: route.headers,
            body: { ...route.body, [field]: value },
          },
          log,
        );
        if (!refusedAsInvalid(response, field)) {
          accepted.push(
            `${route.key} + ${field}: ${response.status} ${response.text.slice(0, 120)}`,
          );
        }
      }
    }
    expect(accepted).toEqual([]);
    expect(requests).toBeGreaterThan(400);
    expect(await tableCounts(ctx)).toEqual(before);
  });

  it('refuses any body field on every write route that takes no body (400), writing nothing', async () => {
    // The write routes the router holds, minus those with a request body in the OpenAPI document
    // (JSON ones above; multipart uploads refuse unknown parts in document-files.e2e-spec.ts).
    const bodyKeys = new Set([...BODY_ROUTES.map((route) => route.key), ...MULTIPART_ROUTES]);
    const matrixKeys = Object.keys(AUTHORIZATION_MATRIX);
    const bodyless = discoverRoutes(ctx.app.getHttpAdapter().getInstance())
      .filter((route) => WRITE_METHODS.has(route.method))
      .map((route) => matrixKeyOf(route, matrixKeys) ?? `${route.method} ${route.path}`)
      .filter((key) => !bodyKeys.has(key));
    expect(bodyless).toEqual(
      expect.arrayContaining([
        'POST /api/v1/auth/logout',
        'DELETE /api/v1/sessions/:id',
        'POST /api/v1/bookings/:id/cancellation-quote',
      ]),
    );
    expect(bodyless.length).toBeGreaterThanOrEqual(15);

    const prepared = [];
    for (const key of bodyless) {
      const row = AUTHORIZATION_MATRIX[key] as MatrixRow;
      const recipe = ROUTE_REQUESTS[key] ?? {};
      const actor = allowedActor(row);
      const [method, path] = key.split(' ') as [string, string];
      // Routes that end the session get their own sign-in, so a wrongly accepted call ends only it.
      const account =
        actor === 'anonymous'
          ? undefined
          : recipe.freshLogin
            ? await fx.freshLogin(actor)
            : fx.actors[actor];
      prepared.push({
        key,
        method,
        url: recipe.url ? recipe.url(fx) : path,
        headers: {
          ...(recipe.headers ? await recipe.headers(fx, actor, ctx) : {}),
          ...(account ? account.authHeader : {}),
        } as Record<string, string>,
      });
    }
    const before = await tableCounts(ctx);
    const accepted: string[] = [];
    for (const route of prepared) {
      for (const [field, value] of Object.entries(SERVER_OWNED)) {
        const response = await inject(
          ctx,
          {
            method: route.method,
            url: route.url,
            headers: route.headers,
            body: { [field]: value },
          },
          log,
        );
        if (!refusedAsInvalid(response, field)) {
          accepted.push(
            `${route.key} + ${field}: ${response.status} ${response.text.slice(0, 120)}`,
          );
        }
      }
    }
    expect(accepted).toEqual([]);
    expect(await tableCounts(ctx)).toEqual(before);
  });

  it('refuses server-owned fields nested in bookings and sessions bodies too', async () => {
    const before = await tableCounts(ctx);
    const booking = ROUTE_REQUESTS['POST /api/v1/bookings'];
    const body = (await booking?.body?.(fx, 'user', ctx)) as { details: Record<string, unknown> };
    const nested = await inject(
      ctx,
      {
        method: 'POST',
        url: '/api/v1/bookings',
        headers: { ...fx.actors.user.authHeader, 'idempotency-key': 'nested-extra-field' },
        body: {
          ...body,
          details: { ...body.details, totalPrice: { amountMinor: 1, currency: 'EUR' } },
        },
      },
      log,
    );
    expect(nested.status).toBe(400);
    const message = await inject(
      ctx,
      {
        method: 'POST',
        url: `/api/v1/sessions/${fx.session}/saved-items`,
        headers: fx.actors.user.authHeader,
        body: {
          itemType: 'hotel',
          title: 'x',
          price: { amountMinor: 1, currency: 'EUR', id: 'x' },
        },
      },
      log,
    );
    expect(message.status).toBe(400);
    expect(await tableCounts(ctx)).toEqual(before);
  });

  it('the accounts keep their roles and states after all of it', async () => {
    const rows = (await ctx.dataSource.query(
      `SELECT id, roles, status FROM users WHERE id = ANY($1)`,
      [[fx.actors.user.id, fx.actors.otherUser.id]],
    )) as { roles: string[]; status: string }[];
    for (const row of rows) expect(row).toMatchObject({ roles: ['user'], status: 'active' });
  });

  it('a write route without a body still takes no body, an empty JSON object or JSON null', async () => {
    const auth = fx.actors.user.authHeader;
    const quoteUrl = `/api/v1/bookings/${fx.booking}/cancellation-quote`;
    const calls = [
      // No body, no content type.
      { method: 'POST', url: quoteUrl, headers: auth, body: undefined, status: 201 },
      { method: 'POST', url: quoteUrl, headers: auth, body: {}, status: 201 },
      { method: 'POST', url: quoteUrl, headers: auth, body: 'null', status: 201 },
      {
        method: 'DELETE',
        url: `/api/v1/sessions/${fx.session}/saved-items/${fx.savedItemToDelete}`,
        headers: auth,
        body: {},
        status: 204,
      },
      {
        method: 'DELETE',
        url: `/api/v1/travelers/${fx.travelerToArchive}`,
        headers: { ...auth, 'content-type': 'application/json' },
        body: 'null',
        status: 204,
      },
    ];
    const answers = [];
    for (const call of calls) {
      const response = await inject(ctx, call, log);
      answers.push(`${call.method} ${call.url} ${JSON.stringify(call.body)} → ${response.status}`);
    }
    expect(answers).toEqual(
      calls.map(
        (call) => `${call.method} ${call.url} ${JSON.stringify(call.body)} → ${call.status}`,
      ),
    );
  });

  it('no response exposes password or token hashes, MFA secrets or raw document numbers', async () => {
    const secrets = [...(await storedSecrets(ctx)), ...documentNumbers];
    expect(log.leaks(secrets)).toEqual([]);
    expect(log.internalMembers()).toEqual([]);
    expect(log.bodies.some((body) => body.text.includes('$argon2'))).toBe(false);
  });
});
