// Dev tool for the planContains search (issue 22, item 3): the same requests through several HTTP
// clients, interleaved, with the CPU each process spends per request and the CPU the machine's
// OTHER processes used during each round. A persistent scratch database with the bench's 1M seed,
// so runs take seconds, not the bench's minute of seeding.
//
//   npm run build
//   node bench/search-clients.mjs setup                    # once: database bench_search_clients
//   node bench/search-clients.mjs measure [rounds] [main.js ...]
//
// Each main.js (default: this build) runs as its own API on the same data; with two or more, the
// bodies are compared first. Knobs: CLIENTS (autocannon,fetch,undici,http,raw), PATHS
// (search,live), REQUESTS per round and client (300), WARMUP per build/client/path (50), SQL=1
// (also `SELECT 1` and the search SQL alone on a direct connection), NODE_ARGS (for the APIs).
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import pg from 'pg';
import { Pool as UndiciPool } from 'undici';
import { SEARCH_SQL, seedSearchSessions } from './lib/search-seed.mjs';
import { createUser } from './scenarios.mjs';
import { api, freePort, median, percentile, startNode } from './lib/util.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const STATE = join(tmpdir(), 'bench-search-clients.json');
const DB = 'bench_search_clients';
if (!process.env.DATABASE_URL) throw new Error('DATABASE_URL is required');
const dbUrl = (() => {
  const url = new URL(process.env.DATABASE_URL);
  url.pathname = `/${DB}`;
  return url.toString();
})();
// In-memory rate limits, like the bench (no Redis).
delete process.env.REDIS_URL;
const log = (m) => process.stderr.write(`[${new Date().toISOString().slice(11, 19)}] ${m}\n`);
const PASSWORD = 'correct horse battery staple';
const FILTER = { destinationCity: 'City-42', tags: ['museums'] };
const PATHS = {
  search: `/api/v1/sessions?limit=20&planContains=${encodeURIComponent(JSON.stringify(FILTER))}`,
  live: '/api/v1/health/live',
};

function startApp(state, script) {
  return freePort().then((port) =>
    startNode(script, {
      env: {
        NODE_ENV: 'production',
        DATABASE_URL: dbUrl,
        JWT_SECRET: state.JWT_SECRET,
        DATA_ENCRYPTION_KEY: state.DATA_ENCRYPTION_KEY,
        HOST: '127.0.0.1',
        LOG_LEVEL: 'warn',
        VAR_DIR: join(tmpdir(), 'bench-search-clients-var'),
        THROTTLE_LIMIT: '100000000',
        AUTH_THROTTLE_LIMIT: '100000000',
        DOCUMENT_EXPIRY_SWEEP_SECONDS: '0',
        SHUTDOWN_GRACE_SECONDS: '0',
        PROVIDER_WEBHOOK_SECRET: 'bench-webhook-secret-0123456789',
      },
      readyPath: '/api/v1/health/ready',
      port,
      nodeArgs: process.env.NODE_ARGS ? process.env.NODE_ARGS.split(' ') : [],
    }),
  );
}

async function setup() {
  const admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${DB} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${DB}`);
  await admin.end();
  const { runMigrations } = await import(join(ROOT, 'dist/libs/database/migrate.js'));
  await runMigrations(dbUrl);
  const state = {
    JWT_SECRET: randomBytes(48).toString('base64url'),
    DATA_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
  };
  const app = await startApp(state, join(ROOT, 'dist/src/main.js'));
  const pool = new pg.Pool({ connectionString: dbUrl, max: 2 });
  const owners = [];
  for (let i = 0; i < 4; i += 1)
    owners.push(await createUser({ app, pool }, { purposes: ['travel_planning'] }));
  await app.stop();
  // The bench's own seed (bench/scenarios.mjs `search`).
  await seedSearchSessions(
    pool,
    owners.map((owner) => owner.id),
    1_000_000,
  );
  await pool.end();
  state.owners = owners.map(({ id, email }) => ({ id, email }));
  writeFileSync(STATE, JSON.stringify(state, null, 2));
  log(`seeded ${DB}; state in ${STATE}`);
}

// --- clients: each answers the latencies (ms) of n sequential GETs on one keep-alive connection
async function viaFetch(base, path, headers, n) {
  const out = [];
  for (let i = 0; i < n; i += 1) {
    const t0 = performance.now();
    const response = await fetch(base + path, { headers });
    await response.arrayBuffer();
    out.push(performance.now() - t0);
    if (response.status !== 200) throw new Error(`fetch: ${response.status}`);
  }
  return out;
}
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
function httpGet(base, path, headers) {
  const url = new URL(base);
  return new Promise((done, fail) => {
    const req = http.request(
      { host: url.hostname, port: url.port, path, headers, agent },
      (res) => {
        res.on('data', () => undefined);
        res.on('end', () => done(res.statusCode));
        res.on('error', fail);
      },
    );
    req.on('error', fail);
    req.end();
  });
}
async function viaHttp(base, path, headers, n) {
  const out = [];
  for (let i = 0; i < n; i += 1) {
    const t0 = performance.now();
    const status = await httpGet(base, path, headers);
    out.push(performance.now() - t0);
    if (status !== 200) throw new Error(`node:http: ${status}`);
  }
  return out;
}
const undiciPools = new Map();
async function viaUndici(base, path, headers, n) {
  if (!undiciPools.has(base)) undiciPools.set(base, new UndiciPool(base, { connections: 1 }));
  const pool = undiciPools.get(base);
  const out = [];
  for (let i = 0; i < n; i += 1) {
    const t0 = performance.now();
    const { statusCode, body } = await pool.request({ path, method: 'GET', headers });
    await body.arrayBuffer();
    out.push(performance.now() - t0);
    if (statusCode !== 200) throw new Error(`undici: ${statusCode}`);
  }
  return out;
}
async function viaAutocannon(base, path, headers, n) {
  const out = [];
  await new Promise((done, fail) => {
    const instance = autocannon(
      { url: base + path, connections: 1, amount: n, headers, timeout: 30 },
      (error) => (error ? fail(error) : done()),
    );
    instance.on('response', (_client, _status, _bytes, responseTime) => out.push(responseTime));
  });
  return out;
}
// A raw socket writing one prebuilt request and reading to Content-Length: the least a client can do.
const rawSockets = new Map();
function rawSocket(base) {
  if (rawSockets.has(base)) return rawSockets.get(base);
  const url = new URL(base);
  const socket = net.connect({ host: url.hostname, port: Number(url.port), noDelay: true });
  const state = {
    socket,
    buffer: Buffer.alloc(0),
    pending: null,
    ready: new Promise((done) => socket.once('connect', done)),
  };
  socket.on('data', (chunk) => {
    state.buffer = state.buffer.length ? Buffer.concat([state.buffer, chunk]) : chunk;
    const headEnd = state.buffer.indexOf('\r\n\r\n');
    if (headEnd < 0) return;
    const head = state.buffer.subarray(0, headEnd).toString('latin1');
    const length = Number(/content-length: *(\d+)/i.exec(head)?.[1] ?? 0);
    if (state.buffer.length < headEnd + 4 + length) return;
    state.buffer = state.buffer.subarray(headEnd + 4 + length);
    const pending = state.pending;
    state.pending = null;
    pending(Number(head.slice(9, 12)));
  });
  rawSockets.set(base, state);
  return state;
}
async function viaRaw(base, path, headers, n) {
  const state = rawSocket(base);
  await state.ready;
  const lines = Object.entries(headers).map(([name, value]) => `${name}: ${value}\r\n`);
  const request = Buffer.from(
    `GET ${path} HTTP/1.1\r\nhost: ${new URL(base).host}\r\n${lines.join('')}\r\n`,
  );
  const out = [];
  for (let i = 0; i < n; i += 1) {
    const t0 = performance.now();
    const status = await new Promise((done) => {
      state.pending = done;
      state.socket.write(request);
    });
    out.push(performance.now() - t0);
    if (status !== 200) throw new Error(`raw: ${status}`);
  }
  return out;
}
const CLIENTS = {
  autocannon: viaAutocannon,
  fetch: viaFetch,
  undici: viaUndici,
  http: viaHttp,
  raw: viaRaw,
};

// --- CPU from /proc, in ms (10 ms ticks)
function cpuMs(statPath) {
  try {
    const fields = readFileSync(statPath, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return 0;
  }
}
function machineBusyMs() {
  const f = readFileSync('/proc/stat', 'utf8')
    .split('\n')[0]
    .trim()
    .split(/\s+/)
    .slice(1)
    .map(Number);
  return (f[0] + f[1] + f[2] + f[5] + f[6] + f[7]) * 10;
}
async function cpuSnapshot(sql, pid) {
  const { rows } = await sql.query(`SELECT pid FROM pg_stat_activity WHERE datname = $1`, [DB]);
  return {
    api: cpuMs(`/proc/${pid}/stat`),
    main: cpuMs(`/proc/${pid}/task/${pid}/stat`),
    pg: rows.reduce((sum, row) => sum + cpuMs(`/proc/${row.pid}/stat`), 0),
    client: cpuMs(`/proc/${process.pid}/stat`),
    busy: machineBusyMs(),
    t: performance.now(),
  };
}
const stats = (xs) =>
  `p50 ${median(xs).toFixed(2)} p95 ${percentile(xs, 95).toFixed(2)} p99 ${percentile(xs, 99).toFixed(2)}`;

async function measure(rounds, scripts) {
  const state = JSON.parse(readFileSync(STATE, 'utf8'));
  const apps = [];
  for (const script of scripts) apps.push({ label: script, app: await startApp(state, script) });
  const owner = state.owners[1];
  const { body } = await api(apps[0].app.base, 'POST', '/api/v1/auth/login', {
    body: { email: owner.email, password: PASSWORD },
    expect: 200,
  });
  const headers = { authorization: `Bearer ${body.accessToken}` };
  if (apps.length > 1) {
    for (const path of [
      PATHS.search,
      '/api/v1/sessions?limit=50',
      '/api/v1/sessions?status=archived',
    ]) {
      const bodies = [];
      for (const { app } of apps)
        bodies.push(await (await fetch(app.base + path, { headers })).text());
      if (new Set(bodies).size !== 1) throw new Error(`the builds answer ${path} differently`);
    }
    log('bodies identical across builds');
  }
  const clients = (process.env.CLIENTS ?? 'autocannon,fetch,undici,http,raw').split(',');
  const paths = (process.env.PATHS ?? 'search,live').split(',');
  const n = Number(process.env.REQUESTS ?? 300);
  const sql = new pg.Client({ connectionString: dbUrl });
  await sql.connect();
  await sql.query(SEARCH_SQL, [owner.id, JSON.stringify(FILTER)]);
  for (const { app } of apps)
    for (const client of clients)
      for (const path of paths)
        await CLIENTS[client](app.base, PATHS[path], headers, Number(process.env.WARMUP ?? 50));
  const results = {};
  for (let round = 0; round < rounds; round += 1) {
    const load = loadavg()[0].toFixed(2);
    for (const { label, app } of round % 2 ? [...apps].reverse() : apps) {
      for (const path of paths) {
        for (const client of round % 2 ? [...clients].reverse() : clients) {
          const key = `${label} ${path} ${client}`;
          const s0 = await cpuSnapshot(sql, app.child.pid);
          const latencies = await CLIENTS[client](app.base, PATHS[path], headers, n);
          const s1 = await cpuSnapshot(sql, app.child.pid);
          (results[key] ??= []).push(latencies);
          const per = (field) => ((s1[field] - s0[field]) / n).toFixed(2);
          const mine = ['api', 'pg', 'client'].reduce((sum, f) => sum + s1[f] - s0[f], 0);
          const others = ((s1.busy - s0.busy - mine) / (s1.t - s0.t)) * 100;
          log(
            `round ${round + 1} (load ${load}) ${key}: ${stats(latencies)} ms | CPU/request: API ${per('api')} (main thread ${per('main')}), PostgreSQL ${per('pg')}, client ${per('client')} ms | other processes ${others.toFixed(0)} % of a core`,
          );
        }
      }
    }
    if (process.env.SQL) {
      for (const [name, text, values] of [
        ['SELECT 1', 'SELECT 1', []],
        ['search SQL alone', SEARCH_SQL, [owner.id, JSON.stringify(FILTER)]],
      ]) {
        const latencies = [];
        for (let i = 0; i < n; i += 1) {
          const t0 = performance.now();
          await sql.query(text, values);
          latencies.push(performance.now() - t0);
        }
        (results[name] ??= []).push(latencies);
        log(`round ${round + 1} (load ${load}) ${name}: ${stats(latencies)} ms`);
      }
    }
  }
  log('per key: p95 per round; all rounds pooled');
  for (const [key, runs] of Object.entries(results))
    log(
      `${key}: ${runs.map((xs) => percentile(xs, 95).toFixed(2)).join(', ')}; pooled ${stats(runs.flat())}`,
    );
  await sql.end();
  for (const pool of undiciPools.values()) await pool.close();
  for (const { socket } of rawSockets.values()) socket.destroy();
  agent.destroy();
  for (const { app } of apps) await app.stop();
}

const [command, ...rest] = process.argv.slice(2);
if (command === 'setup') await setup();
else if (command === 'measure')
  await measure(
    Number(rest[0] ?? 3),
    rest.length > 1 ? rest.slice(1) : [join(ROOT, 'dist/src/main.js')],
  );
else console.error('usage: node bench/search-clients.mjs setup | measure [rounds] [main.js ...]');
