import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  createStaff,
  createVerifiedUser,
  enrolTotp,
  nextTotpCode,
  registerUser,
  uniqueEmail,
} from '../factories/users.js';
import {
  driveLogin,
  startTestOidcProvider,
  type TestOidcProvider,
} from '../utils/oidc-provider.js';
import { createTestApp, type TestApp } from '../utils/test-app.js';

/** Reads (never makes) an access token's claims. */
function claimsOf(accessToken: string): Record<string, unknown> {
  const payload = accessToken.split('.')[1] ?? '';
  return JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
}

/** The app's public base URL: only used to build the redirect URI registered at the provider. */
const BASE = 'http://127.0.0.1:39999';
const CALLBACK = `${BASE}/api/v1/auth/oauth/test/callback`;
/** The same loopback provider configured under a known kind's name. */
const MICROSOFT_CALLBACK = `${BASE}/api/v1/auth/oauth/microsoft/callback`;

describe('auth: OpenID Connect sign-in against a real provider on loopback', () => {
  let ctx: TestApp;
  let op: TestOidcProvider;

  beforeAll(async () => {
    op = await startTestOidcProvider([CALLBACK, MICROSOFT_CALLBACK]);
    ctx = await createTestApp({
      env: {
        PUBLIC_BASE_URL: BASE,
        OIDC_TEST_ISSUER: op.issuer,
        OIDC_TEST_CLIENT_ID: op.clientId,
        OIDC_TEST_CLIENT_SECRET: op.clientSecret,
        OIDC_MICROSOFT_ISSUER: op.issuer,
        OIDC_MICROSOFT_CLIENT_ID: op.clientId,
        OIDC_MICROSOFT_CLIENT_SECRET: op.clientSecret,
      },
    });
  });

  afterAll(async () => {
    await ctx.close();
    await op.close();
  });

  let subjects = 0;
  const account = (email: string, emailVerified = true) => {
    subjects += 1;
    const sub = `sub-${subjects}-${Date.now()}`;
    op.setAccount({ sub, email, email_verified: emailVerified, name: 'Olive Idc' });
    return sub;
  };

  /** GET authorize → { location, cookie } (the app's flow cookie). */
  const authorize = async () => {
    const response = await ctx.http().get('/api/v1/auth/oauth/test/authorize');
    expect(response.status).toBe(302);
    const setCookie = ([] as string[]).concat(response.headers['set-cookie'] ?? []);
    const cookie = (setCookie[0] ?? '').split(';')[0] as string;
    return { location: response.headers.location as string, cookie, setCookie: setCookie[0] ?? '' };
  };

  const callback = (url: URL, cookie: string) =>
    ctx.http().get(`${url.pathname}${url.search}`).set('Cookie', cookie);

  const usersWithEmail = async (email: string) =>
    (await ctx.dataSource.query('SELECT id FROM users WHERE email = $1', [email])) as Array<{
      id: string;
    }>;

  it('redirects with state, nonce and PKCE S256, keeping them server-side', async () => {
    const { location, setCookie } = await authorize();
    const url = new URL(location);
    expect(url.origin).toBe(op.issuer);
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
    expect(url.searchParams.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(url.searchParams.get('state')).toEqual(expect.any(String));
    expect(url.searchParams.get('nonce')).toEqual(expect.any(String));
    expect(url.searchParams.get('redirect_uri')).toBe(CALLBACK);
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Lax/);
    expect(setCookie).not.toContain(url.searchParams.get('state') as string);
  });

  it('a malformed flow cookie is a 400, never a 500', async () => {
    for (const cookie of [
      'pathavana_oauth=%E0%A4%A',
      'pathavana_oauth=------------------------------------.x',
      'pathavana_oauth=%',
    ]) {
      const response = await ctx
        .http()
        .get('/api/v1/auth/oauth/test/callback?code=x&state=y')
        .set('Cookie', cookie);
      expect([cookie, response.status, response.body.code]).toEqual([
        cookie,
        400,
        'OAUTH_STATE_MISMATCH',
      ]);
    }
  });

  it('answers 404 OAUTH_PROVIDER_NOT_CONFIGURED for an unknown provider', async () => {
    for (const path of ['google/authorize', 'nope/authorize', 'nope/callback?code=x&state=y']) {
      const response = await ctx.http().get(`/api/v1/auth/oauth/${path}`);
      expect(response.status).toBe(404);
      expect(response.body.code).toBe('OAUTH_PROVIDER_NOT_CONFIGURED');
    }
  });

  it('creates an account on first sign-in, signs the same identity in again', async () => {
    const email = uniqueEmail('oidc');
    const sub = account(email);
    const { location, cookie } = await authorize();
    const callbackUrl = await driveLogin(location, sub, CALLBACK);
    const done = await callback(callbackUrl, cookie);
    expect(done.status).toBe(200);
    expect(done.body.user).toMatchObject({
      email,
      status: 'active',
      emailVerified: true,
      hasPassword: false,
      fullName: 'Olive Idc',
    });
    const me = await ctx
      .http()
      .get('/api/v1/auth/me')
      .set('Authorization', `Bearer ${done.body.accessToken}`);
    expect(me.status).toBe(200);

    const again = await authorize();
    const second = await callback(await driveLogin(again.location, sub, CALLBACK), again.cookie);
    expect(second.status).toBe(200);
    expect(second.body.user.id).toBe(done.body.user.id);
    expect(await usersWithEmail(email)).toHaveLength(1);

    // The flow is single use: replaying the callback is refused.
    const replay = await callback(callbackUrl, cookie);
    expect(replay.status).toBe(400);
    expect(replay.body.code).toBe('OAUTH_STATE_MISMATCH');
    const identities = await ctx
      .http()
      .get('/api/v1/auth/identities')
      .set('Authorization', `Bearer ${done.body.accessToken}`);
    expect(identities.status).toBe(200);
    expect(identities.body.items).toEqual([
      expect.objectContaining({ provider: 'test', providerKind: 'oidc', issuer: op.issuer, email }),
    ]);
    // The kind is stored as the database enum auth_provider.
    const [stored] = (await ctx.dataSource.query(
      `SELECT provider_kind::text AS kind, pg_typeof(provider_kind)::text AS type
         FROM external_identities WHERE subject = $1`,
      [sub],
    )) as { kind: string; type: string }[];
    expect(stored).toEqual({ kind: 'oidc', type: 'auth_provider' });
    // The only way to sign in cannot be unlinked.
    const unlink = await ctx
      .http()
      .delete(`/api/v1/auth/identities/${identities.body.items[0].id}`)
      .set('Authorization', `Bearer ${done.body.accessToken}`);
    expect(unlink.status).toBe(422);
    expect(unlink.body.code).toBe('LAST_SIGN_IN_METHOD');
  });

  it('stores the provider kind of a link: a provider configured as microsoft is kind microsoft', async () => {
    const email = uniqueEmail('oidc-kind');
    const sub = account(email);
    const started = await ctx.http().get('/api/v1/auth/oauth/microsoft/authorize');
    expect(started.status).toBe(302);
    const cookie = (([] as string[]).concat(started.headers['set-cookie'] ?? [])[0] ?? '').split(
      ';',
    )[0] as string;
    const callbackUrl = await driveLogin(
      started.headers.location as string,
      sub,
      MICROSOFT_CALLBACK,
    );
    const done = await callback(callbackUrl, cookie);
    expect(done.status).toBe(200);
    const identities = await ctx
      .http()
      .get('/api/v1/auth/identities')
      .set('Authorization', `Bearer ${done.body.accessToken}`);
    expect(identities.body.items).toEqual([
      expect.objectContaining({ provider: 'microsoft', providerKind: 'microsoft' }),
    ]);
    const rows = (await ctx.dataSource.query(
      'SELECT provider, provider_kind::text AS kind FROM external_identities WHERE subject = $1',
      [sub],
    )) as { provider: string; kind: string }[];
    expect(rows).toEqual([{ provider: 'microsoft', kind: 'microsoft' }]);
  });

  it('refuses a state mismatch (callback with another flow’s cookie); no account is created', async () => {
    const email = uniqueEmail('state');
    const sub = account(email);
    const first = await authorize();
    const other = await authorize();
    const callbackUrl = await driveLogin(first.location, sub, CALLBACK);
    const refused = await callback(callbackUrl, other.cookie);
    expect(refused.status).toBe(400);
    expect(refused.headers['content-type']).toMatch(/problem\+json/);
    expect(refused.body.code).toBe('OAUTH_STATE_MISMATCH');
    const noCookie = await ctx.http().get(`${callbackUrl.pathname}${callbackUrl.search}`);
    expect(noCookie.status).toBe(400);
    expect(noCookie.body.code).toBe('OAUTH_STATE_MISMATCH');
    expect(await usersWithEmail(email)).toHaveLength(0);
  });

  it('refuses an ID token with the wrong nonce; no account is created', async () => {
    const email = uniqueEmail('nonce');
    const sub = account(email);
    const { location, cookie } = await authorize();
    const flowId = decodeURIComponent(cookie.split('=')[1] as string).split('.')[0];
    await ctx.dataSource.query(
      `UPDATE oauth_login_flows SET nonce = 'not-the-nonce' WHERE id = $1`,
      [flowId],
    );
    const refused = await callback(await driveLogin(location, sub, CALLBACK), cookie);
    expect(refused.status).toBe(400);
    expect(refused.body.code).toBe('OAUTH_NONCE_MISMATCH');
    expect(await usersWithEmail(email)).toHaveLength(0);
  });

  it('links to an existing account only when the provider says the email is verified', async () => {
    const local = await createVerifiedUser(ctx);
    const unverifiedSub = account(local.email, false);
    const first = await authorize();
    const refused = await callback(
      await driveLogin(first.location, unverifiedSub, CALLBACK),
      first.cookie,
    );
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe('OIDC_EMAIL_NOT_VERIFIED');
    const none = await ctx.dataSource.query(
      'SELECT 1 FROM external_identities WHERE user_id = $1',
      [local.id],
    );
    expect(none).toHaveLength(0);

    const verifiedSub = account(local.email, true);
    const second = await authorize();
    const linked = await callback(
      await driveLogin(second.location, verifiedSub, CALLBACK),
      second.cookie,
    );
    expect(linked.status).toBe(200);
    expect(linked.body.user.id).toBe(local.id);
    expect(linked.body.user.hasPassword).toBe(true);
    // With a password as well, the identity can be unlinked.
    const list = await ctx.http().get('/api/v1/auth/identities').set(local.authHeader);
    expect(list.body.items).toHaveLength(1);
    const other = await createVerifiedUser(ctx);
    const foreign = await ctx
      .http()
      .delete(`/api/v1/auth/identities/${list.body.items[0].id}`)
      .set(other.authHeader);
    expect(foreign.status).toBe(404);
    const unlinked = await ctx
      .http()
      .delete(`/api/v1/auth/identities/${list.body.items[0].id}`)
      .set(local.authHeader);
    expect(unlinked.status).toBe(204);
    expect((await ctx.http().get('/api/v1/auth/identities')).status).toBe(401);
  });

  it('a verified provider email takes over an unverified local registration (pre-hijack defence)', async () => {
    const squatter = await registerUser(ctx);
    const sub = account(squatter.email, true);
    const { location, cookie } = await authorize();
    const done = await callback(await driveLogin(location, sub, CALLBACK), cookie);
    expect(done.status).toBe(200);
    expect(done.body.user).toMatchObject({ id: squatter.id, hasPassword: false, status: 'active' });
    const old = await ctx.http().get('/api/v1/auth/me').set(squatter.authHeader);
    expect(old.status).toBe(401);
    const password = await ctx
      .http()
      .post('/api/v1/auth/login')
      .send({ email: squatter.email, password: squatter.password });
    expect(password.status).toBe(401);
  });

  it('an unverified provider email with no existing account creates nothing (403)', async () => {
    const email = uniqueEmail('pending');
    const sub = account(email, false);
    const { location, cookie } = await authorize();
    const refused = await callback(await driveLogin(location, sub, CALLBACK), cookie);
    expect(refused.status).toBe(403);
    expect(refused.headers['content-type']).toMatch(/problem\+json/);
    expect(refused.body.code).toBe('OIDC_EMAIL_NOT_VERIFIED');
    expect(await usersWithEmail(email)).toHaveLength(0);
    expect(
      await ctx.dataSource.query('SELECT 1 FROM external_identities WHERE subject = $1', [sub]),
    ).toHaveLength(0);
  });

  it('never links into a staff account, even with a verified provider email', async () => {
    const staff = await createStaff(ctx, ['admin']);
    const sub = account(staff.email, true);
    const { location, cookie } = await authorize();
    const refused = await callback(await driveLogin(location, sub, CALLBACK), cookie);
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe('OIDC_LINK_TO_STAFF_REFUSED');
    expect(refused.body.accessToken).toBeUndefined();
    expect(
      await ctx.dataSource.query('SELECT 1 FROM external_identities WHERE user_id = $1', [
        staff.id,
      ]),
    ).toHaveLength(0);
  });

  it('an account with TOTP gets an MFA challenge from the callback; the code finishes it with amr oidc+otp', async () => {
    const user = await createVerifiedUser(ctx);
    const totp = await enrolTotp(ctx, user);
    const sub = account(user.email, true);
    const { location, cookie } = await authorize();
    const first = await callback(await driveLogin(location, sub, CALLBACK), cookie);
    expect(first.status).toBe(200);
    expect(first.body).toEqual({ mfaRequired: true, mfaToken: expect.any(String) });
    expect(first.body.accessToken).toBeUndefined();

    const wrong = await ctx
      .http()
      .post('/api/v1/auth/login/mfa')
      .send({ mfaToken: first.body.mfaToken, code: '000000' });
    expect(wrong.status).toBe(401);
    const done = await ctx
      .http()
      .post('/api/v1/auth/login/mfa')
      .send({ mfaToken: first.body.mfaToken, code: await nextTotpCode(totp) });
    expect(done.status).toBe(200);
    expect(done.body.user.id).toBe(user.id);
    expect(claimsOf(done.body.accessToken as string).amr).toEqual(['oidc', 'otp']);

    // A second provider sign-in (identity now linked) asks for the code again.
    const again = await authorize();
    const second = await callback(await driveLogin(again.location, sub, CALLBACK), again.cookie);
    expect(second.status).toBe(200);
    expect(second.body.mfaRequired).toBe(true);
  });
});
