// GET /api/v1/sessions/:id A/B over any number of API builds (and the raw baseline), in one run:
//   node bench/ab.mjs <rounds> <seconds> baseline before=/tmp/x/dist/src/main.js after=dist/src/main.js
//   (a build may take node flags: label=<main.js>=--cpu-prof,--cpu-prof-dir=/tmp/prof)
// Fresh database on DATABASE_URL, one user and hot session (bench/scenarios.mjs), bodies compared,
// then interleaved rounds of -c 50 (order reversed every other round) with each process's CPU
// ms per request from /proc. Unlike `sessions-get-peer` it skips the (slow) peer and takes many
// builds, for quick experiments on patched copies of dist/. H_HOLD=<s> keeps the servers up that
// long first (prints the token and URLs, for strace/perf). A copy of a build needs dist/,
// package.json, node_modules and src/ (symlinks will do) beside each other.
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import pg from 'pg';
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const { startNode, freePort, load, median, api } = await import(join(ROOT, 'bench/lib/util.mjs'));
const { createUser, seedHotSession } = await import(join(ROOT, 'bench/scenarios.mjs'));
const [rounds, seconds, ...targets] = process.argv.slice(2);
const admin = process.env.DATABASE_URL;
const database = `pathavana_bench_ab_${Date.now()}`;
const ac = new pg.Client({ connectionString: admin });
await ac.connect();
await ac.query(`CREATE DATABASE "${database}"`);
const u = new URL(admin);
u.pathname = '/' + database;
const dbUrl = u.toString();
const { runMigrations } = await import(join(ROOT, 'dist/libs/database/migrate.js'));
await runMigrations(dbUrl);
const pool = new pg.Pool({ connectionString: dbUrl, max: 2 });
pool.on('error', () => {});
const appEnv = {
  NODE_ENV: 'production',
  DATABASE_URL: dbUrl,
  JWT_SECRET: randomBytes(48).toString('base64url'),
  DATA_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
  HOST: '127.0.0.1',
  LOG_LEVEL: process.env.H_LOG_LEVEL ?? 'warn',
  VAR_DIR: mkdtempSync(join(tmpdir(), 'pathavana-ab-')),
  THROTTLE_LIMIT: '100000000',
  AUTH_THROTTLE_LIMIT: '100000000',
  DOCUMENT_EXPIRY_SWEEP_SECONDS: '0',
  SHUTDOWN_GRACE_SECONDS: '0',
  PROVIDER_WEBHOOK_SECRET: 'bench-webhook-secret-0123456789',
};
const servers = [];
const cpu = async (pid) => {
  const f = (await readFile(`/proc/${pid}/stat`, 'utf8')).split(') ')[1].split(' ');
  return (Number(f[11]) + Number(f[12])) / 100;
};
try {
  for (const t of targets) {
    if (t === 'baseline') {
      const port = await freePort();
      const child = spawn(process.execPath, [join(ROOT, 'bench/baseline/server.mjs')], {
        env: {
          ...process.env,
          DATABASE_URL: dbUrl,
          JWT_SECRET: appEnv.JWT_SECRET,
          PORT: String(port),
        },
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      await new Promise((r) => child.stdout.once('data', r));
      servers.push({
        label: 'baseline',
        child,
        base: `http://127.0.0.1:${port}`,
        stop: async () => child.kill('SIGTERM'),
      });
    } else {
      const [label, script, ...rest] = t.split('=');
      const args = rest.join('=');
      const app = await startNode(script, {
        env: appEnv,
        readyPath: '/api/v1/health/ready',
        port: await freePort(),
        nodeArgs: args ? args.split(',') : [],
      });
      servers.push({ label, ...app });
    }
  }
  const ctx = { app: servers.find((s) => s.label !== 'baseline'), pool };
  const user = await createUser(ctx, { purposes: ['travel_planning'] });
  const id = await seedHotSession(ctx, user);
  const path = `/api/v1/sessions/${id}`;
  const headers = { authorization: `Bearer ${user.token}` };
  const bodies = new Set();
  for (const s of servers) {
    const r = await api(s.base, 'GET', path, { headers, expect: 200 });
    bodies.add(JSON.stringify(r.body));
  }
  if (bodies.size !== 1) console.log('WARNING different bodies', [...bodies]);
  console.log(
    `pids ${servers.map((s) => s.label + ':' + s.child.pid).join(' ')}  url-path ${path}`,
  );
  if (process.env.H_HOLD) {
    console.log('TOKEN', user.token);
    for (const s of servers) console.log(s.label, s.base + path);
    await new Promise((r) => setTimeout(r, Number(process.env.H_HOLD) * 1000));
  }
  for (const s of servers)
    await load({ url: s.base + path, connections: 50, duration: 2, headers });
  const runs = new Map(servers.map((s) => [s.label, []]));
  for (let r = 0; r < Number(rounds); r++) {
    const line = [];
    const order = r % 2 ? [...servers].reverse() : servers;
    for (const s of order) {
      const c0 = await cpu(s.child.pid);
      const res = await load({
        url: s.base + path,
        connections: 50,
        duration: Number(seconds),
        headers,
      });
      const c = (await cpu(s.child.pid)) - c0;
      res.cpuMs = (c * 1000) / res.total;
      runs.get(s.label).push(res);
      line.push(
        `${s.label} ${res.rps.toFixed(0)} rps ${res.cpuMs.toFixed(3)} ms/req${res.non2xx + res.errors ? ' ERR ' + (res.non2xx + res.errors) : ''}`,
      );
    }
    const { readFileSync } = await import('node:fs');
    console.log(
      `round ${r + 1} [load ${readFileSync('/proc/loadavg', 'utf8').split(' ')[0]}]: ${line.join(' | ')}`,
    );
  }
  const labels = [...runs.keys()];
  for (const l of labels)
    console.log(
      `${l}: median rps ${median(runs.get(l).map((x) => x.rps)).toFixed(0)}, median cpu ${median(runs.get(l).map((x) => x.cpuMs)).toFixed(3)} ms/req`,
    );
  if (runs.has('baseline'))
    for (const l of labels.filter((x) => x !== 'baseline')) {
      const rr = runs.get(l).map((x, i) => x.rps / runs.get('baseline')[i].rps);
      console.log(
        `${l} ÷ baseline per round ${rr.map((x) => x.toFixed(2)).join(', ')} median ${median(rr).toFixed(2)}; cpu ratio baseline/${l} ${(median(runs.get('baseline').map((x) => x.cpuMs)) / median(runs.get(l).map((x) => x.cpuMs))).toFixed(2)}`,
      );
    }
} finally {
  for (const s of servers) await s.stop().catch(() => {});
  await pool.end();
  await new Promise((r) => setTimeout(r, 500));
  await ac
    .query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`)
    .catch((e) => console.log(e.message));
  await ac.end();
}
