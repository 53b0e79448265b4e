import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Redis } from 'ioredis';
import pg from 'pg';
import { databaseUrl, recreateDatabase, TEST_ADMIN_URL_ENV } from '#libs/database/test-database.js';
import { DocumentExpirySweeper } from '#modules/documents/document-expiry.sweeper.js';
import { ShutdownState } from '#platform/shutdown-state.js';
import { currentNoticeVersion } from '../factories/consents.js';
import {
  createStaff,
  createVerifiedUser,
  DEFAULT_PASSWORD,
  uniqueEmail,
} from '../factories/users.js';
import { migrateInChild } from '../utils/migrate-in-child.js';
import { createTestApp, type TestApp } from '../utils/test-app.js';

// Opt-in (.ci/run sets it when Redis answers): never a Redis the developer did not name.
const REDIS_URL = process.env.TEST_REDIS_URL;

async function redisAnswers(url: string): Promise<boolean> {
  const client = new Redis(url, {
    lazyConnect: true,
    connectTimeout: 500,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  client.on('error', () => undefined);
  try {
    await client.connect();
    return (await client.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
}

const haveRedis = REDIS_URL !== undefined && (await redisAnswers(REDIS_URL));
// Without Redis this suite is reported as skipped, with the reason in its name — never as passed.
const suite = haveRedis ? describe : describe.skip;
const skipped = `SKIPPED: ${REDIS_URL === undefined ? 'TEST_REDIS_URL is not set' : `no Redis answering at ${REDIS_URL}`}`;
// The summary only counts skipped tests: say why once, where a full run shows it.
if (!haveRedis) process.stderr.write(`[scale-out] Redis suites ${skipped}\n`);
const title = haveRedis
  ? 'scale-out: two instances on one PostgreSQL and Redis'
  : `scale-out: two instances (${skipped})`;

/** Two instances of one deployment: same database, same secrets, same Redis. */
async function startPair(env: Record<string, string>): Promise<[TestApp, TestApp]> {
  const shared = {
    JWT_SECRET: randomBytes(32).toString('hex'),
    DATA_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    REDIS_URL: REDIS_URL as string, // the suite runs only when it is set
    REDIS_KEY_PREFIX: `test-${randomUUID()}:`,
    ...env,
  };
  const first = await createTestApp({ env: shared });
  const second = await createTestApp({ env: shared, database: first.database });
  for (const instance of [first, second]) await instance.app.listen({ port: 0, host: '127.0.0.1' });
  return [first, second];
}

const urlOf = async (instance: TestApp, path: string): Promise<string> =>
  `${await instance.app.getUrl()}/api/v1${path}`;

async function post(
  instance: TestApp,
  path: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<Response> {
  return fetch(await urlOf(instance, path), {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
}

suite(title, () => {
  let a: TestApp;
  let b: TestApp;

  beforeAll(async () => {
    [a, b] = await startPair({ LOGIN_MAX_FAILURES: '3' });
  });

  afterAll(async () => {
    await b?.close();
    await a?.app.close().catch(() => undefined);
    await a?.database.drop();
  });

  it('accepts a token issued by one instance on the other, and logout on one is effective on the other at once', async () => {
    const user = await createVerifiedUser(a);
    const me = async (instance: TestApp) =>
      fetch(await urlOf(instance, '/auth/me'), { headers: user.authHeader });
    expect((await me(b)).status).toBe(200);
    const logout = await post(a, '/auth/logout', {}, user.authHeader);
    expect(logout.status).toBe(204);
    expect((await me(b)).status).toBe(401);
    expect((await me(a)).status).toBe(401);
  });

  it('consent withdrawal, suspension and logout on one instance apply on the other at once (GET /sessions/:id)', async () => {
    const admin = await createStaff(a, ['admin']);
    const user = await createVerifiedUser(a);
    const send = async (instance: TestApp, method: string, path: string, body?: unknown) =>
      fetch(await urlOf(instance, path), {
        method,
        headers: { 'content-type': 'application/json', ...user.authHeader },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    const consent = async (granted: boolean) => {
      const version = await currentNoticeVersion(a, 'travel_planning');
      const decided = await send(a, 'POST', '/me/consents', {
        purpose: 'travel_planning',
        version,
        granted,
      });
      expect(decided.status).toBe(201);
    };
    await consent(true);
    const created = await send(a, 'POST', '/sessions', {});
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    const read = async (instance: TestApp) => {
      const response = await send(instance, 'GET', `/sessions/${id}`);
      return [response.status, ((await response.json()) as { code?: string }).code];
    };
    expect(await read(b)).toEqual([200, undefined]);

    // Consent gates new processing (a new message), never reading what exists.
    const write = async (instance: TestApp) => {
      const response = await send(instance, 'POST', `/sessions/${id}/messages`, {
        role: 'user',
        content: 'hello',
      });
      return [response.status, ((await response.json()) as { code?: string }).code];
    };
    await consent(false);
    expect(await write(b)).toEqual([403, 'CONSENT_REQUIRED']);
    expect(await read(b)).toEqual([200, undefined]);
    await consent(true);
    expect(await write(b)).toEqual([201, undefined]);

    const suspend = async (status: string) => {
      const changed = await fetch(await urlOf(a, `/admin/users/${user.id}`), {
        method: 'PATCH',
        headers: { 'content-type': 'application/json', ...admin.authHeader },
        body: JSON.stringify({ status }),
      });
      expect(changed.status).toBe(200);
    };
    await suspend('suspended');
    expect(await read(b)).toEqual([403, 'ACCOUNT_SUSPENDED']);
    await suspend('active');
    expect(await read(b)).toEqual([200, undefined]);

    expect((await send(a, 'POST', '/auth/logout', {})).status).toBe(204);
    expect(await read(b)).toEqual([401, 'UNAUTHENTICATED']);
  });

  it('runs a scheduled job once per period across instances', async () => {
    const now = new Date();
    const runs = await Promise.all(
      [a, b, a, b].map((instance) => instance.app.get(DocumentExpirySweeper).scheduledSweep(now)),
    );
    expect(runs.filter((run) => run.ran)).toHaveLength(1);
    const [claim] = await a.dataSource.query<{ instance: string; finished: boolean }[]>(
      `SELECT instance, finished_at IS NOT NULL AS finished FROM scheduled_job_runs
        WHERE job = 'documents.expiry-sweep'`,
    );
    expect(claim?.finished).toBe(true);
  });

  it('counts login failures across instances (account lockout)', async () => {
    const user = await createVerifiedUser(a);
    for (const instance of [a, b, a]) {
      const failed = await post(instance, '/auth/login', {
        email: user.email,
        password: 'wrong password!',
      });
      expect(failed.status).toBe(401);
    }
    const locked = await post(b, '/auth/login', { email: user.email, password: DEFAULT_PASSWORD });
    expect(locked.status).toBe(429);
    expect(((await locked.json()) as { code: string }).code).toBe('ACCOUNT_TEMPORARILY_LOCKED');
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('counts wrong second-factor codes across instances (MFA_MAX_FAILURES, in parallel)', async () => {
    const staff = await createStaff(a, ['admin']);
    const challenges: string[] = [];
    for (const instance of [a, b, a, b]) {
      const first = await post(instance, '/auth/login', {
        email: staff.email,
        password: DEFAULT_PASSWORD,
      });
      challenges.push(((await first.json()) as { mfaToken: string }).mfaToken);
    }
    const statuses = await Promise.all(
      Array.from({ length: 16 }, async (_, i) => {
        const response = await post(i % 2 ? a : b, '/auth/login/mfa', {
          mfaToken: challenges[i % challenges.length],
          code: '000000',
        });
        return response.status;
      }),
    );
    expect(statuses.filter((status) => status === 401).length).toBeLessThanOrEqual(5);
    expect(statuses.filter((status) => status === 429).length).toBeGreaterThanOrEqual(11);
  });

  it('loses no acknowledged write when one instance shuts down under load', async () => {
    const user = await createVerifiedUser(b);
    const url = await urlOf(a, '/travelers');
    const headers = { 'content-type': 'application/json', ...user.authHeader };
    let acknowledgedSoFar = 0;
    const write = async (index: number) => {
      try {
        const response = await fetch(url, {
          method: 'POST',
          headers,
          body: JSON.stringify({ firstName: `Load${index}`, lastName: 'Test' }),
        });
        const body = response.status === 201 ? ((await response.json()) as { id: string }) : null;
        if (body) acknowledgedSoFar += 1;
        return { status: response.status, id: body?.id };
      } catch {
        return { status: 0, id: undefined }; // refused or reset: not acknowledged
      }
    };
    // Steady load: 80 writes, 8 at a time.
    const results: Array<{ status: number; id?: string }> = [];
    const workers = Array.from({ length: 8 }, async (_, worker) => {
      for (let index = worker; index < 80; index += 8) results.push(await write(index));
    });
    while (acknowledgedSoFar < 16) await new Promise((resolve) => setImmediate(resolve));

    // SIGTERM, as main.ts handles it: readiness turns 503 first, then the server drains and closes.
    a.app.get(ShutdownState).beginShutdown();
    expect((await fetch(await urlOf(a, '/health/ready'))).status).toBe(503);
    await a.app.close();
    await Promise.all(workers);

    const acknowledged = results.filter((result) => result.status === 201);
    const refused = results.filter((result) => result.status !== 201);
    expect(acknowledged.length).toBeGreaterThanOrEqual(16);
    expect(refused.length).toBeGreaterThan(0); // the shutdown really happened mid-load
    for (const result of refused) expect([0, 503]).toContain(result.status);
    const rows = await b.dataSource.query<{ id: string }[]>(
      'SELECT id FROM travelers WHERE user_id = $1',
      [user.id],
    );
    expect(rows.map((row) => row.id).sort()).toEqual(
      acknowledged.map((result) => result.id).sort(),
    );

    // The other instance keeps serving.
    expect((await fetch(await urlOf(b, '/health/ready'))).status).toBe(200);
  });
});

suite(
  haveRedis
    ? 'scale-out: shared login throttling'
    : `scale-out: shared login throttling (${skipped})`,
  () => {
    let a: TestApp;
    let b: TestApp;

    beforeAll(async () => {
      [a, b] = await startPair({ AUTH_THROTTLE_LIMIT: '6' });
    });

    afterAll(async () => {
      await b?.close();
      await a?.close();
    });

    it('counts the per-client auth limit across both instances', async () => {
      const statuses: number[] = [];
      for (let attempt = 0; attempt < 8; attempt += 1) {
        const instance = attempt % 2 === 0 ? a : b;
        const response = await post(instance, '/auth/login', {
          email: uniqueEmail('flood'),
          password: 'x'.repeat(10),
        });
        statuses.push(response.status);
        if (response.status === 429)
          expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0);
      }
      // Each instance saw only four requests; the shared Redis counter saw eight.
      expect(statuses).toEqual([401, 401, 401, 401, 401, 401, 429, 429]);
    });
  },
);

describe('scale-out: start-up migrations under an advisory lock', () => {
  it('two instances migrating one empty database at once apply every migration exactly once', async () => {
    const adminUrl = process.env[TEST_ADMIN_URL_ENV] as string;
    const name = `pathavana_test_migrate_${process.pid}`;
    await recreateDatabase(adminUrl, name);
    const url = databaseUrl(adminUrl, name);
    try {
      // Two processes, as two instances starting at once would be.
      const [first, second] = await Promise.all([migrateInChild(url), migrateInChild(url)]);
      const applied = [...first, ...second];
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      const rows = (await client.query<{ name: string }>('SELECT name FROM typeorm_migrations'))
        .rows;
      await client.end();
      expect(rows.length).toBeGreaterThan(5);
      expect(applied.sort()).toEqual(rows.map((row) => row.name).sort());
      expect(new Set(applied).size).toBe(applied.length);
      // One instance did the work; the other waited on the lock and found nothing to do.
      expect([first.length, second.length].sort((x, y) => x - y)).toEqual([0, rows.length]);
    } finally {
      const client = new pg.Client({ connectionString: adminUrl });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    }
  });
});
