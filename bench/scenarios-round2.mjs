// Round-2 scenarios (issue 22, items 1–3), kept apart from scenarios.mjs so branches merge easily.
//
// `sessions-get-peer`: GET /api/v1/sessions/:id against, in the SAME interleaved rounds,
//   - the raw baseline (bench/baseline/server.mjs: node:http + pg + jose),
//   - the API (this build),
//   - the peer (bench/peer/server.mjs: the same route the way a typical NestJS team writes it),
//   - optionally an older build of the API (BENCH_API_BEFORE=<its dist/src/main.js>), for A/B.
// All answer the same body for the same token (checked before measuring).
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { api, canonicalJson, freePort, load, median, rssSampler } from './lib/util.mjs';

const auth = (token) => ({ authorization: `Bearer ${token}` });

/** A bench/ server that prints one line when it listens (baseline, peer). */
async function startScript(ctx, script, label) {
  const port = await freePort();
  const child = spawn(process.execPath, [join(ctx.root, script)], {
    env: {
      ...process.env,
      DATABASE_URL: ctx.dbUrl,
      JWT_SECRET: ctx.appEnv.JWT_SECRET,
      DATABASE_POOL_SIZE: ctx.appEnv.DATABASE_POOL_SIZE ?? '10',
      PORT: String(port),
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${label} did not start`)), 30_000);
    child.once('exit', (code) => reject(new Error(`${label} exited with ${code}`)));
    child.stdout.once('data', () => {
      clearTimeout(timer);
      resolve();
    });
  });
  return {
    label,
    child,
    base: `http://127.0.0.1:${port}`,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** CPU seconds (user + system) a process has used so far, from /proc. */
async function cpuSeconds(pid) {
  const { readFile } = await import('node:fs/promises');
  const fields = (await readFile(`/proc/${pid}/stat`, 'utf8')).split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

export async function sessionsGetPeer(ctx, { createUser, seedHotSession }) {
  const user = await createUser(ctx, { purposes: ['travel_planning'] });
  const id = await seedHotSession(ctx, user);
  const path = `/api/v1/sessions/${id}`;
  const servers = [];
  try {
    servers.push(await startScript(ctx, 'bench/baseline/server.mjs', 'baseline'));
    servers.push({ label: 'API', child: ctx.app.child, base: ctx.app.base, stop: async () => {} });
    servers.push(await startScript(ctx, 'bench/peer/server.mjs', 'peer'));
    if (process.env.BENCH_API_BEFORE) {
      const before = await ctx.startApp({}, { script: process.env.BENCH_API_BEFORE });
      servers.push({
        label: 'API before',
        child: before.child,
        base: before.base,
        stop: () => ctx.stopApp(before),
      });
    }
    const bodies = [];
    for (const server of servers) {
      const { body } = await api(server.base, 'GET', path, {
        headers: auth(user.token),
        expect: 200,
      });
      // The same JSON value (the peer builds sessionData in JavaScript: another key order).
      bodies.push(canonicalJson(body));
    }
    if (new Set(bodies).size !== 1) throw new Error('the servers answer different bodies');

    const rounds = Number(process.env.BENCH_ROUNDS ?? (ctx.options.quick ? 1 : 3));
    const duration = ctx.options.quick ? 3 : 10;
    const opts = (base) => ({
      url: `${base}${path}`,
      connections: 50,
      duration,
      headers: auth(user.token),
    });
    for (const server of servers) await load({ ...opts(server.base), duration: 2 });
    const runs = new Map(servers.map((server) => [server.label, []]));
    for (let round = 0; round < rounds; round += 1) {
      const line = [];
      for (const server of servers) {
        const sampler = rssSampler(server.child.pid);
        const cpu0 = await cpuSeconds(server.child.pid);
        const result = await load(opts(server.base));
        const cpu = (await cpuSeconds(server.child.pid)) - cpu0;
        result.rssMb = sampler.stop();
        result.cpuMsPerRequest = (cpu * 1000) / Math.max(1, result.total);
        runs.get(server.label).push(result);
        line.push(
          `${server.label} ${result.rps.toFixed(0)} req/s (${result.cpuMsPerRequest.toFixed(3)} ms CPU/req, ${result.non2xx + result.errors} non-2xx/errors)`,
        );
      }
      ctx.log(`  round ${round + 1}: ${line.join(', ')}`);
    }
    const ratios = (a, b) => runs.get(a).map((run, i) => run.rps / runs.get(b)[i].rps);
    const fmt = (values) => values.map((value) => value.toFixed(2)).join(', ');
    const rows = [];
    for (const server of servers) {
      const list = runs.get(server.label);
      const rps = median(list.map((run) => run.rps));
      const mid = list.find((run) => run.rps === rps) ?? list[0];
      const row = {
        scenario: `GET session: ${server.label}`,
        value: rps,
        unit: 'req/s',
        p50: mid.p50,
        p95: mid.p95,
        p99: mid.p99,
        rssMb: Math.max(...list.map((run) => run.rssMb)),
        reference: `CPU ${median(list.map((run) => run.cpuMsPerRequest)).toFixed(3)} ms/req`,
        target: server.label === 'baseline' ? '(speed limit)' : '',
      };
      const errors = list.reduce((sum, run) => sum + run.non2xx + run.errors, 0);
      if (server.label !== 'baseline') {
        const perRound = ratios(server.label, 'baseline');
        row.ratio = median(perRound);
        row.note = `÷ baseline per round ${fmt(perRound)}; ${errors} non-2xx/errors`;
      }
      if (server.label === 'API') {
        row.target = '≥ 0.70× baseline';
        row.met = row.ratio >= 0.7 && errors === 0;
      }
      rows.push(row);
    }
    const vsPeer = ratios('API', 'peer');
    rows.push({
      scenario: 'GET session: API ÷ peer',
      value: median(vsPeer),
      unit: '×',
      reference: 'bench/peer (Express, passport, TypeORM)',
      ratio: median(vsPeer),
      target: '≥ 2×',
      met: median(vsPeer) >= 2,
      note: `per round ${fmt(vsPeer)}`,
    });
    if (runs.has('API before')) {
      const vsBefore = ratios('API', 'API before');
      rows.push({
        scenario: 'GET session: API ÷ API before',
        value: median(vsBefore),
        unit: '×',
        reference: process.env.BENCH_API_BEFORE,
        ratio: median(vsBefore),
        target: '(A/B)',
        note: `per round ${fmt(vsBefore)}`,
      });
    }
    return rows;
  } finally {
    for (const server of servers) await server.stop();
  }
}
