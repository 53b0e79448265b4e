// Small helpers shared by the scenarios: child processes, RSS sampling, autocannon, HTTP.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import autocannon from 'autocannon';

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export function percentile(values, p) {
  if (values.length === 0) return NaN;
  const sorted = Float64Array.from(values).sort();
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index];
}

export const median = (values) => percentile(values, 50);

/** JSON with every object's keys sorted: equal for equal JSON values, whatever the key order. */
export function canonicalJson(value) {
  return JSON.stringify(value, (_key, item) =>
    item && typeof item === 'object' && !Array.isArray(item)
      ? Object.fromEntries(
          Object.keys(item)
            .sort()
            .map((key) => [key, item[key]]),
        )
      : item,
  );
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Resident set size of a process in MB (Linux /proc), or NaN. */
export function rssMb(pid) {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : NaN;
  } catch {
    return NaN;
  }
}

/** RSS split into anonymous memory (heaps, buffers) and file-backed pages (code), in MB. */
export function rssParts(pid) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (field) => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1] ?? NaN);
    return { rss: kb('VmRSS') / 1024, anon: kb('RssAnon') / 1024, file: kb('RssFile') / 1024 };
  } catch {
    return { rss: NaN, anon: NaN, file: NaN };
  }
}

/** Samples a process's RSS every `everyMs` until stopped; stop() answers the peak in MB. */
export function rssSampler(pid, everyMs = 25) {
  let peak = rssMb(pid);
  const timer = setInterval(() => {
    const now = rssMb(pid);
    if (now > peak || Number.isNaN(peak)) peak = now;
  }, everyMs);
  return {
    stop() {
      clearInterval(timer);
      const now = rssMb(pid);
      return now > peak ? now : peak;
    },
  };
}

/** Waits until `url` answers 200, polling every 20 ms, at most `timeoutMs`. */
export async function waitForOk(url, timeoutMs, child) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child && child.exitCode !== null) throw new Error(`process exited (${child.exitCode})`);
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(1000) });
      await response.arrayBuffer();
      if (response.status === 200) return;
    } catch {
      // not up yet
    }
    await sleep(20);
  }
  throw new Error(`${url} not ready after ${timeoutMs} ms`);
}

/**
 * Starts a Node child (the API or the baseline) with `env`, waits for `readyPath` on its port.
 * Answers { child, port, base, startedMs, stop() }; stderr is kept for error messages.
 */
export async function startNode(
  script,
  { env, readyPath, port, nodeArgs = [], timeoutMs = 60_000 },
) {
  const started = performance.now();
  const child = spawn(process.execPath, [...nodeArgs, script], {
    env: { ...process.env, ...env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk) => {
    output = (output + chunk.toString()).slice(-4000);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const base = `http://127.0.0.1:${port}`;
  try {
    await waitForOk(`${base}${readyPath}`, timeoutMs, child);
  } catch (error) {
    child.kill('SIGKILL');
    throw new Error(`${script} did not start: ${error.message}\n${output}`, { cause: error });
  }
  const startedMs = performance.now() - started;
  return {
    child,
    port,
    base,
    startedMs,
    output: () => output,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/**
 * One autocannon run; latencies are collected per response so p50/p95/p99 are exact.
 * Answers { rps, p50, p95, p99, total, ok (2xx), non2xx, errors, timeouts, durationS }.
 */
export function load(options) {
  return new Promise((resolve, reject) => {
    const latencies = [];
    const statuses = new Map();
    const instance = autocannon({ timeout: 30, ...options }, (error, result) => {
      if (error) return reject(error);
      const durationS = result.duration;
      resolve({
        rps: result.requests.total / durationS,
        p50: percentile(latencies, 50),
        p95: percentile(latencies, 95),
        p99: percentile(latencies, 99),
        total: result.requests.total,
        ok: result['2xx'],
        non2xx: result.non2xx,
        errors: result.errors,
        timeouts: result.timeouts,
        statuses: Object.fromEntries(statuses),
        durationS,
      });
    });
    instance.on('response', (_client, statusCode, _bytes, responseTime) => {
      latencies.push(responseTime);
      statuses.set(statusCode, (statuses.get(statusCode) ?? 0) + 1);
    });
  });
}

/** JSON request to the API; throws with the body on an unexpected status. */
export async function api(base, method, path, { token, body, headers = {}, expect } = {}) {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: {
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...headers,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  const json =
    text && response.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text;
  if (expect !== undefined && response.status !== expect) {
    throw new Error(`${method} ${path}: ${response.status} ${text.slice(0, 500)}`);
  }
  return { status: response.status, body: json, headers: response.headers };
}
