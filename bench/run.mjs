// Pathavana benchmark suite: `npm run bench [-- <scenario>...] [--quick] [--with-tests] [--cpu-prof]`.
// Creates a fresh database, migrates it, starts the PRODUCTION build of the API as a child
// process, seeds each scenario's data, measures, prints one table, drops the database.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { BENCH_WEBHOOK_SECRET, SCENARIOS as BASE_SCENARIOS } from './scenarios.mjs';
import { GROWTH_SCENARIOS } from './growth.mjs';
import { freePort, startNode } from './lib/util.mjs';

const SCENARIOS = [...BASE_SCENARIOS, ...GROWTH_SCENARIOS];
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const flags = new Set(args.filter((arg) => arg.startsWith('--')));
const wanted = args.filter((arg) => !arg.startsWith('--'));
const unknown = wanted.filter((name) => !SCENARIOS.some((scenario) => scenario.name === name));
if (flags.has('--help') || unknown.length > 0) {
  if (unknown.length > 0) console.error(`unknown scenario(s): ${unknown.join(', ')}`);
  console.log(
    `usage: npm run bench [-- <scenario>...] [--quick] [--with-tests] [--cpu-prof]\nscenarios: ${SCENARIOS.map((s) => s.name).join(', ')}`,
  );
  process.exit(unknown.length > 0 ? 2 : 0);
}
const options = {
  quick: flags.has('--quick'),
  withTests: flags.has('--with-tests'),
  cpuProf: flags.has('--cpu-prof'),
};
const selected = SCENARIOS.filter((scenario) =>
  wanted.length === 0 ? !scenario.optIn : wanted.includes(scenario.name),
);

const log = (message) =>
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);

function withDatabase(url, database) {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

async function openAdmin() {
  if (process.env.DATABASE_URL) {
    return {
      adminUrl: process.env.DATABASE_URL,
      kind: 'DATABASE_URL',
      stop: async () => undefined,
    };
  }
  const { startEmbeddedPostgres } = await import(
    join(ROOT, 'dist/libs/database/embedded-postgres.js')
  );
  const embedded = await startEmbeddedPostgres({
    dataDir: join(ROOT, 'var/pg-bench'),
    port: Number(process.env.BENCH_EMBEDDED_PG_PORT ?? 54339),
    log,
  });
  return {
    adminUrl: embedded.adminUrl,
    kind: 'embedded PostgreSQL 15',
    stop: () => embedded.stop(),
  };
}

function fmt(value, digits = 0) {
  if (value === null || value === undefined || Number.isNaN(value)) return '–';
  if (typeof value !== 'number') return String(value);
  return value.toLocaleString('en-US', {
    maximumFractionDigits: digits,
    minimumFractionDigits: digits,
  });
}

function table(rows) {
  const header = [
    'scenario',
    'median',
    'unit',
    'p50 ms',
    'p95 ms',
    'p99 ms',
    'peak RSS MB',
    'reference',
    'ratio',
    'target',
    'met?',
  ];
  const lines = rows.map((row) => [
    row.scenario,
    fmt(row.value, row.value !== undefined && row.value < 100 ? 1 : 0),
    row.unit ?? '',
    fmt(row.p50, 1),
    fmt(row.p95, 1),
    fmt(row.p99, 1),
    fmt(row.rssMb, 0),
    row.reference ?? '',
    row.ratio === undefined || row.ratio === null ? '' : `${fmt(row.ratio, 2)}×`,
    row.target ?? '',
    row.met === undefined
      ? ''
      : row.met === true
        ? 'yes'
        : row.met === false
          ? 'NO'
          : String(row.met),
  ]);
  const widths = header.map((title, i) =>
    Math.max(title.length, ...lines.map((line) => String(line[i]).length)),
  );
  const render = (cells) =>
    `| ${cells.map((cell, i) => String(cell).padEnd(widths[i])).join(' | ')} |`;
  return [
    render(header),
    `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`,
    ...lines.map(render),
  ].join('\n');
}

async function main() {
  const started = Date.now();
  const admin = await openAdmin();
  const database = `pathavana_bench_${Date.now()}`;
  const adminClient = new pg.Client({ connectionString: admin.adminUrl });
  await adminClient.connect();
  await adminClient.query(`CREATE DATABASE "${database}"`);
  const dbUrl = withDatabase(admin.adminUrl, database);
  const varDir = mkdtempSync(join(tmpdir(), 'pathavana-bench-'));
  const pool = new pg.Pool({ connectionString: dbUrl, max: 4 });
  // DROP DATABASE … WITH (FORCE) terminates idle connections: not an error for us.
  pool.on('error', () => undefined);
  adminClient.on('error', () => undefined);
  const apps = [];
  const cleanup = async () => {
    for (const app of apps.splice(0)) await app.stop().catch(() => undefined);
    await pool.end().catch(() => undefined);
    await adminClient
      .query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`)
      .catch((error) => log(`drop failed: ${error.message}`));
    await adminClient.end().catch(() => undefined);
    await admin.stop().catch(() => undefined);
    rmSync(varDir, { recursive: true, force: true });
  };
  let interrupted = false;
  const onSignal = () => {
    if (interrupted) process.exit(130);
    interrupted = true;
    log('interrupted: cleaning up');
    void cleanup().finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  const rows = [];
  try {
    log(`database ${database} on ${admin.kind}; migrating`);
    const { runMigrations } = await import(join(ROOT, 'dist/libs/database/migrate.js'));
    await runMigrations(dbUrl);

    const secrets = {
      JWT_SECRET: randomBytes(48).toString('base64url'),
      DATA_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    };
    const appEnv = {
      NODE_ENV: 'production',
      DATABASE_URL: dbUrl,
      ...secrets,
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      VAR_DIR: varDir,
      THROTTLE_LIMIT: '100000000',
      AUTH_THROTTLE_LIMIT: '100000000',
      DOCUMENT_EXPIRY_SWEEP_SECONDS: '0',
      PROVIDER_WEBHOOK_SECRET: BENCH_WEBHOOK_SECRET,
      SHUTDOWN_GRACE_SECONDS: '0',
      REDIS_URL: '',
    };
    delete appEnv.REDIS_URL;
    const profileDir = join(ROOT, 'bench/profiles');
    if (options.cpuProf) mkdirSync(profileDir, { recursive: true });
    const startApp = async (extraEnv = {}, { track = true, script } = {}) => {
      const app = await startNode(script ?? join(ROOT, 'dist/src/main.js'), {
        env: { ...appEnv, ...extraEnv },
        readyPath: '/api/v1/health/ready',
        port: await freePort(),
        nodeArgs: options.cpuProf ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [],
      });
      if (track) apps.push(app);
      return app;
    };
    const app = await startApp();
    log(
      `API (production build) on ${app.base}, pid ${app.child.pid}, ready in ${app.startedMs.toFixed(0)} ms`,
    );

    const ctx = {
      root: ROOT,
      options,
      dbUrl,
      adminUrl: admin.adminUrl,
      pool,
      app,
      appEnv,
      startApp,
      stopApp: async (instance) => {
        await instance.stop();
        const index = apps.indexOf(instance);
        if (index >= 0) apps.splice(index, 1);
      },
      log,
    };
    for (const scenario of selected) {
      if (interrupted) break;
      log(`scenario ${scenario.name}: ${scenario.title}`);
      const t0 = Date.now();
      try {
        rows.push(...(await scenario.run(ctx)));
      } catch (error) {
        log(`scenario ${scenario.name} failed: ${error.stack ?? error}`);
        rows.push({
          scenario: scenario.name,
          reference: `ERROR: ${String(error.message).slice(0, 80)}`,
          met: false,
        });
      }
      log(`scenario ${scenario.name} took ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    }
  } finally {
    report(rows, admin.kind);
    await cleanup();
  }
  log(`done in ${((Date.now() - started) / 1000).toFixed(0)} s (bench/results/latest.md)`);
}

function report(rows, databaseKind) {
  const output = table(rows);
  console.log(output);
  const notes = rows.filter((row) => row.note).map((row) => `- ${row.scenario}: ${row.note}`);
  if (notes.length > 0) console.log(`\n${notes.join('\n')}`);
  const resultsDir = join(ROOT, 'bench/results');
  mkdirSync(resultsDir, { recursive: true });
  writeFileSync(
    join(resultsDir, 'latest.json'),
    `${JSON.stringify({ date: new Date().toISOString(), options, database: databaseKind, node: process.version, rows }, null, 2)}\n`,
  );
  writeFileSync(
    join(resultsDir, 'latest.md'),
    `${output}\n${notes.length > 0 ? `\n${notes.join('\n')}\n` : ''}`,
  );
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
