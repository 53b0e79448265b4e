import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import jwt from 'jsonwebtoken';
import { UsersCreateCommand } from '#modules/auth/cli/users-create.command.js';
import {
  createStaff,
  createVerifiedUser,
  DEFAULT_PASSWORD,
  login,
  mailedToken,
  registerUser,
  uniqueEmail,
} from '../factories/users.js';
import { createTestApp, type TestApp } from '../utils/test-app.js';

const PROBLEM = /^application\/problem\+json/;

describe('auth: accounts, tokens and sessions', () => {
  let ctx: TestApp;

  beforeAll(async () => {
    ctx = await createTestApp();
  });

  afterAll(async () => {
    await ctx.close();
  });

  const me = (token: string) =>
    ctx.http().get('/api/v1/auth/me').set('Authorization', `Bearer ${token}`);

  describe('registration and email verification', () => {
    it('registers pending, mails a token, and verifying activates the account', async () => {
      const email = uniqueEmail('Reg').toUpperCase();
      const response = await ctx
        .http()
        .post('/api/v1/auth/register')
        .send({ email, password: DEFAULT_PASSWORD, fullName: 'Ada Lovelace' });
      expect(response.status).toBe(201);
      expect(response.body).toMatchObject({
        user: {
          email: email.toLowerCase(),
          fullName: 'Ada Lovelace',
          status: 'pending_verification',
          roles: ['user'],
          emailVerified: false,
          mfaEnabled: false,
          hasPassword: true,
        },
        tokenType: 'Bearer',
        expiresIn: 900,
      });
      expect(JSON.stringify(response.body)).not.toMatch(/argon2|passwordHash|secretHash/);
      const token = mailedToken(ctx, email.toLowerCase());
      const verified = await ctx.http().post('/api/v1/auth/verify-email').send({ token });
      expect(verified.status).toBe(200);
      expect(verified.body).toMatchObject({ status: 'active', emailVerified: true });
      const current = await me(response.body.accessToken);
      expect(current.status).toBe(200);
      expect(current.body).toMatchObject({ status: 'active', emailVerified: true });
      const again = await ctx.http().post('/api/v1/auth/verify-email').send({ token });
      expect(again.status).toBe(400);
      expect(again.body.code).toBe('INVALID_OR_EXPIRED_TOKEN');
      const [row] = await ctx.dataSource.query(
        'SELECT token_hash FROM one_time_tokens WHERE user_id = $1',
        [response.body.user.id],
      );
      expect(row.token_hash).not.toBe(token);
    });

    it('resends the verification mail (bearer required) and refuses once verified', async () => {
      const user = await registerUser(ctx);
      const first = mailedToken(ctx, user.email);
      expect((await ctx.http().post('/api/v1/auth/verify-email/resend')).status).toBe(401);
      const resent = await ctx.http().post('/api/v1/auth/verify-email/resend').set(user.authHeader);
      expect(resent.status).toBe(202);
      const second = mailedToken(ctx, user.email);
      expect(second).not.toBe(first);
      // The older token no longer works; the new one does.
      expect(
        (await ctx.http().post('/api/v1/auth/verify-email').send({ token: first })).status,
      ).toBe(400);
      expect(
        (await ctx.http().post('/api/v1/auth/verify-email').send({ token: second })).status,
      ).toBe(200);
      const done = await ctx.http().post('/api/v1/auth/verify-email/resend').set(user.authHeader);
      expect(done.status).toBe(409);
      expect(done.body.code).toBe('EMAIL_ALREADY_VERIFIED');
    });

    it('refuses bad bodies, weak passwords and a taken email (any case)', async () => {
      const bad = await ctx
        .http()
        .post('/api/v1/auth/register')
        .send({ email: 'not-an-email', password: 5, isAdmin: true });
      expect(bad.status).toBe(400);
      expect(Object.keys(bad.body.errors).sort()).toEqual(
        expect.arrayContaining(['email', 'fullName', 'isAdmin', 'password']),
      );
      for (const password of ['short', 'password123', 'x'.repeat(129)]) {
        const weak = await ctx
          .http()
          .post('/api/v1/auth/register')
          .send({ email: uniqueEmail(), password, fullName: 'W' });
        expect(weak.status).toBe(422);
        expect(weak.body.code).toBe('WEAK_PASSWORD');
      }
      const user = await registerUser(ctx);
      const taken = await ctx
        .http()
        .post('/api/v1/auth/register')
        .send({ email: user.email.toUpperCase(), password: DEFAULT_PASSWORD, fullName: 'T' });
      expect(taken.status).toBe(409);
      expect(taken.body.code).toBe('EMAIL_TAKEN');
    });

    it('records registration consents in the consent ledger', async () => {
      const email = uniqueEmail('consent');
      const response = await ctx
        .http()
        .post('/api/v1/auth/register')
        .send({
          email,
          password: DEFAULT_PASSWORD,
          fullName: 'C',
          consents: [{ purpose: 'travel_planning', version: 1, granted: true }],
        });
      expect(response.status).toBe(201);
      const events = await ctx.dataSource.query(
        'SELECT purpose, notice_version, decision, source FROM consent_events WHERE subject_id = $1',
        [response.body.user.id],
      );
      expect(events).toEqual([
        {
          purpose: 'travel_planning',
          notice_version: 1,
          decision: 'granted',
          source: 'registration',
        },
      ]);
    });

    it('refuses an unknown consent notice version and creates no account', async () => {
      const email = uniqueEmail('consent');
      const response = await ctx
        .http()
        .post('/api/v1/auth/register')
        .send({
          email,
          password: DEFAULT_PASSWORD,
          fullName: 'C',
          consents: [{ purpose: 'travel_planning', version: 99, granted: true }],
        });
      expect(response.status).toBe(422);
      const rows = await ctx.dataSource.query('SELECT 1 FROM users WHERE email = $1', [email]);
      expect(rows).toHaveLength(0);
    });
  });

  describe('login', () => {
    it('gives the same status, body and code for a wrong password and an unknown email', async () => {
      const user = await createVerifiedUser(ctx);
      const wrong = await ctx
        .http()
        .post('/api/v1/auth/login')
        .send({ email: user.email, password: 'not the password' });
      const unknown = await ctx
        .http()
        .post('/api/v1/auth/login')
        .send({ email: uniqueEmail('nobody'), password: 'not the password' });
      expect(wrong.status).toBe(401);
      expect(unknown.status).toBe(401);
      expect(wrong.headers['content-type']).toMatch(PROBLEM);
      const { requestId: _a, ...wrongBody } = wrong.body;
      const { requestId: _b, ...unknownBody } = unknown.body;
      expect(wrongBody).toEqual(unknownBody);
      expect(wrongBody.code).toBe('INVALID_CREDENTIALS');
    });

    it('signs in case-insensitively and refuses a bad body', async () => {
      const user = await createVerifiedUser(ctx);
      const signed = await login(ctx, user.email.toUpperCase(), user.password);
      expect((await me(signed.accessToken)).body.id).toBe(user.id);
      const bad = await ctx.http().post('/api/v1/auth/login').send({ email: user.email });
      expect(bad.status).toBe(400);
    });

    it('rehashes a password stored with outdated parameters on login', async () => {
      const user = await createVerifiedUser(ctx);
      const argon2 = (await import('argon2')).default;
      const old = await argon2.hash(user.password, { type: argon2.argon2id, timeCost: 3 });
      await ctx.dataSource.query('UPDATE users SET password_hash = $2 WHERE id = $1', [
        user.id,
        old,
      ]);
      await login(ctx, user.email, user.password);
      const [row] = await ctx.dataSource.query('SELECT password_hash FROM users WHERE id = $1', [
        user.id,
      ]);
      expect(row.password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,p=1,t=2\$/);
    });
  });

  describe('refresh tokens', () => {
    const refresh = (refreshToken: string) =>
      ctx.http().post('/api/v1/auth/refresh').send({ refreshToken });

    it('rotates; inside the grace window the rotated token returns the identical pair', async () => {
      const user = await createVerifiedUser(ctx);
      const first = await refresh(user.refreshToken);
      expect(first.status).toBe(200);
      expect(first.body.refreshToken).not.toBe(user.refreshToken);
      expect(first.body.accessToken).not.toBe(user.accessToken);
      const again = await refresh(user.refreshToken);
      expect(again.status).toBe(200);
      expect(again.body).toEqual(first.body);
      expect((await me(first.body.accessToken)).status).toBe(200);
      const next = await refresh(first.body.refreshToken);
      expect(next.status).toBe(200);
      expect((await me(next.body.accessToken)).status).toBe(200);
    });

    it('a rotated token reused after the grace window kills the whole family', async () => {
      const user = await createVerifiedUser(ctx);
      const rotated = await refresh(user.refreshToken);
      expect(rotated.status).toBe(200);
      // Move the rotation out of the grace window instead of sleeping.
      await ctx.dataSource.query(
        `UPDATE refresh_sessions SET rotated_at = rotated_at - interval '1 minute'
          WHERE user_id = $1`,
        [user.id],
      );
      const reused = await refresh(user.refreshToken);
      expect(reused.status).toBe(401);
      expect(reused.body.code).toBe('REFRESH_TOKEN_REUSED');
      const successor = await refresh(rotated.body.refreshToken);
      expect(successor.status).toBe(401);
      expect((await me(rotated.body.accessToken)).status).toBe(401);
      const events = await ctx.dataSource.query(
        `SELECT type FROM auth_events WHERE user_id = $1 AND type = 'refresh_reuse'`,
        [user.id],
      );
      expect(events).toHaveLength(1);
    });

    it('an older genuine token (two rotations back) is reuse; forged tokens are just invalid', async () => {
      const user = await createVerifiedUser(ctx);
      const one = await refresh(user.refreshToken);
      const two = await refresh(one.body.refreshToken);
      expect(two.status).toBe(200);
      const [sid] = user.refreshToken.split('.').slice(1);
      const forged = await refresh(`rt1.${sid}.0.${'A'.repeat(43)}`);
      expect(forged.status).toBe(401);
      expect(forged.body.code).toBe('INVALID_REFRESH_TOKEN');
      expect((await refresh(two.body.refreshToken)).status).toBe(200);
      const old = await refresh(user.refreshToken);
      expect(old.status).toBe(401);
      expect(old.body.code).toBe('REFRESH_TOKEN_REUSED');
      expect((await refresh('garbage')).status).toBe(401);
      expect((await ctx.http().post('/api/v1/auth/refresh').send({})).status).toBe(400);
    });
  });

  describe('sessions, logout and immediate revocation', () => {
    it('logout refuses the old access token and refresh token at once', async () => {
      const user = await createVerifiedUser(ctx);
      expect((await ctx.http().post('/api/v1/auth/logout')).status).toBe(401);
      const out = await ctx.http().post('/api/v1/auth/logout').set(user.authHeader);
      expect(out.status).toBe(204);
      expect((await me(user.accessToken)).status).toBe(401);
      const refreshed = await ctx
        .http()
        .post('/api/v1/auth/refresh')
        .send({ refreshToken: user.refreshToken });
      expect(refreshed.status).toBe(401);
    });

    it('lists sessions, revokes one (404 for another user’s), and logout-all ends all', async () => {
      const user = await createVerifiedUser(ctx);
      const second = await login(ctx, user.email, user.password);
      expect((await ctx.http().get('/api/v1/auth/sessions')).status).toBe(401);
      const list = await ctx.http().get('/api/v1/auth/sessions').set(second.authHeader);
      expect(list.status).toBe(200);
      expect(list.body.items).toHaveLength(2);
      expect(list.body.nextCursor).toBeNull();
      expect(list.body.items.filter((s: { current: boolean }) => s.current)).toHaveLength(1);
      expect(JSON.stringify(list.body)).not.toMatch(/secret|hash/i);
      const paged = await ctx.http().get('/api/v1/auth/sessions?limit=1').set(second.authHeader);
      expect(paged.body.items).toHaveLength(1);
      expect(paged.body.nextCursor).toEqual(expect.any(String));
      expect(
        (await ctx.http().get('/api/v1/auth/sessions?limit=101').set(second.authHeader)).status,
      ).toBe(400);

      const other = await createVerifiedUser(ctx);
      const firstId = list.body.items.find((s: { current: boolean }) => !s.current).id;
      const foreign = await ctx
        .http()
        .delete(`/api/v1/auth/sessions/${firstId}`)
        .set(other.authHeader);
      expect(foreign.status).toBe(404);
      expect(
        (await ctx.http().delete('/api/v1/auth/sessions/not-a-uuid').set(second.authHeader)).status,
      ).toBe(400);
      const revoked = await ctx
        .http()
        .delete(`/api/v1/auth/sessions/${firstId}`)
        .set(second.authHeader);
      expect(revoked.status).toBe(204);
      expect((await me(user.accessToken)).status).toBe(401);
      expect((await me(second.accessToken)).status).toBe(200);

      const third = await login(ctx, user.email, user.password);
      const all = await ctx.http().post('/api/v1/auth/logout-all').set(second.authHeader);
      expect(all.status).toBe(204);
      expect((await me(second.accessToken)).status).toBe(401);
      expect((await me(third.accessToken)).status).toBe(401);
      expect((await me(other.accessToken)).status).toBe(200);
    });

    it('a suspended account is refused at once with 403 ACCOUNT_SUSPENDED', async () => {
      const user = await createVerifiedUser(ctx);
      await ctx.dataSource.query(`UPDATE users SET status = 'suspended' WHERE id = $1`, [user.id]);
      const refused = await me(user.accessToken);
      expect(refused.status).toBe(403);
      expect(refused.body.code).toBe('ACCOUNT_SUSPENDED');
      const signIn = await ctx
        .http()
        .post('/api/v1/auth/login')
        .send({ email: user.email, password: user.password });
      expect(signIn.status).toBe(403);
      expect(signIn.body.code).toBe('ACCOUNT_SUSPENDED');
      const refreshed = await ctx
        .http()
        .post('/api/v1/auth/refresh')
        .send({ refreshToken: user.refreshToken });
      expect(refreshed.status).toBe(403);
      expect(refreshed.body.code).toBe('ACCOUNT_SUSPENDED');
    });
  });

  describe('access tokens', () => {
    it('refuses alg none, a wrong signature, an expired token and a wrong audience', async () => {
      const user = await createVerifiedUser(ctx);
      const claims = jwt.decode(user.accessToken) as Record<string, unknown>;
      expect(claims).toMatchObject({ sub: user.id, iss: 'pathavana', aud: 'pathavana-api' });
      expect(claims.sid).toEqual(expect.any(String));
      const header = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
      const none = `${header({ alg: 'none', typ: 'JWT' })}.${header(claims)}.`;
      const wrongKey = jwt.sign(claims, 'another-secret-another-secret-another-secret', {
        algorithm: 'HS256',
      });
      const now = Math.floor(Date.now() / 1000);
      const expired = jwt.sign(
        { ...claims, iat: now - 3600, exp: now - 1800 },
        ctx.config.JWT_SECRET,
        {
          algorithm: 'HS256',
        },
      );
      const wrongAudience = jwt.sign({ ...claims, aud: 'someone-else' }, ctx.config.JWT_SECRET, {
        algorithm: 'HS256',
      });
      const wrongIssuer = jwt.sign({ ...claims, iss: 'someone-else' }, ctx.config.JWT_SECRET, {
        algorithm: 'HS256',
      });
      const hs512 = jwt.sign(claims, ctx.config.JWT_SECRET, { algorithm: 'HS512' });
      const control = jwt.sign(claims, ctx.config.JWT_SECRET, { algorithm: 'HS256' });
      expect((await me(control)).status).toBe(200);
      for (const token of [none, wrongKey, expired, wrongAudience, wrongIssuer, hs512, 'x.y.z']) {
        const response = await me(token);
        expect(response.status).toBe(401);
        expect(response.body.code).toBe('UNAUTHENTICATED');
      }
    });

    it('reads the token from an Authorization bearer header only (scheme case-insensitive)', async () => {
      const user = await createVerifiedUser(ctx);
      const call = (authorization?: string) => {
        const request = ctx.http().get('/api/v1/auth/me');
        return authorization === undefined ? request : request.set('Authorization', authorization);
      };
      expect((await call(`bearer ${user.accessToken}`)).status).toBe(200);
      expect((await call(`BEARER   ${user.accessToken}`)).status).toBe(200);
      for (const refused of [
        undefined,
        '',
        user.accessToken,
        `Basic ${user.accessToken}`,
        `Bearer ${user.accessToken} ${user.accessToken}`,
        'Bearer',
      ]) {
        const response = await call(refused);
        expect(response.status).toBe(401);
        expect(response.body.code).toBe('UNAUTHENTICATED');
      }
      // A token in the query string is not a bearer token here.
      const query = await ctx.http().get(`/api/v1/auth/me?access_token=${user.accessToken}`);
      expect(query.status).toBe(401);
    });
  });

  describe('staff and the users:create command', () => {
    it('creates active staff idempotently, adding roles to an existing account', async () => {
      const command = ctx.app.get(UsersCreateCommand);
      const email = uniqueEmail('ops');
      expect(await command.run({ email, password: DEFAULT_PASSWORD, role: 'admin' })).toMatch(
        /^Created admin/,
      );
      expect(await command.run({ email, password: DEFAULT_PASSWORD, role: 'admin' })).toMatch(
        /already has role/,
      );
      expect(await command.run({ email, password: 'ignored!', role: 'compliance' })).toMatch(
        /^Added role compliance/,
      );
      await expect(
        command.run({ email: 'x', password: DEFAULT_PASSWORD, role: 'admin' }),
      ).rejects.toThrow(/--email/);
      await expect(
        command.run({ email: uniqueEmail(), password: DEFAULT_PASSWORD, role: 'root' }),
      ).rejects.toThrow(/--role/);
      await expect(
        command.run({ email: uniqueEmail(), password: 'password', role: 'user' }),
      ).rejects.toThrow(/--password/);
      const staff = await login(ctx, email, DEFAULT_PASSWORD);
      const profile = await me(staff.accessToken);
      expect(profile.body).toMatchObject({
        status: 'active',
        emailVerified: true,
        roles: ['admin', 'compliance'],
      });
    });

    it('GET /meta/models: 401 anonymous, 403 plain user, 200 admin; role removal applies at once', async () => {
      expect((await ctx.http().get('/api/v1/meta/models')).status).toBe(401);
      const user = await createVerifiedUser(ctx);
      const plain = await ctx.http().get('/api/v1/meta/models').set(user.authHeader);
      expect(plain.status).toBe(403);
      const admin = await createStaff(ctx, ['admin']);
      const models = await ctx.http().get('/api/v1/meta/models').set(admin.authHeader);
      expect(models.status).toBe(200);
      expect(models.body.map((model: { table: string }) => model.table)).toContain('users');
      await ctx.dataSource.query(`UPDATE users SET roles = '{user}' WHERE id = $1`, [admin.id]);
      expect((await ctx.http().get('/api/v1/meta/models').set(admin.authHeader)).status).toBe(403);
    });
  });
});
