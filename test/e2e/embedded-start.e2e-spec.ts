import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { createApp, prepareDatabase, type PreparedDatabase } from '#src/bootstrap.js';
import { loadConfig } from '#config/app-config.js';
import { migrateInChild } from '../utils/migrate-in-child.js';

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** What `npm start` does without DATABASE_URL, on a private VAR_DIR and port. */
async function start(varDir: string, port: number): Promise<PreparedDatabase> {
  const database = await prepareDatabase(
    loadConfig({ NODE_ENV: 'test', VAR_DIR: varDir, EMBEDDED_PG_PORT: String(port) }),
  );
  await migrateInChild(database.config.DATABASE_URL);
  return database;
}

async function query<T extends pg.QueryResultRow>(url: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

describe('embedded PostgreSQL (npm start without DATABASE_URL)', () => {
  const varDir = mkdtempSync(join(process.env.PATHAVANA_TEST_TMP ?? '/tmp', 'embedded-'));
  chmodSync(varDir, 0o755);

  it('starts, serves /health/ready, keeps data across restarts and survives kill -9', async () => {
    const port = await freePort();

    // First start: initdb, create the database, migrate, serve.
    const first = await start(varDir, port);
    const app = await createApp({ ...first.config, LOG_LEVEL: 'silent' });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const ready = await fetch(`${await app.getUrl()}/api/v1/health/ready`);
    expect(ready.status).toBe(200);
    await query(
      first.config.DATABASE_URL,
      "CREATE TABLE probe (v text); INSERT INTO probe VALUES ('kept')",
    );
    await app.close();
    await first.stop();

    // Second start on the same VAR_DIR: the data is still there.
    const second = await start(varDir, port);
    expect(await query(second.config.DATABASE_URL, 'SELECT v FROM probe')).toEqual([{ v: 'kept' }]);
    await second.stop();

    // A process that owns the server is killed with SIGKILL: the server is orphaned...
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'test/utils/embedded-child.mts', join(varDir, 'pg'), String(port)],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => chunk.toString().includes('ready') && resolve());
      child.once('exit', (code) => reject(new Error(`child exited early with ${code}`)));
    });
    const orphanPid = Number(
      readFileSync(join(varDir, 'pg', 'postmaster.pid'), 'utf8').split('\n')[0],
    );
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));
    expect(() => process.kill(orphanPid, 0)).not.toThrow();

    // ...and the next start recovers: it stops the stale server and comes up with the data.
    const third = await start(varDir, port);
    expect(await query(third.config.DATABASE_URL, 'SELECT v FROM probe')).toEqual([{ v: 'kept' }]);
    await third.stop();
  }, 180_000); // three starts of a real server (initdb, migrations, a kill -9 recovery): 40 s at load 12
});
