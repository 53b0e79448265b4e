import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  AUTHORIZATION_MATRIX,
  type Expected,
  type MatrixRow,
  STEP_UP_ROUTES,
  staffRoleOf,
} from '../../security/authorization-matrix.js';
import {
  createStaff,
  enrolTotp,
  login,
  loginWithTotp,
  type TestUser,
} from '../../factories/users.js';
import {
  ACTORS,
  buildFixtures,
  documentNumbers,
  type Actor,
  type Fixtures,
} from '../../security/fixtures.js';
import { inject, ResponseLog, storedSecrets } from '../../security/http.js';
import { ROUTE_REQUESTS } from '../../security/route-requests.js';
import {
  compareWithMatrix,
  discoverRoutes,
  matrixKeyOf,
  routeKey,
  type DiscoveredRoute,
} from '../../security/routes.js';
import { createTestApp, type TestApp } from '../../utils/test-app.js';

const allows = (expected: Expected, status: number): boolean =>
  typeof expected === 'number' ? expected === status : expected.includes(status);

/** Staff and the other user call first, the owner last: the owner's call may change the object. */
const CALL_ORDER: readonly Actor[] = ['anonymous', 'otherUser', 'admin', 'compliance', 'user'];

describe('authorization matrix (OWASP API1/API5: object- and function-level authorization)', () => {
  let ctx: TestApp;
  let fx: Fixtures;
  let routes: DiscoveredRoute[];
  const log = new ResponseLog();
  const totpSecrets: string[] = [];

  beforeAll(async () => {
    ctx = await createTestApp();
    fx = await buildFixtures(ctx, log);
    routes = discoverRoutes(ctx.app.getHttpAdapter().getInstance());
  });

  afterAll(async () => {
    await ctx.close();
  });

  it('discovers the routes from the router (sanity: the known shapes are there)', () => {
    expect(routes.length).toBeGreaterThan(80);
    const keys = routes.map(routeKey);
    expect(keys).toEqual(expect.arrayContaining(['GET /api/v1/sessions/:id', 'GET /docs-json']));
  });

  it('a route without a matrix entry fails the comparison; a removed route is stale', () => {
    const added = [...routes, { method: 'POST', path: '/api/v1/sessions/:id/secret-export' }];
    const keys = Object.keys(AUTHORIZATION_MATRIX);
    expect(compareWithMatrix(added, keys).unlisted).toEqual([
      'POST /api/v1/sessions/:id/secret-export',
    ]);
    expect(compareWithMatrix(routes, [...keys, 'GET /api/v1/gone']).stale).toEqual([
      'GET /api/v1/gone',
    ]);
  });

  it('covers every registered route, and nothing that is not registered', () => {
    expect(compareWithMatrix(routes, Object.keys(AUTHORIZATION_MATRIX))).toEqual({
      unlisted: [],
      stale: [],
    });
  });

  it('knows how to call every route with path parameters', () => {
    const keys = Object.keys(AUTHORIZATION_MATRIX);
    const missing = routes
      .filter((route) => route.path.includes(':') || route.path.includes('*'))
      .map((route) => matrixKeyOf(route, keys) ?? routeKey(route))
      .filter((key) => !ROUTE_REQUESTS[key]?.url);
    expect(missing).toEqual([]);
  });

  it('every route answers every caller as the matrix says', async () => {
    const mismatches: string[] = [];
    for (const route of routes) {
      const key = matrixKeyOf(route, Object.keys(AUTHORIZATION_MATRIX));
      if (!key) continue; // reported by the coverage test
      const row = AUTHORIZATION_MATRIX[key] as MatrixRow;
      const recipe = ROUTE_REQUESTS[key] ?? {};
      const url = recipe.url ? recipe.url(fx) : route.path;
      for (const actor of CALL_ORDER) {
        const headers: Record<string, string> = {};
        if (actor !== 'anonymous') {
          const account = recipe.freshLogin ? await fx.freshLogin(actor) : fx.actors[actor];
          headers.authorization = account.authHeader.Authorization;
        }
        if (route.method === 'OPTIONS') {
          headers.origin = 'https://app.pathavana.test';
          headers['access-control-request-method'] = 'GET';
        }
        Object.assign(headers, recipe.headers ? await recipe.headers(fx, actor, ctx) : {});
        const body = recipe.body ? await recipe.body(fx, actor, ctx) : undefined;
        const response = await inject(ctx, { method: route.method, url, headers, body });
        let exempt = key.endsWith('/reveal') ? fx.documentNumber : undefined;
        if (key.endsWith('/totp/setup') && response.status === 200) {
          // The setup answer is the one place the plain TOTP secret may appear.
          exempt = (response.json() as { secret: string }).secret;
          totpSecrets.push(exempt);
        }
        log.add(`${actor} ${key} → ${response.status}`, response.text, exempt);
        if (!allows(row[actor], response.status)) {
          mismatches.push(
            `${key} as ${actor}: expected ${JSON.stringify(row[actor])}, got ${response.status} ${response.text.slice(0, 160)}`,
          );
        }
        if (response.status >= 400 && url.startsWith('/api/')) {
          const type = String(response.headers['content-type']);
          if (!type.startsWith('application/problem+json')) {
            mismatches.push(`${key} as ${actor}: ${response.status} with content-type ${type}`);
          }
        }
      }
      if (recipe.freshLogin) {
        // logout-all ends every session of the account: sign everyone in again.
        for (const actor of ['user', 'otherUser', 'admin', 'compliance'] as const) {
          fx.actors[actor] = await fx.freshLogin(actor);
        }
      }
      if (route.method === 'GET') {
        // Fastify's automatic HEAD follows the GET: same status, no body.
        const head = await inject(ctx, { method: 'HEAD', url });
        if (!allows(row.anonymous, head.status) || head.text !== '') {
          mismatches.push(`HEAD ${key} as anonymous: got ${head.status}`);
        }
      }
    }
    expect(mismatches).toEqual([]);
  }, 240_000); // ~160 routes × 5 callers, sequential: over 60 s on a loaded 2-core machine

  /** Every staff-only route, called by the staff member of its role, answers 403 `code`. */
  async function expectStaffRoutesRefused(
    callers: Record<'admin' | 'compliance', TestUser>,
    code: string,
  ): Promise<void> {
    const mismatches: string[] = [];
    let checked = 0;
    for (const route of routes) {
      const key = matrixKeyOf(route, Object.keys(AUTHORIZATION_MATRIX));
      const role = key ? staffRoleOf(AUTHORIZATION_MATRIX[key] as MatrixRow) : null;
      if (!key || !role) continue;
      const recipe = ROUTE_REQUESTS[key] ?? {};
      const response = await inject(ctx, {
        method: route.method,
        url: recipe.url ? recipe.url(fx) : route.path,
        headers: { authorization: callers[role].authHeader.Authorization },
        body: recipe.body ? await recipe.body(fx, role, ctx) : undefined,
      });
      checked += 1;
      const answered = (response.json() as { code?: string }).code;
      if (response.status !== 403 || answered !== code) {
        mismatches.push(`${key}: ${response.status} ${answered}`);
      }
    }
    expect(checked).toBeGreaterThan(15);
    expect(mismatches).toEqual([]);
  }

  it('staff without TOTP get 403 MFA_ENROLMENT_REQUIRED on every staff-only route', async () => {
    const noMfa = {
      admin: await createStaff(ctx, ['user', 'admin'], { mfa: false }),
      compliance: await createStaff(ctx, ['user', 'compliance'], { mfa: false }),
    };
    await expectStaffRoutesRefused(noMfa, 'MFA_ENROLMENT_REQUIRED');
  });

  it('staff with TOTP on a session that has not passed it get 403 MFA_REQUIRED on every staff-only route', async () => {
    /**
     * Signed in before TOTP was on: the account enrols from another session, so this one (its
     * account now enrolled) never passed the second factor.
     */
    const notPassed = async (role: 'admin' | 'compliance'): Promise<TestUser> => {
      const staff = await createStaff(ctx, ['user', role], { mfa: false });
      const enrolling = await login(ctx, staff.email, staff.password);
      return { ...staff, totp: await enrolTotp(ctx, enrolling) };
    };
    const sessions = { admin: await notPassed('admin'), compliance: await notPassed('compliance') };
    await expectStaffRoutesRefused(sessions, 'MFA_REQUIRED');
    // The same account on a session that passed TOTP is let in (the state is the session's).
    const passed = await loginWithTotp(
      ctx,
      sessions.admin.email,
      sessions.admin.password,
      sessions.admin.totp as NonNullable<TestUser['totp']>,
    );
    const admitted = await inject(ctx, {
      method: 'GET',
      url: '/api/v1/admin/users',
      headers: { authorization: passed.authHeader.Authorization },
    });
    expect(admitted.status).toBe(200);
  });

  it('a refreshed session past STEP_UP_MAX_AGE_SECONDS gets 403 REAUTHENTICATION_REQUIRED on every step-up route', async () => {
    /** The actor's sign-in moved 11 minutes into the past, then a refresh (which keeps it). */
    const stale = async (account: TestUser): Promise<string> => {
      const payload = account.accessToken.split('.')[1] ?? '';
      const sid = (JSON.parse(Buffer.from(payload, 'base64url').toString()) as { sid: string }).sid;
      await ctx.dataSource.query(
        `UPDATE refresh_sessions SET auth_time = now() - interval '11 minutes' WHERE id = $1`,
        [sid],
      );
      const refreshed = await inject(ctx, {
        method: 'POST',
        url: '/api/v1/auth/refresh',
        body: { refreshToken: account.refreshToken },
      });
      return `Bearer ${(refreshed.json() as { accessToken: string }).accessToken}`;
    };
    const tokens = {
      user: await stale(await fx.freshLogin('user')),
      admin: await stale(await fx.freshLogin('admin')),
    };
    const mismatches: string[] = [];
    for (const [key, actor] of Object.entries(STEP_UP_ROUTES)) {
      expect(AUTHORIZATION_MATRIX[key]).toBeDefined();
      const [method, path] = key.split(' ') as [string, string];
      const recipe = ROUTE_REQUESTS[key] ?? {};
      const response = await inject(ctx, {
        method,
        url: recipe.url ? recipe.url(fx) : path,
        headers: { authorization: tokens[actor] },
        body: recipe.body ? await recipe.body(fx, actor, ctx) : undefined,
      });
      const code = (response.json() as { code?: string }).code;
      if (response.status !== 403 || code !== 'REAUTHENTICATION_REQUIRED') {
        mismatches.push(`${key}: ${response.status} ${code}`);
      }
    }
    expect(mismatches).toEqual([]);
  });

  it('no response of this file exposes password or token hashes, MFA secrets or document numbers', async () => {
    const secrets = [...(await storedSecrets(ctx)), ...documentNumbers, ...totpSecrets];
    // Only the two plain users set TOTP up in the walk (staff have it already).
    expect(totpSecrets).toHaveLength(2);
    expect(secrets.length).toBeGreaterThan(10);
    expect(log.bodies.length).toBeGreaterThan(ACTORS.length * 80);
    expect(log.leaks(secrets)).toEqual([]);
    expect(log.internalMembers()).toEqual([]);
    expect(log.bodies.some((body) => body.text.includes('$argon2'))).toBe(false);
  });
});
