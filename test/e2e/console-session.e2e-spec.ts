import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import Fastify from 'fastify';
import { generate } from 'otplib';
import { registerConsole } from '#platform/console-static.js';
import {
  createStaff,
  createVerifiedUser,
  nextTotpCode,
  type TestUser,
} from '../factories/users.js';
import { createTestApp, type TestApp } from '../utils/test-app.js';

const CONSOLE = '/api/v1/auth/console';
const SAME_ORIGIN = { host: 'console.pathavana.test', origin: 'https://console.pathavana.test' };
const FOREIGN = { host: 'console.pathavana.test', origin: 'https://evil.example' };

/** The console cookie from a Set-Cookie answer, with its attributes. */
function consoleCookie(setCookie: string | string[] | undefined): { value: string; raw: string } {
  const all = Array.isArray(setCookie) ? setCookie : setCookie ? [setCookie] : [];
  const raw = all.find((cookie) => cookie.startsWith('pathavana_console_refresh='));
  if (!raw) throw new Error(`no console cookie in ${JSON.stringify(setCookie)}`);
  return { value: raw.slice(raw.indexOf('=') + 1, raw.indexOf(';')), raw };
}

describe('console sessions (refresh token in an httpOnly cookie, Origin-checked)', () => {
  let ctx: TestApp;
  let admin: TestUser;

  beforeAll(async () => {
    ctx = await createTestApp();
    // Cookie mechanics first: a staff account that has not enrolled TOTP yet signs in with the
    // password alone (staff routes then ask it to enrol).
    admin = await createStaff(ctx, ['admin'], { mfa: false });
  });

  afterAll(async () => {
    await ctx?.close();
  });

  const consoleLogin = (user: TestUser, headers = SAME_ORIGIN) =>
    ctx
      .http()
      .post(`${CONSOLE}/login`)
      .set(headers)
      .send({ email: user.email, password: user.password });

  const refresh = (cookie: string | null, headers = SAME_ORIGIN) => {
    const request = ctx.http().post(`${CONSOLE}/refresh`).set(headers);
    return cookie ? request.set('cookie', `pathavana_console_refresh=${cookie}`) : request;
  };

  it('signs in with the refresh token only in an httpOnly, Secure, SameSite=Strict cookie scoped to the refresh path', async () => {
    const response = await consoleLogin(admin);
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      accessToken: expect.any(String),
      tokenType: 'Bearer',
      expiresIn: expect.any(Number),
      user: expect.objectContaining({
        email: admin.email,
        roles: expect.arrayContaining(['admin']),
      }),
    });
    expect(JSON.stringify(response.body)).not.toContain('rt1.');
    const cookie = consoleCookie(response.headers['set-cookie']);
    expect(cookie.value).toMatch(/^rt1\./);
    const attributes = cookie.raw.split(';').map((part) => part.trim());
    expect(attributes).toEqual(
      expect.arrayContaining([
        'Path=/api/v1/auth/console/refresh',
        'HttpOnly',
        'Secure',
        'SameSite=Strict',
      ]),
    );
    const me = await ctx
      .http()
      .get('/api/v1/auth/me')
      .set('authorization', `Bearer ${response.body.accessToken}`);
    expect(me.status).toBe(200);
  });

  it('leaves the JSON API as it was: /auth/login answers the refresh token in the body, no cookie', async () => {
    const response = await ctx
      .http()
      .post('/api/v1/auth/login')
      .send({ email: admin.email, password: admin.password });
    expect(response.status).toBe(200);
    expect(response.body.refreshToken).toMatch(/^rt1\./);
    expect(response.headers['set-cookie']).toBeUndefined();
  });

  it('refreshes from the cookie (rotating it), so a reload keeps the staff member signed in', async () => {
    const first = consoleCookie((await consoleLogin(admin)).headers['set-cookie']).value;
    const refreshed = await refresh(first);
    expect(refreshed.status).toBe(200);
    expect(refreshed.body).toEqual({
      accessToken: expect.any(String),
      tokenType: 'Bearer',
      expiresIn: expect.any(Number),
    });
    const second = consoleCookie(refreshed.headers['set-cookie']).value;
    expect(second).not.toBe(first);
    expect(refreshed.headers['cache-control']).toBe('no-store');
    const me = await ctx
      .http()
      .get('/api/v1/auth/me')
      .set('authorization', `Bearer ${refreshed.body.accessToken}`);
    expect(me.body.email).toBe(admin.email);
    expect((await refresh(second)).status).toBe(200);
  });

  it('refuses a cookie refresh from a foreign or missing Origin (CSRF) and changes nothing', async () => {
    const cookie = consoleCookie((await consoleLogin(admin)).headers['set-cookie']).value;
    const foreign = await refresh(cookie, FOREIGN);
    expect(foreign.status).toBe(403);
    expect(foreign.body.code).toBe('CROSS_ORIGIN_REQUEST');
    expect(foreign.headers['set-cookie']).toBeUndefined();
    const noOrigin = await refresh(cookie, { host: SAME_ORIGIN.host } as typeof SAME_ORIGIN);
    expect(noOrigin.status).toBe(403);
    const nullOrigin = await refresh(cookie, { ...SAME_ORIGIN, origin: 'null' });
    expect(nullOrigin.status).toBe(403);
    // The cookie was not used up by the refused requests.
    expect((await refresh(cookie)).status).toBe(200);
    // Sign-in from another site is refused too (login CSRF).
    expect((await consoleLogin(admin, FOREIGN)).status).toBe(403);
  });

  it('answers 401 without a cookie or with a forged one, and clears a dead cookie', async () => {
    const none = await refresh(null);
    expect(none.status).toBe(401);
    expect(none.body.code).toBe('INVALID_REFRESH_TOKEN');
    const forged = await refresh('rt1.00000000-0000-4000-8000-000000000000.0.' + 'A'.repeat(43));
    expect(forged.status).toBe(401);
    expect(consoleCookie(forged.headers['set-cookie']).raw).toContain('Max-Age=0');
  });

  it('sign-out revokes the device session and clears the cookie', async () => {
    const login = await consoleLogin(admin);
    const cookie = consoleCookie(login.headers['set-cookie']).value;
    const bearer = `Bearer ${login.body.accessToken}`;
    const out = await ctx.http().post(`${CONSOLE}/logout`).set('authorization', bearer);
    expect(out.status).toBe(204);
    const cleared = consoleCookie(out.headers['set-cookie']).raw;
    expect(cleared).toContain('Max-Age=0');
    expect(cleared).toContain('Path=/api/v1/auth/console/refresh');
    expect((await refresh(cookie)).status).toBe(401);
    expect((await ctx.http().get('/api/v1/auth/me').set('authorization', bearer)).status).toBe(401);
  });

  const consoleMfa = async (staff: TestUser) => {
    const totp = staff.totp;
    if (!totp) throw new Error('staff without TOTP');
    const challenge = await consoleLogin(staff);
    expect(challenge.status).toBe(200);
    expect(challenge.body).toEqual({ mfaRequired: true, mfaToken: expect.any(String) });
    expect(challenge.headers['set-cookie']).toBeUndefined();
    return ctx
      .http()
      .post(`${CONSOLE}/login/mfa`)
      .set(SAME_ORIGIN)
      .send({ mfaToken: challenge.body.mfaToken, code: await nextTotpCode(totp) });
  };

  it('staff with TOTP sign in through the challenge; the cookie is set only after the code; that session passed MFA', async () => {
    const staff = await createStaff(ctx, ['compliance']);
    const done = await consoleMfa(staff);
    expect(done.status).toBe(200);
    expect(done.body.user.mfaEnabled).toBe(true);
    expect(done.body.refreshToken).toBeUndefined();
    // The same code path as /auth/login/mfa: the device session passed TOTP, staff routes open.
    const staffRoute = await ctx
      .http()
      .get('/api/v1/compliance/privacy-requests')
      .set({ Authorization: `Bearer ${done.body.accessToken}` });
    expect(staffRoute.status).toBe(200);
    const cookie = consoleCookie(done.headers['set-cookie']).value;
    const refreshed = await refresh(cookie);
    expect(refreshed.status).toBe(200);
    // ... and so does the refreshed token (MFA is a property of the device session).
    const again = await ctx
      .http()
      .get('/api/v1/compliance/privacy-requests')
      .set({ Authorization: `Bearer ${refreshed.body.accessToken}` });
    expect(again.status).toBe(200);
  });

  it('a staff member without TOTP signs in, is asked to enrol, enrols and then works', async () => {
    const staff = await createStaff(ctx, ['admin'], { mfa: false });
    const signedIn = await consoleLogin(staff);
    expect(signedIn.status).toBe(200);
    const bearer = { Authorization: `Bearer ${signedIn.body.accessToken}` };
    const refused = await ctx.http().get('/api/v1/admin/users').set(bearer);
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe('MFA_ENROLMENT_REQUIRED');
    const setup = await ctx.http().post('/api/v1/auth/mfa/totp/setup').set(bearer);
    const enable = await ctx
      .http()
      .post('/api/v1/auth/mfa/totp/enable')
      .set(bearer)
      .send({ code: await generate({ secret: setup.body.secret }) });
    expect(enable.status).toBe(200);
    expect((await ctx.http().get('/api/v1/admin/users').set(bearer)).status).toBe(200);
  });

  it('console step-up: reauthenticates, rotates the cookie (the old one is dead) and answers only an access token', async () => {
    const staff = await createStaff(ctx, ['admin']);
    const target = await createVerifiedUser(ctx);
    const done = await consoleMfa(staff);
    const oldCookie = consoleCookie(done.headers['set-cookie']).value;
    // The sign-in is old now; a refresh does not renew auth_time.
    await ctx.dataSource.query(
      `UPDATE refresh_sessions SET auth_time = now() - interval '1 hour' WHERE user_id = $1`,
      [staff.id],
    );
    const refreshed = await refresh(oldCookie);
    expect(refreshed.status).toBe(200);
    const cookie = consoleCookie(refreshed.headers['set-cookie']).value;
    const bearer = { Authorization: `Bearer ${refreshed.body.accessToken}` };
    const reset = () =>
      ctx
        .http()
        .post(`/api/v1/admin/users/${target.id}/mfa/reset`)
        .set(bearer)
        .send({ reason: 'Lost phone, ticket 4711' });
    const refused = await reset();
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe('REAUTHENTICATION_REQUIRED');

    const reauth = (headers: Record<string, string>, body: object) =>
      ctx.http().post(`${CONSOLE}/reauthenticate`).set(headers).send(body);
    const foreign = await reauth({ ...FOREIGN, ...bearer }, { password: staff.password });
    expect(foreign.status).toBe(403);
    expect(foreign.body.code).toBe('CROSS_ORIGIN_REQUEST');
    const wrong = await reauth({ ...SAME_ORIGIN, ...bearer }, { password: 'nope', code: '000000' });
    expect(wrong.status).toBe(403);
    expect(wrong.body.code).toBe('REAUTHENTICATION_FAILED');
    const totp = staff.totp;
    if (!totp) throw new Error('staff without TOTP');
    const fresh = await reauth(
      { ...SAME_ORIGIN, ...bearer },
      { password: staff.password, code: await nextTotpCode(totp) },
    );
    expect(fresh.status).toBe(200);
    expect(fresh.body).toEqual({
      accessToken: expect.any(String),
      tokenType: 'Bearer',
      expiresIn: expect.any(Number),
    });
    expect(JSON.stringify(fresh.body)).not.toContain('rt1.');
    const rotated = consoleCookie(fresh.headers['set-cookie']).value;
    expect(rotated).not.toBe(cookie);
    // The action now goes through with the new token; the new cookie refreshes.
    const retried = await ctx
      .http()
      .post(`/api/v1/admin/users/${target.id}/mfa/reset`)
      .set({ Authorization: `Bearer ${fresh.body.accessToken}` })
      .send({ reason: 'Lost phone, ticket 4711' });
    expect(retried.status).toBe(200);
    expect((await refresh(rotated)).status).toBe(200);
  });

  it('a plain user can sign in (the console then tells them it is for staff)', async () => {
    const user = await createVerifiedUser(ctx);
    const response = await consoleLogin(user);
    expect(response.status).toBe(200);
    expect(response.body.user.roles).toEqual(['user']);
  });
});

describe('console pages and their content security policy', () => {
  let ctx: TestApp;

  beforeAll(async () => {
    ctx = await createTestApp();
  });

  afterAll(async () => {
    await ctx?.close();
  });

  it('runs /console under its own strict policy and leaves the API policy unchanged', async () => {
    const page = await ctx.http().get('/console/documents/123');
    const csp = String(page.headers['content-security-policy']);
    const directives = Object.fromEntries(
      csp.split(';').map((directive) => {
        const [name, ...values] = directive.trim().split(/\s+/);
        return [name, values.join(' ')];
      }),
    );
    expect(directives).toMatchObject({
      'default-src': "'none'",
      'script-src': "'self'",
      'style-src': "'self'",
      'img-src': "'self' blob:",
      'connect-src': "'self'",
      'frame-ancestors': "'none'",
    });
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toContain('unsafe-eval');

    const api = await ctx.http().get('/api/v1/health/live');
    const apiCsp = String(api.headers['content-security-policy']);
    expect(apiCsp).toContain("style-src 'self' 'unsafe-inline'");
    expect(apiCsp).not.toContain('blob:');
    // A path that only starts like the console is not the console.
    const lookalike = await ctx.http().get('/consoles');
    expect(String(lookalike.headers['content-security-policy'])).toBe(apiCsp);
  });
});

describe('registerConsole (serving a console build)', () => {
  it('serves index.html for /console and client-side routes, assets with long caching, 404 for missing assets', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'console-build-'));
    mkdirSync(join(dir, 'assets'));
    writeFileSync(join(dir, 'index.html'), '<!doctype html><title>console</title>');
    writeFileSync(join(dir, 'assets', 'index-abc.js'), 'export {};');
    const fastify = Fastify();
    expect(await registerConsole(fastify, dir)).toBe(true);
    for (const url of ['/console', '/console/', '/console/documents/42?status=pending']) {
      const page = await fastify.inject({ url });
      expect([url, page.statusCode, page.body]).toEqual([
        url,
        200,
        '<!doctype html><title>console</title>',
      ]);
      expect(page.headers['cache-control']).toBe('no-cache');
    }
    const asset = await fastify.inject({ url: '/console/assets/index-abc.js' });
    expect(asset.statusCode).toBe(200);
    expect(String(asset.headers['cache-control'])).toContain('immutable');
    expect((await fastify.inject({ url: '/console/assets/gone.js' })).statusCode).toBe(404);
    await fastify.close();
  });

  it('without a build the routes exist and answer 404 (the API still starts)', async () => {
    const fastify = Fastify();
    expect(await registerConsole(fastify, join(tmpdir(), 'no-console-here'))).toBe(false);
    expect((await fastify.inject({ url: '/console' })).statusCode).toBe(404);
    expect((await fastify.inject({ url: '/console/users' })).statusCode).toBe(404);
    expect((await fastify.inject({ url: '/console/assets/x.js' })).statusCode).toBe(404);
    await fastify.close();
  });
});
