import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createVerifiedUser } from '../factories/users.js';
import { createTestApp, type TestApp } from '../utils/test-app.js';

/** The address recorded on the device session a login from these headers opens. */
async function recordedAddress(ctx: TestApp, forwardedFor?: string): Promise<string> {
  const user = await createVerifiedUser(ctx);
  const request = ctx.http().post('/api/v1/auth/login');
  if (forwardedFor) request.set('X-Forwarded-For', forwardedFor);
  const signedIn = await request.send({ email: user.email, password: user.password });
  expect(signedIn.status).toBe(200);
  const sessions = await ctx
    .http()
    .get('/api/v1/auth/sessions')
    .set('Authorization', `Bearer ${signedIn.body.accessToken}`);
  expect(sessions.status).toBe(200);
  const current = (sessions.body.items as Array<{ ip: string; current: boolean }>).find(
    (session) => session.current,
  );
  return String(current?.ip);
}

describe('TRUST_PROXY: the client address', () => {
  let untrusting: TestApp;
  let behindProxy: TestApp;

  // Instances of one deployment share their secrets (passport keeps one `jwt` strategy).
  const secrets = {
    JWT_SECRET: randomBytes(32).toString('hex'),
    DATA_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
  };

  beforeAll(async () => {
    untrusting = await createTestApp({ env: secrets });
    // The test client connects over loopback: loopback is "the load balancer" here.
    behindProxy = await createTestApp({
      database: untrusting.database,
      env: { ...secrets, TRUST_PROXY: '127.0.0.0/8,::1,203.0.113.0/24' },
    });
  });

  afterAll(async () => {
    await behindProxy.close();
    await untrusting.close();
  });

  it('X-Forwarded-For from an untrusted peer changes nothing', async () => {
    const plain = await recordedAddress(untrusting);
    expect(plain).toMatch(/127\.0\.0\.1|::1/);
    expect(await recordedAddress(untrusting, '198.51.100.9')).toBe(plain);
  });

  it('from a trusted peer the client is the right-most address not in the list', async () => {
    expect(await recordedAddress(behindProxy, '198.51.100.9')).toBe('198.51.100.9');
    // 203.0.113.5 is a trusted proxy too; what it says about its own client counts.
    expect(await recordedAddress(behindProxy, '192.0.2.1, 198.51.100.9, 203.0.113.5')).toBe(
      '198.51.100.9',
    );
  });

  it('rate limits key on that client address', async () => {
    const limited = await createTestApp({
      database: untrusting.database,
      env: { ...secrets, TRUST_PROXY: '127.0.0.0/8,::1', THROTTLE_LIMIT: '3' },
    });
    try {
      const get = (ip: string) =>
        limited.http().get('/api/v1/meta/enums').set('X-Forwarded-For', ip);
      const first = await Promise.all([1, 2, 3, 4].map(() => get('198.51.100.20')));
      expect(first.map((response) => response.status)).toContain(429);
      expect((await get('198.51.100.21')).status).toBe(200);
    } finally {
      await limited.close();
    }
  });
});
