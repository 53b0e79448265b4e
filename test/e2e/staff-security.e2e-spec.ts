import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  createStaff,
  createVerifiedUser,
  DEFAULT_PASSWORD,
  enrolTotp,
  login,
  loginAgain,
  nextTotpCode,
  registerUser,
  type TestUser,
} from '../factories/users.js';
import { UsersCreateCommand } from '#modules/auth/cli/users-create.command.js';
import { createTestApp, type TestApp } from '../utils/test-app.js';

/** Reads (never makes) an access token's claims. */
function claimsOf(accessToken: string): Record<string, unknown> {
  const payload = accessToken.split('.')[1] ?? '';
  return JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
}

const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

describe('staff accounts: second factor, step-up, separation of duties', () => {
  let ctx: TestApp;

  beforeAll(async () => {
    ctx = await createTestApp({ env: { MFA_MAX_FAILURES: '5', LOGIN_LOCKOUT_SECONDS: '60' } });
  });

  afterAll(async () => {
    await ctx.close();
  });

  const http = () => ctx.http();

  /** The session's sign-in moves into the past, as if it happened `seconds` ago (no sleeping). */
  async function ageSignIn(user: TestUser, seconds: number): Promise<TestUser> {
    const sid = String(claimsOf(user.accessToken).sid);
    await ctx.dataSource.query(
      `UPDATE refresh_sessions SET auth_time = now() - make_interval(secs => $2) WHERE id = $1`,
      [sid, seconds],
    );
    // A refresh: what a thief holding the refresh token can do. It must NOT renew auth_time.
    const refreshed = await http()
      .post('/api/v1/auth/refresh')
      .send({ refreshToken: user.refreshToken });
    expect(refreshed.status).toBe(200);
    return {
      ...user,
      accessToken: refreshed.body.accessToken,
      refreshToken: refreshed.body.refreshToken,
      authHeader: bearer(refreshed.body.accessToken),
    };
  }

  describe('tokens carry auth_time and amr', () => {
    it('password sign-in: amr pwd, auth_time now; a refresh keeps auth_time', async () => {
      const user = await createVerifiedUser(ctx);
      const signedIn = await login(ctx, user.email, user.password);
      const claims = claimsOf(signedIn.accessToken);
      expect(claims.amr).toEqual(['pwd']);
      expect(Math.abs(Number(claims.auth_time) - Date.now() / 1000)).toBeLessThan(30);

      const aged = await ageSignIn(signedIn, 3600);
      const after = claimsOf(aged.accessToken);
      expect(Number(after.auth_time)).toBeLessThan(Date.now() / 1000 - 3500);
      expect(Number(after.iat)).toBeGreaterThan(Date.now() / 1000 - 30);
      expect(after.amr).toEqual(['pwd']);
    });

    it('TOTP sign-in: amr pwd+otp, and the device session records the second factor', async () => {
      const staff = await createStaff(ctx, ['admin']);
      const again = await loginAgain(ctx, staff);
      expect(claimsOf(again.accessToken).amr).toEqual(['pwd', 'otp']);
      const [row] = await ctx.dataSource.query(
        `SELECT mfa_verified_at IS NOT NULL AS mfa, method FROM refresh_sessions WHERE id = $1`,
        [claimsOf(again.accessToken).sid],
      );
      expect(row).toEqual({ mfa: true, method: 'mfa' });
    });
  });

  describe('staff-only routes need a session that passed TOTP', () => {
    it('no TOTP → MFA_ENROLMENT_REQUIRED (enrolment stays open); enabling opens them for that session only', async () => {
      const admin = await createStaff(ctx, ['admin'], { mfa: false });
      const compliance = await createStaff(ctx, ['compliance'], { mfa: false });
      const otherDevice = await login(ctx, admin.email, admin.password);
      for (const [who, url] of [
        [admin, '/api/v1/admin/users'],
        [admin, '/api/v1/meta/models'],
        [compliance, '/api/v1/compliance/audit-events'],
      ] as const) {
        const refused = await http().get(url).set(who.authHeader);
        expect(refused.status).toBe(403);
        expect(refused.body.code).toBe('MFA_ENROLMENT_REQUIRED');
      }
      // Routes that are not staff-only are unaffected.
      expect((await http().get('/api/v1/auth/me').set(admin.authHeader)).status).toBe(200);

      await enrolTotp(ctx, admin);
      expect((await http().get('/api/v1/admin/users').set(admin.authHeader)).status).toBe(200);
      expect((await http().get('/api/v1/meta/models').set(admin.authHeader)).status).toBe(200);
      // The device signed in with the password alone before enrolment has not passed it.
      const otherSession = await http().get('/api/v1/admin/users').set(otherDevice.authHeader);
      expect(otherSession.status).toBe(403);
      expect(otherSession.body.code).toBe('MFA_REQUIRED');
      // Signing in now takes the code, and that session is let in.
      const withCode = await loginAgain(ctx, admin);
      expect((await http().get('/api/v1/admin/users').set(withCode.authHeader)).status).toBe(200);
    });

    it('a plain user is still refused by role, not asked for MFA', async () => {
      const user = await createVerifiedUser(ctx);
      const refused = await http().get('/api/v1/admin/users').set(user.authHeader);
      expect(refused.status).toBe(403);
      expect(refused.body.code).toBe('FORBIDDEN_ROLE');
    });
  });

  describe('step-up', () => {
    it('a refreshed session past STEP_UP_MAX_AGE_SECONDS gets REAUTHENTICATION_REQUIRED until it reauthenticates', async () => {
      const admin = await createStaff(ctx, ['admin']);
      const target = await createVerifiedUser(ctx);
      const stale = await ageSignIn(admin, 601);
      const roles = (who: TestUser) =>
        http()
          .put(`/api/v1/admin/users/${target.id}/roles`)
          .set(who.authHeader)
          .send({ roles: ['user', 'compliance'] });
      const refused = await roles(stale);
      expect(refused.status).toBe(403);
      expect(refused.body.code).toBe('REAUTHENTICATION_REQUIRED');
      for (const [method, url] of [
        ['post', '/api/v1/auth/password/change'],
        ['post', '/api/v1/auth/mfa/totp/disable'],
        ['post', `/api/v1/admin/users/${target.id}/mfa/reset`],
      ] as const) {
        const response = await http()[method](url).set(stale.authHeader).send({});
        expect([method, url, response.body.code]).toEqual([
          method,
          url,
          'REAUTHENTICATION_REQUIRED',
        ]);
      }
      // Ordinary staff reads still work with the stale session.
      expect((await http().get('/api/v1/admin/users').set(stale.authHeader)).status).toBe(200);

      const reauth = (body: object) =>
        http().post('/api/v1/auth/reauthenticate').set(stale.authHeader).send(body);
      const noCode = await reauth({ password: DEFAULT_PASSWORD });
      expect(noCode.status).toBe(400);
      expect(Object.keys(noCode.body.errors)).toEqual(['code']);
      const totp = admin.totp;
      if (!totp) throw new Error('staff without TOTP');
      const wrongPassword = await reauth({ password: 'not my password', code: '000000' });
      expect(wrongPassword.status).toBe(403);
      expect(wrongPassword.body.code).toBe('REAUTHENTICATION_FAILED');
      const fresh = await reauth({ password: DEFAULT_PASSWORD, code: await nextTotpCode(totp) });
      expect(fresh.status).toBe(200);
      const claims = claimsOf(fresh.body.accessToken);
      expect(Math.abs(Number(claims.auth_time) - Date.now() / 1000)).toBeLessThan(30);
      expect(claims.amr).toEqual(['pwd', 'otp']);
      const granted = await roles({ ...stale, authHeader: bearer(fresh.body.accessToken) });
      expect(granted.status).toBe(200);
      // The new refresh token works; the one it replaced does not.
      expect(
        (await http().post('/api/v1/auth/refresh').send({ refreshToken: fresh.body.refreshToken }))
          .status,
      ).toBe(200);
    });

    it('a password-only account reauthenticates with its password', async () => {
      const user = await createVerifiedUser(ctx);
      const stale = await ageSignIn(user, 900);
      const change = await http()
        .post('/api/v1/auth/password/change')
        .set(stale.authHeader)
        .send({ currentPassword: DEFAULT_PASSWORD, newPassword: 'a brand new passphrase' });
      expect(change.body.code).toBe('REAUTHENTICATION_REQUIRED');
      const fresh = await http()
        .post('/api/v1/auth/reauthenticate')
        .set(stale.authHeader)
        .send({ password: DEFAULT_PASSWORD });
      expect(fresh.status).toBe(200);
      expect(claimsOf(fresh.body.accessToken).amr).toEqual(['pwd']);
    });
  });

  describe('second-factor guessing', () => {
    it('30 parallel wrong codes across challenges: at most MFA_MAX_FAILURES evaluated, then escalating 429; a right password does not reset it', async () => {
      const staff = await createStaff(ctx, ['admin']);
      const challenges: string[] = [];
      for (let i = 0; i < 6; i += 1) {
        const first = await http()
          .post('/api/v1/auth/login')
          .send({ email: staff.email, password: staff.password });
        expect(first.body.mfaRequired).toBe(true);
        challenges.push(first.body.mfaToken);
      }
      const responses = await Promise.all(
        Array.from({ length: 30 }, (_, i) =>
          http()
            .post('/api/v1/auth/login/mfa')
            .send({ mfaToken: challenges[i % challenges.length], code: '000000' }),
        ),
      );
      const statuses = responses.map((response) => response.status);
      const evaluated = statuses.filter((status) => status === 401).length;
      expect(evaluated).toBeLessThanOrEqual(5);
      expect(statuses.filter((status) => status === 429).length).toBe(30 - evaluated);
      const [failed] = await ctx.dataSource.query(
        `SELECT count(*)::int AS n FROM auth_events WHERE user_id = $1 AND type = 'mfa_challenge_failed'`,
        [staff.id],
      );
      expect(failed.n).toBeLessThanOrEqual(5);
      const limited = responses.find((response) => response.status === 429);
      expect(limited?.body.code).toBe('TOO_MANY_MFA_FAILURES');
      const firstWait = Number(limited?.headers['retry-after']);
      expect(firstWait).toBeGreaterThan(0);

      // The right password starts a new challenge but does not clear the count: even the right
      // code is refused while the lock lasts.
      const totp = staff.totp;
      if (!totp) throw new Error('staff without TOTP');
      const again = await http()
        .post('/api/v1/auth/login')
        .send({ email: staff.email, password: staff.password });
      const right = await http()
        .post('/api/v1/auth/login/mfa')
        .send({ mfaToken: again.body.mfaToken, code: await nextTotpCode(totp) });
      expect(right.status).toBe(429);
      expect(right.body.code).toBe('TOO_MANY_MFA_FAILURES');

      // The lock runs out (moved into the past); one more wrong code locks for longer.
      await ctx.dataSource.query(
        `UPDATE users SET mfa_locked_until = now() - interval '1 second' WHERE id = $1`,
        [staff.id],
      );
      const late = await http()
        .post('/api/v1/auth/login')
        .send({ email: staff.email, password: staff.password });
      const wrong = await http()
        .post('/api/v1/auth/login/mfa')
        .send({ mfaToken: late.body.mfaToken, code: '000000' });
      expect(wrong.status).toBe(401);
      const longer = await http()
        .post('/api/v1/auth/login/mfa')
        .send({ mfaToken: late.body.mfaToken, code: '000000' });
      expect(longer.status).toBe(429);
      expect(Number(longer.headers['retry-after'])).toBeGreaterThan(firstWait);
    });
  });

  describe('separation of duties', () => {
    it('nobody changes their own roles; a role change signs the target out', async () => {
      const admin = await createStaff(ctx, ['admin']);
      const self = await http()
        .put(`/api/v1/admin/users/${admin.id}/roles`)
        .set(admin.authHeader)
        .send({ roles: ['admin', 'compliance'] });
      expect(self.status).toBe(403);
      expect(self.body.code).toBe('SELF_ROLE_CHANGE');
      const target = await createVerifiedUser(ctx);
      expect((await http().get('/api/v1/auth/me').set(target.authHeader)).status).toBe(200);
      const changed = await http()
        .put(`/api/v1/admin/users/${target.id}/roles`)
        .set(admin.authHeader)
        .send({ roles: ['user', 'compliance'] });
      expect(changed.status).toBe(200);
      expect((await http().get('/api/v1/auth/me').set(target.authHeader)).status).toBe(401);
    });

    it('two admins demoting each other at once leave one active admin (LAST_ADMIN)', async () => {
      const a = await createStaff(ctx, ['admin']);
      const b = await createStaff(ctx, ['admin']);
      await ctx.dataSource.query(
        `UPDATE users SET roles = '{user}' WHERE 'admin' = ANY(roles) AND id NOT IN ($1, $2)`,
        [a.id, b.id],
      );
      const demote = (actor: TestUser, target: TestUser) =>
        http()
          .put(`/api/v1/admin/users/${target.id}/roles`)
          .set(actor.authHeader)
          .send({ roles: ['user'] });
      const results = await Promise.all([demote(a, b), demote(b, a)]);
      const statuses = results.map((response) => response.status).sort();
      expect(statuses).toEqual([200, 409]);
      expect(results.find((response) => response.status === 409)?.body.code).toBe('LAST_ADMIN');
      const [admins] = await ctx.dataSource.query(
        `SELECT count(*)::int AS n FROM users WHERE status = 'active' AND 'admin' = ANY(roles)`,
      );
      expect(admins.n).toBe(1);
    });

    it('admin MFA reset removes TOTP, signs the account out, needs a reason and is audited', async () => {
      const admin = await createStaff(ctx, ['admin']);
      const staff = await createStaff(ctx, ['compliance']);
      const reset = (body: object) =>
        http().post(`/api/v1/admin/users/${staff.id}/mfa/reset`).set(admin.authHeader).send(body);
      expect((await reset({})).status).toBe(400);
      const done = await reset({ reason: 'Lost phone, ticket 4711' });
      expect(done.status).toBe(200);
      expect(done.body.mfaEnabled).toBe(false);
      expect((await http().get('/api/v1/auth/me').set(staff.authHeader)).status).toBe(401);
      const [audit] = await ctx.dataSource.query(
        `SELECT action, reason, actor_id FROM audit_events WHERE subject_id = $1 AND action = 'user.mfa_reset'`,
        [staff.id],
      );
      expect(audit).toEqual({
        action: 'user.mfa_reset',
        reason: 'Lost phone, ticket 4711',
        actor_id: admin.id,
      });
      // Signing in again takes the password alone, and staff routes send it to enrolment.
      const after = await login(ctx, staff.email, staff.password);
      const enrol = await http().get('/api/v1/compliance/audit-events').set(after.authHeader);
      expect(enrol.body.code).toBe('MFA_ENROLMENT_REQUIRED');
    });

    it('GET /admin/users and GET /admin/users/:id are audited reads', async () => {
      const admin = await createStaff(ctx, ['admin']);
      const target = await createVerifiedUser(ctx);
      expect((await http().get('/api/v1/admin/users').set(admin.authHeader)).status).toBe(200);
      const one = await http().get(`/api/v1/admin/users/${target.id}`).set(admin.authHeader);
      expect(one.status).toBe(200);
      const rows = await ctx.dataSource.query(
        `SELECT action, subject_id FROM audit_events WHERE actor_id = $1 AND action IN ('user.list', 'user.viewed') ORDER BY occurred_at`,
        [admin.id],
      );
      expect(rows).toEqual([
        { action: 'user.list', subject_id: null },
        { action: 'user.viewed', subject_id: target.id },
      ]);
    });
  });

  describe('CLI users:create', () => {
    it('refuses to elevate a pre-registered (unverified) account and changes nothing; --reset-credentials takes it over cleanly', async () => {
      const command = ctx.app.get(UsersCreateCommand);
      const attacker = await registerUser(ctx, { password: 'the attacker passphrase' });
      const before = await ctx.dataSource.query(
        `SELECT roles, password_hash, status FROM users WHERE id = $1`,
        [attacker.id],
      );
      await expect(
        command.run({ email: attacker.email, password: DEFAULT_PASSWORD, role: 'admin' }),
      ).rejects.toThrow(/not an active, verified account/);
      expect(
        await ctx.dataSource.query(`SELECT roles, password_hash, status FROM users WHERE id = $1`, [
          attacker.id,
        ]),
      ).toEqual(before);
      expect((await http().get('/api/v1/auth/me').set(attacker.authHeader)).status).toBe(200);

      const reset = await command.run({
        email: attacker.email,
        password: DEFAULT_PASSWORD,
        role: 'admin',
        'reset-credentials': true,
      });
      expect(reset).toMatch(/Reset the credentials/);
      expect((await http().get('/api/v1/auth/me').set(attacker.authHeader)).status).toBe(401);
      const oldPassword = await http()
        .post('/api/v1/auth/login')
        .send({ email: attacker.email, password: 'the attacker passphrase' });
      expect(oldPassword.status).toBe(401);
      const owner = await login(ctx, attacker.email, DEFAULT_PASSWORD);
      const me = await http().get('/api/v1/auth/me').set(owner.authHeader);
      expect(me.body).toMatchObject({
        status: 'active',
        emailVerified: true,
        roles: ['user', 'admin'],
        mfaEnabled: false,
      });
    });

    it('granting a role to an active account signs it out everywhere', async () => {
      const command = ctx.app.get(UsersCreateCommand);
      const user = await createVerifiedUser(ctx);
      await command.run({ email: user.email, password: DEFAULT_PASSWORD, role: 'compliance' });
      expect((await http().get('/api/v1/auth/me').set(user.authHeader)).status).toBe(401);
    });
  });
});
