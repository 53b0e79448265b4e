import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { generate } from 'otplib';
import {
  createStaff,
  createVerifiedUser,
  login,
  mailedToken,
  type TestUser,
  uniqueEmail,
} from '../factories/users.js';
import { createTestApp, type TestApp } from '../utils/test-app.js';

describe('auth: lockout, passwords, MFA, admin', () => {
  let ctx: TestApp;
  /** Every response body seen, to prove no secret ever leaves the API. */
  const seen: string[] = [];

  beforeAll(async () => {
    ctx = await createTestApp({
      env: { LOGIN_MAX_FAILURES: '3', LOGIN_LOCKOUT_SECONDS: '60' },
    });
  });

  afterAll(async () => {
    await ctx.close();
  });

  const http = () => ctx.http();
  const keep = <T extends { text: string }>(response: T): T => {
    seen.push(response.text);
    return response;
  };
  const attempt = async (email: string, password: string) =>
    keep(await http().post('/api/v1/auth/login').send({ email, password }));
  const me = async (user: Pick<TestUser, 'accessToken'>) =>
    keep(await http().get('/api/v1/auth/me').set('Authorization', `Bearer ${user.accessToken}`));

  describe('lockout', () => {
    it('locks after LOGIN_MAX_FAILURES failures with escalating Retry-After; admin unlock restores login', async () => {
      const user = await createVerifiedUser(ctx);
      for (let i = 0; i < 3; i += 1) {
        expect((await attempt(user.email, 'wrong password')).status).toBe(401);
      }
      const locked = await attempt(user.email, user.password);
      expect(locked.status).toBe(429);
      expect(locked.body.code).toBe('ACCOUNT_TEMPORARILY_LOCKED');
      expect(Number(locked.headers['retry-after'])).toBeGreaterThan(50);
      expect(Number(locked.headers['retry-after'])).toBeLessThanOrEqual(60);

      // The lock runs out (moved into the past, no sleeping); one more failure locks for longer.
      await ctx.dataSource.query(
        `UPDATE login_failures SET locked_until = now() - interval '1 second' WHERE user_id = $1`,
        [user.id],
      );
      expect((await attempt(user.email, 'wrong again')).status).toBe(401);
      const longer = await attempt(user.email, user.password);
      expect(longer.status).toBe(429);
      expect(Number(longer.headers['retry-after'])).toBeGreaterThan(100);

      const admin = await createStaff(ctx, ['admin']);
      expect((await http().post(`/api/v1/admin/users/${user.id}/unlock`)).status).toBe(401);
      expect(
        (await http().post(`/api/v1/admin/users/${user.id}/unlock`).set(user.authHeader)).status,
      ).toBe(403);
      const unlocked = keep(
        await http().post(`/api/v1/admin/users/${user.id}/unlock`).set(admin.authHeader),
      );
      expect(unlocked.status).toBe(200);
      expect(unlocked.body).toMatchObject({ id: user.id, lockedUntil: null, failedLoginCount: 0 });
      expect((await attempt(user.email, user.password)).status).toBe(200);
      const events = await ctx.dataSource.query(
        `SELECT type FROM auth_events WHERE user_id = $1 AND type IN ('account_locked','account_unlocked')`,
        [user.id],
      );
      expect(events.map((row: { type: string }) => row.type).sort()).toEqual([
        'account_locked',
        'account_locked',
        'account_unlocked',
      ]);
    });

    it('an unknown email locks like a real account, so lockout reveals no account', async () => {
      const ghost = uniqueEmail('ghost');
      for (let i = 0; i < 3; i += 1) {
        expect((await attempt(ghost, 'wrong password')).status).toBe(401);
      }
      const locked = await attempt(ghost.toUpperCase(), 'wrong password');
      expect(locked.status).toBe(429);
      expect(locked.body.code).toBe('ACCOUNT_TEMPORARILY_LOCKED');
      expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
    });

    it('never blocks a password reset, which also lifts the lock', async () => {
      const user = await createVerifiedUser(ctx);
      for (let i = 0; i < 3; i += 1) await attempt(user.email, 'wrong password');
      expect((await attempt(user.email, user.password)).status).toBe(429);
      expect(
        (await http().post('/api/v1/auth/password/forgot').send({ email: user.email })).status,
      ).toBe(202);
      const reset = await http()
        .post('/api/v1/auth/password/reset')
        .send({ token: mailedToken(ctx, user.email, 'reset'), password: 'a brand new passphrase' });
      expect(reset.status).toBe(204);
      expect((await attempt(user.email, 'a brand new passphrase')).status).toBe(200);
    });
  });

  describe('password forgot / reset / change', () => {
    it('forgot is 202 for unknown emails too; a bad body is 400', async () => {
      const response = await http()
        .post('/api/v1/auth/password/forgot')
        .send({ email: uniqueEmail('ghost') });
      expect(response.status).toBe(202);
      expect((await http().post('/api/v1/auth/password/forgot').send({})).status).toBe(400);
    });

    it('reset is single use, checks the policy and signs every device out', async () => {
      const user = await createVerifiedUser(ctx);
      await http().post('/api/v1/auth/password/forgot').send({ email: user.email.toUpperCase() });
      const token = mailedToken(ctx, user.email, 'reset');
      const weak = await http()
        .post('/api/v1/auth/password/reset')
        .send({ token, password: 'password1' });
      expect(weak.status).toBe(422);
      // A refused password rolls back: the token is still usable.
      const done = await http()
        .post('/api/v1/auth/password/reset')
        .send({ token, password: 'another good passphrase' });
      expect(done.status).toBe(204);
      expect((await me(user)).status).toBe(401);
      const again = await http()
        .post('/api/v1/auth/password/reset')
        .send({ token, password: 'yet another passphrase' });
      expect(again.status).toBe(400);
      expect(again.body.code).toBe('INVALID_OR_EXPIRED_TOKEN');
      expect((await attempt(user.email, user.password)).status).toBe(401);
      expect((await attempt(user.email, 'another good passphrase')).status).toBe(200);
    });

    it('change needs the current password and signs the other devices out', async () => {
      const user = await createVerifiedUser(ctx);
      const other = await login(ctx, user.email, user.password);
      const change = (body: object) =>
        http().post('/api/v1/auth/password/change').set(user.authHeader).send(body);
      expect((await http().post('/api/v1/auth/password/change').send({})).status).toBe(401);
      expect((await change({ newPassword: 'new passphrase here', extra: 1 })).status).toBe(400);
      const wrong = await change({ currentPassword: 'nope', newPassword: 'new passphrase here' });
      expect(wrong.status).toBe(403);
      expect(wrong.body.code).toBe('INVALID_CURRENT_PASSWORD');
      const ok = await change({
        currentPassword: user.password,
        newPassword: 'new passphrase here',
      });
      expect(ok.status).toBe(204);
      expect((await me(user)).status).toBe(200);
      expect((await me(other)).status).toBe(401);
      expect((await attempt(user.email, 'new passphrase here')).status).toBe(200);
    });
  });

  describe('TOTP MFA', () => {
    it('enable → login needs a code → backup code works once → disable', async () => {
      const user = await createVerifiedUser(ctx);
      expect((await http().post('/api/v1/auth/mfa/totp/setup')).status).toBe(401);
      const setup = await http().post('/api/v1/auth/mfa/totp/setup').set(user.authHeader);
      expect(setup.status).toBe(200);
      const secret: string = setup.body.secret;
      expect(setup.body.otpauthUri).toMatch(/^otpauth:\/\/totp\/Pathavana:/);
      const [stored] = await ctx.dataSource.query(
        'SELECT mfa_totp_secret FROM users WHERE id = $1',
        [user.id],
      );
      expect(stored.mfa_totp_secret).not.toContain(secret);

      const enableWith = async (code: string) =>
        keep(await http().post('/api/v1/auth/mfa/totp/enable').set(user.authHeader).send({ code }));
      expect((await enableWith('000000')).status).toBe(401);
      expect((await enableWith('')).status).toBe(401);
      const enabled = await enableWith(await generate({ secret }));
      expect(enabled.status).toBe(200);
      const backupCodes: string[] = enabled.body.backupCodes;
      expect(backupCodes).toHaveLength(10);
      expect(new Set(backupCodes).size).toBe(10);
      expect((await me(user)).body.mfaEnabled).toBe(true);
      const setupAgain = await http().post('/api/v1/auth/mfa/totp/setup').set(user.authHeader);
      expect(setupAgain.status).toBe(409);

      const challenge = await attempt(user.email, user.password);
      expect(challenge.status).toBe(200);
      expect(challenge.body).toEqual({ mfaRequired: true, mfaToken: expect.any(String) });
      expect(challenge.body.accessToken).toBeUndefined();
      const finish = async (mfaToken: string, code: string) =>
        keep(await http().post('/api/v1/auth/login/mfa').send({ mfaToken, code }));
      const wrong = await finish(challenge.body.mfaToken, '123456');
      expect(wrong.status).toBe(401);
      expect(wrong.body.code).toBe('INVALID_MFA_CODE');
      const nextStep = await generate({ secret, epoch: Math.floor(Date.now() / 1000) + 30 });
      const signedIn = await finish(challenge.body.mfaToken, nextStep);
      expect(signedIn.status).toBe(200);
      expect(signedIn.body.accessToken).toEqual(expect.any(String));
      expect((await me(signedIn.body)).status).toBe(200);
      // The challenge is single use.
      expect((await finish(challenge.body.mfaToken, nextStep)).status).toBe(401);

      const second = await attempt(user.email, user.password);
      const viaBackup = await finish(second.body.mfaToken, backupCodes[0] as string);
      expect(viaBackup.status).toBe(200);
      const third = await attempt(user.email, user.password);
      const reused = await finish(third.body.mfaToken, backupCodes[0] as string);
      expect(reused.status).toBe(401);
      expect(
        (await finish(third.body.mfaToken, (backupCodes[1] as string).toUpperCase())).status,
      ).toBe(200);

      const disable = keep(
        await http()
          .post('/api/v1/auth/mfa/totp/disable')
          .set(user.authHeader)
          .send({ code: backupCodes[2] }),
      );
      expect(disable.status).toBe(204);
      const plain = await attempt(user.email, user.password);
      expect(plain.body.accessToken).toEqual(expect.any(String));

      for (const body of seen) {
        expect(body).not.toContain(secret);
        expect(body).not.toContain(stored.mfa_totp_secret);
      }
    });
  });

  describe('admin users', () => {
    it('lists with keyset pagination and filters; 401/403 for others', async () => {
      const admin = await createStaff(ctx, ['admin']);
      const user = await createVerifiedUser(ctx);
      expect((await http().get('/api/v1/admin/users')).status).toBe(401);
      expect((await http().get('/api/v1/admin/users').set(user.authHeader)).status).toBe(403);
      const first = keep(await http().get('/api/v1/admin/users?limit=2').set(admin.authHeader));
      expect(first.status).toBe(200);
      expect(first.body.items).toHaveLength(2);
      const next = keep(
        await http()
          .get(`/api/v1/admin/users?limit=2&cursor=${first.body.nextCursor}`)
          .set(admin.authHeader),
      );
      expect(next.status).toBe(200);
      const ids = [...first.body.items, ...next.body.items].map((item: { id: string }) => item.id);
      expect(new Set(ids).size).toBe(ids.length);
      const byEmail = await http()
        .get(`/api/v1/admin/users?email=${encodeURIComponent(user.email.toUpperCase())}`)
        .set(admin.authHeader);
      expect(byEmail.body.items.map((item: { id: string }) => item.id)).toEqual([user.id]);
      const admins = await http()
        .get('/api/v1/admin/users?role=admin&limit=100')
        .set(admin.authHeader);
      expect(
        admins.body.items.every((item: { roles: string[] }) => item.roles.includes('admin')),
      ).toBe(true);
      expect(
        (await http().get('/api/v1/admin/users?status=bogus').set(admin.authHeader)).status,
      ).toBe(400);
    });

    it('suspends (refused at once), reactivates, changes roles (applied at once)', async () => {
      const admin = await createStaff(ctx, ['admin']);
      const user = await createVerifiedUser(ctx);
      const patch = (id: string, body: object) =>
        http().patch(`/api/v1/admin/users/${id}`).set(admin.authHeader).send(body);
      expect((await patch(user.id, { status: 'frozen' })).status).toBe(400);
      expect(
        (await patch('00000000-0000-4000-8000-000000000000', { status: 'active' })).status,
      ).toBe(404);
      const self = await patch(admin.id, { status: 'suspended' });
      expect(self.status).toBe(422);
      expect(self.body.code).toBe('CANNOT_MODIFY_SELF');
      const suspended = keep(await patch(user.id, { status: 'suspended' }));
      expect(suspended.status).toBe(200);
      expect(suspended.body.status).toBe('suspended');
      const refused = await me(user);
      expect(refused.status).toBe(403);
      expect(refused.body.code).toBe('ACCOUNT_SUSPENDED');
      expect((await patch(user.id, { status: 'active' })).status).toBe(200);
      expect((await me(user)).status).toBe(200);

      const roles = (body: object) =>
        http().put(`/api/v1/admin/users/${user.id}/roles`).set(admin.authHeader).send(body);
      expect((await roles({ roles: [] })).status).toBe(400);
      expect((await roles({ roles: ['root'] })).status).toBe(400);
      const granted = keep(await roles({ roles: ['user', 'admin'] }));
      expect(granted.status).toBe(200);
      expect(granted.body.roles).toEqual(['user', 'admin']);
      // A role change signs the account out everywhere; the new admin signs in again (and
      // must enrol a second factor before staff routes open).
      expect((await http().get('/api/v1/meta/models').set(user.authHeader)).status).toBe(401);
      const promoted = await login(ctx, user.email, user.password);
      const enrol = await http().get('/api/v1/meta/models').set(promoted.authHeader);
      expect(enrol.status).toBe(403);
      expect(enrol.body.code).toBe('MFA_ENROLMENT_REQUIRED');
      expect((await roles({ roles: ['user'] })).status).toBe(200);
      expect((await me(promoted)).status).toBe(401);
    });
  });

  it('no response body contained a password hash, token hash or TOTP secret', async () => {
    const secrets: string[] = [];
    for (const row of await ctx.dataSource.query(
      'SELECT password_hash, mfa_totp_secret, mfa_backup_code_hashes FROM users',
    )) {
      if (row.password_hash) secrets.push(row.password_hash);
      if (row.mfa_totp_secret) secrets.push(row.mfa_totp_secret);
      secrets.push(...row.mfa_backup_code_hashes);
    }
    for (const row of await ctx.dataSource.query('SELECT secret_hash FROM refresh_sessions')) {
      secrets.push(row.secret_hash);
    }
    for (const row of await ctx.dataSource.query('SELECT token_hash FROM one_time_tokens')) {
      secrets.push(row.token_hash);
    }
    expect(seen.length).toBeGreaterThan(20);
    for (const body of seen) {
      expect(body).not.toMatch(/\$argon2/);
      for (const secret of secrets) expect(body).not.toContain(secret);
    }
  });
});
