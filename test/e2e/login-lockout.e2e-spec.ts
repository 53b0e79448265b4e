import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  createVerifiedUser,
  mailedToken,
  readLatestMail,
  type TestUser,
} from '../factories/users.js';
import { createTestApp, type TestApp } from '../utils/test-app.js';

/**
 * Lockout that an attacker cannot turn into a weapon: failures count per (account, client
 * address); only LOGIN_MAX_FAILURES_PER_ACCOUNT failures from all addresses together lock the
 * account itself, and that lock mails the owner once.
 */
describe('login lockout per account and client address', () => {
  let ctx: TestApp;

  beforeAll(async () => {
    ctx = await createTestApp({
      env: {
        // The test client connects over loopback: loopback is "the load balancer" here.
        TRUST_PROXY: '127.0.0.0/8,::1',
        LOGIN_MAX_FAILURES: '3',
        LOGIN_MAX_FAILURES_PER_ACCOUNT: '6',
        LOGIN_LOCKOUT_SECONDS: '60',
        AUTH_THROTTLE_LIMIT: '1000',
      },
    });
  });

  afterAll(async () => {
    await ctx.close();
  });

  const attempt = (from: string, email: string, password: string) =>
    ctx.http().post('/api/v1/auth/login').set('X-Forwarded-For', from).send({ email, password });

  const alertMails = (user: TestUser): string[] => {
    let files: string[];
    try {
      files = readdirSync(ctx.mailOutbox).filter((file) => file.endsWith('.eml'));
    } catch {
      files = [];
    }
    return files
      .map((file) => readFileSync(join(ctx.mailOutbox, file), 'utf8'))
      .filter((mail) => mail.includes(`\r\nTo: ${user.email}\r\n`))
      .filter((mail) => /Security alert/.test(mail.split('\r\n\r\n')[0] ?? ''));
  };

  it('LOGIN_MAX_FAILURES from one address lock that pair (escalating); the owner still signs in from another', async () => {
    const user = await createVerifiedUser(ctx);
    const attacker = '198.51.100.7';
    for (let i = 0; i < 3; i += 1) {
      expect((await attempt(attacker, user.email, 'wrong password')).status).toBe(401);
    }
    const locked = await attempt(attacker, user.email, user.password);
    expect(locked.status).toBe(429);
    expect(locked.body.code).toBe('ACCOUNT_TEMPORARILY_LOCKED');
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(50);
    expect(Number(locked.headers['retry-after'])).toBeLessThanOrEqual(60);

    const owner = await attempt('192.0.2.10', user.email, user.password);
    expect(owner.status).toBe(200);
    expect(owner.body.accessToken).toEqual(expect.any(String));

    // The pair's lock runs out (moved into the past, no sleeping); one more failure locks longer.
    await ctx.dataSource.query(
      `UPDATE login_failures SET locked_until = now() - interval '1 second'
        WHERE user_id = $1 AND client_ip = $2`,
      [user.id, attacker],
    );
    expect((await attempt(attacker, user.email, 'wrong again')).status).toBe(401);
    const longer = await attempt(attacker, user.email, user.password);
    expect(longer.status).toBe(429);
    expect(Number(longer.headers['retry-after'])).toBeGreaterThan(100);
    expect((await attempt('192.0.2.10', user.email, user.password)).status).toBe(200);

    const rows = (await ctx.dataSource.query(
      `SELECT client_ip, failures FROM login_failures WHERE user_id = $1`,
      [user.id],
    )) as { client_ip: string; failures: number }[];
    // The owner's successes cleared their own address; the attacker's count is kept.
    expect(rows).toEqual([{ client_ip: attacker, failures: 4 }]);
    expect(alertMails(user)).toHaveLength(0);
  });

  it('LOGIN_MAX_FAILURES_PER_ACCOUNT from many addresses at once lock the account and mail the owner exactly once', async () => {
    const user = await createVerifiedUser(ctx);
    // Nine concurrent failures from nine addresses: none reaches the per-address limit.
    const failures = await Promise.all(
      Array.from({ length: 9 }, (_, i) =>
        attempt(`203.0.113.${i + 1}`, user.email, `wrong password ${i}`),
      ),
    );
    // Requests that checked the lock before it started still count as plain failures.
    expect(failures.map((response) => response.status).sort()).toEqual(Array(9).fill(401));

    const fresh = await attempt('192.0.2.99', user.email, user.password);
    expect(fresh.status).toBe(429);
    expect(fresh.body.code).toBe('ACCOUNT_TEMPORARILY_LOCKED');
    expect(Number(fresh.headers['retry-after'])).toBeGreaterThan(3500);

    const mails = alertMails(user);
    expect(mails).toHaveLength(1);
    expect(readLatestMail(ctx, user.email, /Security alert/)).toContain('temporarily locked');
    expect(mails[0]).not.toContain(user.password);
    const events = (await ctx.dataSource.query(
      `SELECT type, metadata->>'scope' AS scope FROM auth_events
        WHERE user_id = $1 AND type IN ('account_locked', 'account_lock_alert')`,
      [user.id],
    )) as { type: string; scope: string | null }[];
    expect(events).toEqual(
      expect.arrayContaining([
        { type: 'account_locked', scope: 'account' },
        { type: 'account_lock_alert', scope: null },
      ]),
    );
    expect(events).toHaveLength(2);

    // A password reset lifts every lock of the account at once.
    await ctx.http().post('/api/v1/auth/password/forgot').send({ email: user.email });
    const token = mailedToken(ctx, user.email, 'reset');
    expect(
      (
        await ctx
          .http()
          .post('/api/v1/auth/password/reset')
          .send({ token, password: 'a brand new passphrase' })
      ).status,
    ).toBe(204);
    expect((await attempt('192.0.2.99', user.email, 'a brand new passphrase')).status).toBe(200);
    const [account] = (await ctx.dataSource.query(
      `SELECT failed_login_count, locked_until FROM users WHERE id = $1`,
      [user.id],
    )) as { failed_login_count: number; locked_until: Date | null }[];
    expect(account).toEqual({ failed_login_count: 0, locked_until: null });
    expect(
      await ctx.dataSource.query(`SELECT 1 FROM login_failures WHERE user_id = $1`, [user.id]),
    ).toEqual([]);
  });

  it('an unknown email locks per address too, so a lock reveals no account', async () => {
    const ghost = `ghost-${Date.now()}@example.test`;
    for (let i = 0; i < 3; i += 1) {
      expect((await attempt('198.51.100.50', ghost, 'wrong password')).status).toBe(401);
    }
    expect((await attempt('198.51.100.50', ghost, 'wrong password')).status).toBe(429);
    expect((await attempt('198.51.100.51', ghost, 'wrong password')).status).toBe(401);
  });
});
