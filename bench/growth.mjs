// Cost as data grows (issue #22, item 4): the same request against a small and a large data
// set in ONE run, interleaved rounds, ratio large ÷ small. Bulk rows are seeded with
// `INSERT … SELECT generate_series` in chunks of 1M, one after the other in time order (so the
// heap is in `occurred_at` order, as an append-only production table is); the big tables'
// indexes (and primary key) are dropped for the insert and rebuilt from their own definitions,
// then VACUUM ANALYZE (what autovacuum does to an append-only table: statistics, hint bits and
// the visibility map, so the first export does not pay for setting hint bits on every page).
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { api, load, median, rssMb } from './lib/util.mjs';
import { createStaff, createUser, download, hotelBookingBody } from './scenarios.mjs';

const auth = (token) => ({ authorization: `Bearer ${token}` });
const n = (value) => value.toLocaleString('en-US');
const secondsSince = (t0) => ((Date.now() - t0) / 1000).toFixed(1);

/** EXPLAIN (ANALYZE, BUFFERS) of `sql` as one line per plan node, for the notes/log. */
async function explain(ctx, sql, params) {
  const { rows } = await ctx.pool.query(`EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) ${sql}`, params);
  return rows.map((row) => row['QUERY PLAN']).join('\n');
}

/** Rows per INSERT: progress in the log, and no single multi-minute statement. */
const SEED_CHUNK = 1_000_000;
/** Index builds sort in memory instead of spilling (the default 64 MB spills at 10M rows). */
const SEED_MAINTENANCE_WORK_MEM = '512MB';

/**
 * Drops a table's indexes and primary key, runs `insertRange(from, to)` (`generate_series`
 * bounds, inclusive) over [0, total) in chunks, rebuilds the indexes, VACUUM ANALYZE.
 * The chunks run one after the other on purpose: two concurrent writers interleave their rows
 * in the heap, which took the `occurred_at` correlation from ~1 to 0.49 and turned the 1M
 * export window into a parallel seq scan + sort (measured 2026-12-06).
 */
async function bulkInsert(ctx, table, total, insertRange) {
  const { rows: indexes } = await ctx.pool.query(
    `SELECT i.indexrelid::regclass::text AS name, pg_get_indexdef(i.indexrelid) AS def,
            c.conname, pg_get_constraintdef(c.oid) AS condef
       FROM pg_index i LEFT JOIN pg_constraint c ON c.conindid = i.indexrelid AND c.conrelid = i.indrelid
      WHERE i.indrelid = $1::regclass`,
    [table],
  );
  for (const index of indexes) {
    if (index.conname) {
      await ctx.pool.query(`ALTER TABLE ${table} DROP CONSTRAINT "${index.conname}"`);
    } else {
      await ctx.pool.query(`DROP INDEX ${index.name}`);
    }
  }
  const t0 = Date.now();
  for (let from = 0; from < total; from += SEED_CHUNK) {
    const to = Math.min(from + SEED_CHUNK, total) - 1;
    await insertRange(from, to);
    if (total > SEED_CHUNK) ctx.log(`  ${table}: ${n(to + 1)} rows, ${secondsSince(t0)} s`);
  }
  const inserted = secondsSince(t0);
  const t1 = Date.now();
  const client = await ctx.pool.connect();
  try {
    await client.query(`SET maintenance_work_mem = '${SEED_MAINTENANCE_WORK_MEM}'`);
    for (const index of indexes) {
      await client.query(
        index.conname
          ? `ALTER TABLE ${table} ADD CONSTRAINT "${index.conname}" ${index.condef}`
          : index.def,
      );
    }
  } finally {
    client.release(true);
  }
  const rebuilt = secondsSince(t1);
  const t2 = Date.now();
  await ctx.pool.query(`VACUUM ANALYZE ${table}`);
  return `insert ${inserted} s (chunks of ${n(SEED_CHUNK)}), ${indexes.length} indexes rebuilt in ${rebuilt} s (maintenance_work_mem ${SEED_MAINTENANCE_WORK_MEM}), VACUUM ANALYZE ${secondsSince(t2)} s`;
}

/**
 * EXPLAIN (no ANALYZE: the plan's shape) of the export's SELECT for the first `count` seconds of
 * 2020, on a connection set up as the export pool's (`session`) or with the planner defaults.
 */
async function exportPlan(ctx, count, { session }) {
  const { consentExportCopySql, EXPORT_SESSION_SETTINGS_SQL } = await import(
    join(ctx.root, 'dist/src/modules/compliance/privacy/consent-records-export.sql.js')
  );
  const to = new Date(Date.parse('2020-01-01T00:00:00Z') + count * 1000).toISOString();
  const copy = consentExportCopySql('csv', { from: '2020-01-01T00:00:00Z', to });
  const select = /^COPY \((.*)\) TO STDOUT/s.exec(copy)[1];
  const client = await ctx.pool.connect();
  try {
    if (session) await client.query(`SELECT ${EXPORT_SESSION_SETTINGS_SQL}`);
    const { rows } = await client.query(`EXPLAIN (COSTS OFF) ${select}`);
    return rows.map((row) => row['QUERY PLAN']).join('\n');
  } finally {
    client.release(true); // the session settings go with the connection
  }
}

/** Alternates `rounds` runs of `a` and `b`; answers the per-round results of each. */
async function interleaved(rounds, a, b) {
  const results = { a: [], b: [] };
  for (let round = 0; round < rounds; round += 1) {
    // Alternate which side goes first, so neither always gets the warmer machine.
    if (round % 2 === 0) {
      results.a.push(await a(round));
      results.b.push(await b(round));
    } else {
      results.b.push(await b(round));
      results.a.push(await a(round));
    }
  }
  return results;
}

/**
 * A compliance officer whose device session has passed the second factor: staff routes refuse
 * a session without it (MFA_ENROLMENT_REQUIRED). The bench marks it in SQL, as createUser does
 * for the email verification; the guard reads both columns on every request.
 */
const medianOf = (results, key) => median(results.map((result) => result[key]));
const fmtList = (values) => values.map((value) => value.toFixed(2)).join(', ');

// ---------------------------------------------------------------------------------------------
// Appends on a session holding 10 vs 490 chat messages
async function growthMessages(ctx) {
  const user = await createUser(ctx, { purposes: ['travel_planning'] });
  const sessionsPerSide = ctx.options.quick ? 10 : 40;
  const rounds = ctx.options.quick ? 2 : 3;
  const perRound = 2; // appends per session per round: 490 + 2 × 3 = 496 ≤ 500
  const create = async () =>
    (
      await api(ctx.app.base, 'POST', '/api/v1/sessions', {
        token: user.token,
        body: { title: 'growth bench' },
        expect: 201,
      })
    ).body.id;
  const small = [];
  const large = [];
  for (let i = 0; i < sessionsPerSide; i += 1) small.push(await create());
  for (let i = 0; i < sessionsPerSide; i += 1) large.push(await create());
  // Transcripts like a real chat: alternating user/assistant turns of ~420 characters, as rows
  // of unified_session_messages with the session's counters (what the appends would have left).
  const seed = async (ids, count) =>
    ctx.pool.query(
      `WITH added AS (
         INSERT INTO unified_session_messages (session_id, seq, message)
         SELECT s.id, g, jsonb_build_object(
                  'id', gen_random_uuid()::text, 'seq', g,
                  'role', CASE WHEN g % 2 = 1 THEN 'user' ELSE 'assistant' END,
                  'content', 'Day ' || g || ': ' || repeat(md5(s.id::text || g), 12),
                  'createdAt', to_char(now() AT TIME ZONE 'UTC' - (600 - g) * interval '1 minute',
                                       'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))
           FROM unnest($1::uuid[]) AS s(id), generate_series(1, $2::int) AS g
         RETURNING session_id, message)
       UPDATE unified_travel_sessions s
          SET message_count = added.n, message_bytes = added.bytes
         FROM (SELECT session_id, count(*) AS n, sum(octet_length(message::text) + 2) AS bytes
                 FROM added GROUP BY session_id) AS added
        WHERE s.id = added.session_id`,
      [ids, count],
    );
  await seed(small, 10);
  await seed(large, 490);
  await ctx.pool.query('VACUUM ANALYZE unified_travel_sessions');
  const {
    rows: [sizes],
  } = await ctx.pool.query(
    `SELECT (sum(pg_column_size(message)) FILTER (WHERE session_id = ANY($1::uuid[])) / $3)::int AS small,
            (sum(pg_column_size(message)) FILTER (WHERE session_id = ANY($2::uuid[])) / $3)::int AS large,
            (sum(octet_length(message::text)) FILTER (WHERE session_id = ANY($2::uuid[])) / $3)::int AS large_text
       FROM unified_session_messages`,
    [small, large, sessionsPerSide],
  );
  const body = JSON.stringify({
    role: 'user',
    content: 'Could we add a day trip to Sintra on the second day?',
  });
  const headers = { ...auth(user.token), 'content-type': 'application/json' };
  const appendRound = (ids) => async () => {
    let next = 0;
    return load({
      url: ctx.app.base,
      connections: 4,
      amount: ids.length * perRound,
      requests: [
        {
          method: 'POST',
          headers,
          body,
          setupRequest: (request) => ({
            ...request,
            path: `/api/v1/sessions/${ids[next++ % ids.length]}/messages`,
          }),
        },
      ],
    });
  };
  // Warm-up on the small side only (its own sessions stay far from the limit).
  await appendRound(small)();
  const { a, b } = await interleaved(rounds, appendRound(small), appendRound(large));
  const ratiosP50 = a.map((result, i) => b[i].p50 / result.p50);
  const ratiosP95 = a.map((result, i) => b[i].p95 / result.p95);
  const failed = [...a, ...b].reduce((sum, result) => sum + result.total - result.ok, 0);
  const {
    rows: [stored],
  } = await ctx.pool.query(
    `SELECT min(n)::int AS min, max(n)::int AS max
       FROM (SELECT count(*) AS n FROM unified_session_messages
              WHERE session_id = ANY($1::uuid[]) GROUP BY session_id) AS counts`,
    [large],
  );
  const ratio = median(ratiosP50);
  return [
    {
      scenario: 'append, 10 msgs in session',
      value: medianOf(a, 'rps'),
      unit: 'appends/s',
      p50: medianOf(a, 'p50'),
      p95: medianOf(a, 'p95'),
      p99: medianOf(a, 'p99'),
      reference: `transcript ${n(sizes.small)} B`,
      target: '(small side)',
    },
    {
      scenario: 'append, 490 msgs in session',
      value: medianOf(b, 'rps'),
      unit: 'appends/s',
      p50: medianOf(b, 'p50'),
      p95: medianOf(b, 'p95'),
      p99: medianOf(b, 'p99'),
      reference: `p50 vs 10 msgs`,
      ratio,
      target: '≤ 3×',
      met: ratio <= 3 && failed === 0,
      note: `${rounds} interleaved rounds × ${sessionsPerSide} sessions per side × ${perRound} appends at c=4 (different sessions, so no row-lock queue); per-round p50 ratios ${fmtList(ratiosP50)}, p95 ratios ${fmtList(ratiosP95)}; transcript stored ${n(sizes.small)} B vs ${n(sizes.large)} B per session (rows of unified_session_messages; ${n(sizes.large_text)} B as text), large sessions now hold ${stored.min}–${stored.max} messages; non-2xx ${failed}`,
    },
  ];
}

// ---------------------------------------------------------------------------------------------
// GET /bookings first page: an owner with 10 vs 100 000 bookings
async function growthBookings(ctx) {
  const bigCount = Number(
    process.env.BENCH_GROWTH_BOOKINGS ?? (ctx.options.quick ? 20_000 : 100_000),
  );
  const makeOwner = async () => {
    const user = await createUser(ctx);
    const traveler = await api(ctx.app.base, 'POST', '/api/v1/travelers', {
      token: user.token,
      body: { firstName: 'Ana', lastName: 'Silva', dateOfBirth: '1990-05-17' },
      expect: 201,
    });
    const created = await api(ctx.app.base, 'POST', '/api/v1/bookings', {
      token: user.token,
      headers: { 'idempotency-key': randomUUID() },
      body: hotelBookingBody(traveler.body.id),
      expect: 201,
    });
    return { ...user, bookingId: created.body.id };
  };
  const smallOwner = await makeOwner();
  const bigOwner = await makeOwner();
  // Copies of each owner's real booking: every column from the template, new id, reference,
  // provider reference and created_at (one minute apart, older than the template).
  const { rows: columns } = await ctx.pool.query(
    `SELECT column_name FROM information_schema.columns
      WHERE table_schema = 'public' AND table_name = 'bookings' ORDER BY ordinal_position`,
  );
  // The small owner's bookings are a year old, the big owner's the newest in the table: a
  // scan of the global created_at index filtered by owner would have to walk past all 100k.
  const override = (age) => ({
    id: 'gen_random_uuid()',
    reference: `t.reference || '-' || g`,
    provider_reference: `t.provider_reference || '-' || g`,
    confirmation_code: `t.confirmation_code || '-' || g`,
    created_at: `t.created_at - ${age} - g * interval '1 minute'`,
    updated_at: `t.created_at - ${age} - g * interval '1 minute'`,
  });
  const names = columns.map((column) => `"${column.column_name}"`).join(', ');
  const copy = async (bookingId, count, age) => {
    const values = columns
      .map((column) => override(age)[column.column_name] ?? `t."${column.column_name}"`)
      .join(', ');
    await ctx.pool.query(
      `INSERT INTO bookings (${names})
       SELECT ${values} FROM bookings t, generate_series(1, $2::int) AS g WHERE t.id = $1`,
      [bookingId, count],
    );
  };
  const t0 = Date.now();
  await ctx.pool.query(
    `UPDATE bookings SET created_at = created_at - interval '365 days' WHERE id = $1`,
    [smallOwner.bookingId],
  );
  await copy(smallOwner.bookingId, 9, `interval '0 days'`);
  await copy(bigOwner.bookingId, bigCount - 1, `interval '0 days'`);
  await ctx.pool.query('VACUUM ANALYZE bookings');
  const seeded = secondsSince(t0);
  const {
    rows: [counts],
  } = await ctx.pool.query(
    `SELECT count(*) FILTER (WHERE user_id = $1)::int AS small, count(*) FILTER (WHERE user_id = $2)::int AS big
       FROM bookings`,
    [smallOwner.id, bigOwner.id],
  );
  // The route's SQL, as TypeORM sends it (keysetPage: ORDER BY created_at DESC, id DESC LIMIT 21).
  const { rows: cols } = await ctx.pool.query(
    `SELECT string_agg(format('%I', column_name), ', ') AS list FROM information_schema.columns
      WHERE table_schema = 'public' AND table_name = 'bookings'`,
  );
  const listSql = `SELECT ${cols[0].list} FROM bookings booking WHERE booking.user_id = $1
      ORDER BY booking.created_at DESC, booking.id DESC LIMIT 21`;
  const plans = {
    small: await explain(ctx, listSql, [smallOwner.id]),
    big: await explain(ctx, listSql, [bigOwner.id]),
  };
  ctx.log(`  GET /bookings plan, owner of 10:\n${plans.small}`);
  ctx.log(`  GET /bookings plan, owner of ${n(bigCount)}:\n${plans.big}`);
  const planOk = (plan) => /Index Scan Backward/.test(plan) && !/Sort/.test(plan);
  const scanned = (plan) => /Index Scan Backward using (\w+)/.exec(plan)?.[1] ?? 'no index scan';
  const page = (owner) => async () =>
    load({
      url: `${ctx.app.base}/api/v1/bookings`,
      connections: 10,
      duration: ctx.options.quick ? 2 : 5,
      headers: auth(owner.token),
    });
  await page(smallOwner)();
  await page(bigOwner)();
  const { a, b } = await interleaved(ctx.options.quick ? 2 : 3, page(smallOwner), page(bigOwner));
  const ratiosP50 = a.map((result, i) => b[i].p50 / result.p50);
  const ratiosRps = a.map((result, i) => result.rps / b[i].rps);
  const failed = [...a, ...b].reduce((sum, result) => sum + result.total - result.ok, 0);
  const ratio = median(ratiosP50);
  const indexUsed = planOk(plans.small) && planOk(plans.big);
  return [
    {
      scenario: `GET /bookings, owner of ${counts.small}`,
      value: medianOf(a, 'rps'),
      unit: 'req/s',
      p50: medianOf(a, 'p50'),
      p95: medianOf(a, 'p95'),
      p99: medianOf(a, 'p99'),
      reference: 'first page (20)',
      target: '(small side)',
    },
    {
      scenario: `GET /bookings, owner of ${n(counts.big)}`,
      value: medianOf(b, 'rps'),
      unit: 'req/s',
      p50: medianOf(b, 'p50'),
      p95: medianOf(b, 'p95'),
      p99: medianOf(b, 'p99'),
      reference: 'p50 vs 10 bookings',
      ratio,
      target: '≤ 1.5×',
      met: ratio <= 1.5 && failed === 0 && indexUsed,
      note: `seeded in ${seeded} s (copies of each owner's real booking); ${a.length} interleaved rounds of -c 10 -d ${ctx.options.quick ? 2 : 5}; per-round p50 ratios ${fmtList(ratiosP50)}, req/s ratios (small ÷ large) ${fmtList(ratiosRps)}; plans (EXPLAIN ANALYZE of the route's SQL): owner of 10 → ${scanned(plans.small)}, owner of ${n(bigCount)} → ${scanned(plans.big)}${indexUsed ? ', no sort' : ' (a sort or no index: see log)'}; non-2xx ${failed}`,
    },
  ];
}

// ---------------------------------------------------------------------------------------------
// Consent export rows/s at 1M vs 10M events, and /compliance/audit-events at 10M events
async function growthEvents(ctx) {
  const total = Number(
    process.env.BENCH_GROWTH_EVENTS ?? (ctx.options.quick ? 1_000_000 : 10_000_000),
  );
  const auditTotal = Number(process.env.BENCH_GROWTH_AUDIT_EVENTS ?? total);
  const window = Math.min(1_000_000, total / 2);
  const rows = [];

  // Consent events: same shape as the `export` scenario (10 000 subjects, one second apart).
  const seededConsent = await bulkInsert(ctx, 'consent_events', total, (from, to) =>
    ctx.pool.query(
      `INSERT INTO consent_events (id, subject_id, purpose, notice_version, text_sha256, decision, occurred_at,
                                   ip, user_agent, source, seq, prev_hash, hash)
       SELECT gen_random_uuid(), md5('subject' || (g % 10000))::uuid,
              (ARRAY['travel_planning','travel_documents','travel_booking','marketing','analytics'])[1 + g % 5]::consent_purpose,
              1, md5('notice') || md5('text'),
              (CASE WHEN g % 7 = 0 THEN 'withdrawn' ELSE 'granted' END)::consent_decision,
              timestamptz '2020-01-01T00:00:00Z' + g * interval '1 second',
              '203.0.113.' || (g % 250), 'Mozilla/5.0 (bench) =cmd|' || (g % 100), 'api'::consent_source,
              1 + g / 10000, CASE WHEN g >= 10000 THEN md5('p' || g) || md5('q' || g) END, md5('h' || g) || md5('i' || g)
         FROM generate_series($1::int, $2::int) AS g`,
      [from, to],
    ),
  );
  ctx.log(`  seeded ${n(total)} consent events: ${seededConsent}`);
  const plans = {
    window: await exportPlan(ctx, window, { session: true }),
    total: await exportPlan(ctx, total, { session: true }),
    windowDefault: await exportPlan(ctx, window, { session: false }),
  };
  for (const [side, plan] of Object.entries(plans)) ctx.log(`  export plan, ${side}:\n${plan}`);
  const planSummary = (plan) =>
    plan
      .split('\n')[0]
      .replace(/\s+\(.*$/, '')
      .trim();
  // Logged in after the seeding: an access token lives shorter than a 10M-row insert.
  let staff = await createStaff(ctx);
  const exportOf = async (count) => {
    const to = new Date(Date.parse('2020-01-01T00:00:00Z') + count * 1000).toISOString();
    const url = `${ctx.app.base}/api/v1/compliance/consent-records?format=csv&from=2020-01-01T00:00:00Z&to=${encodeURIComponent(to)}`;
    const before = rssMb(ctx.app.child.pid);
    let peak = before;
    const timer = setInterval(() => {
      peak = Math.max(peak, rssMb(ctx.app.child.pid));
    }, 25);
    const result = await download(url, staff.token).finally(() => clearInterval(timer));
    if (result.status !== 200) {
      const again = await fetch(url, { headers: auth(staff.token) });
      throw new Error(`export answered ${result.status}: ${(await again.text()).slice(0, 300)}`);
    }
    return {
      rows: result.lines - 1,
      rowsPerS: (result.lines - 1) / (result.ms / 1000),
      seconds: result.ms / 1000,
      before,
      growth: peak - before,
      peak,
    };
  };
  // Warm-up: one whole window export. A 100k one left the first 1M export cold (3.3 vs 2.7 s,
  // the process's heap still climbing), and with 2 rounds that one decided the median.
  await exportOf(window);
  const exportRounds = ctx.options.quick ? 1 : 3;
  const { a: atWindow, b: atTotal } = await interleaved(
    exportRounds,
    () => exportOf(window),
    () => exportOf(total),
  );
  const exportRatios = atWindow.map((result, i) => result.rowsPerS / atTotal[i].rowsPerS);
  const exportRatio = median(exportRatios);
  const growth = Math.max(...atTotal.map((result) => result.growth));
  // "RSS growth ≤ 20 MB at 10M", both ways: the 10M export's peak over the 1M export's peak (as
  // the data grows) and the largest rise within one 10M export (peak − RSS before it). Before the
  // export paced young collections, the second moved 0–57 MB between runs of one build
  // (bench/RESULTS.md, session 7).
  const peakOverWindow =
    Math.max(...atTotal.map((result) => result.peak)) -
    Math.max(...atWindow.map((result) => result.peak));
  const complete =
    atWindow.every((result) => result.rows === window) &&
    atTotal.every((result) => result.rows === total);
  rows.push(
    {
      scenario: `consent export ${n(window)} of ${n(total)}`,
      value: medianOf(atWindow, 'rowsPerS'),
      unit: 'rows/s',
      rssMb: Math.max(...atWindow.map((result) => result.peak)),
      reference: '(window side)',
    },
    {
      scenario: `consent export ${n(total)}`,
      value: medianOf(atTotal, 'rowsPerS'),
      unit: 'rows/s',
      rssMb: Math.max(...atTotal.map((result) => result.peak)),
      reference: `rows/s ${n(window)} ÷ ${n(total)}; peak RSS ${peakOverWindow >= 0 ? '+' : ''}${peakOverWindow.toFixed(0)} MB over ${n(window)}'s, +${growth.toFixed(0)} MB within one`,
      ratio: exportRatio,
      target: '≤ 1.2× apart, RSS +≤ 20 MB',
      met:
        exportRatio <= 1.2 &&
        exportRatio >= 1 / 1.2 &&
        peakOverWindow <= 20 &&
        growth <= 20 &&
        complete,
      note: `plans (export session): ${n(window)} → ${planSummary(plans.window)}, ${n(total)} → ${planSummary(plans.total)}; planner default for ${n(window)}: ${planSummary(plans.windowDefault)}; ${exportRounds} interleaved rounds after a warm-up export of the window; per-round ratios ${fmtList(exportRatios)}; peak RSS ${n(total)} − peak RSS ${n(window)}: ${peakOverWindow >= 0 ? '+' : ''}${peakOverWindow.toFixed(1)} MB; largest rise within one ${n(total)} export +${growth.toFixed(0)} MB (both ≤ 20 MB); ${atTotal.map((result) => `${n(result.rows)} rows in ${result.seconds.toFixed(1)} s, RSS ${result.before.toFixed(0)} → +${result.growth.toFixed(0)} MB`).join('; ')}; window: ${atWindow.map((result) => `${result.seconds.toFixed(1)} s, +${result.growth.toFixed(0)} MB`).join('; ')}; seeding: ${seededConsent}`,
    },
  );
  ctx.log(`  consent export: ${JSON.stringify(rows)}`);
  // The ledger tables are append-only (a trigger refuses TRUNCATE): the rows go with the database.

  // Reference: the same first page before the bulk rows (only the run's own events).
  const auditUrl = `${ctx.app.base}/api/v1/compliance/audit-events`;
  /** Sequential requests for one page as the staff user (50 to warm up, or the measured run). */
  const pageLoad = (url, amount = ctx.options.quick ? 100 : 300) =>
    load({ url, connections: 1, amount, headers: auth(staff.token) });
  await pageLoad(auditUrl, 50);
  const emptyPage = await pageLoad(auditUrl);
  ctx.log(`  audit-events before seeding: p50 ${emptyPage.p50} p95 ${emptyPage.p95} ms`);

  // Audit events: 10M over ~4 months, 1 000 actors, 50 000 subjects, 8 actions.
  const seededAudit = await bulkInsert(ctx, 'audit_events', auditTotal, (from, to) =>
    ctx.pool.query(
      `INSERT INTO audit_events (id, occurred_at, actor_id, actor_roles, action, subject_id,
                                 resource_type, resource_id, reason, request_id)
       SELECT gen_random_uuid(),
              timestamptz '2026-08-01T00:00:00Z' + g * interval '1 second',
              md5('actor' || (g % 1000))::uuid, ARRAY['support'],
              (ARRAY['user.read','user.update','booking.read','booking.cancel','consent.export',
                     'audit.read','document.read','privacy.erase'])[1 + g % 8],
              md5('subject' || (g % 50000))::uuid,
              'users', (g % 50000)::text,
              CASE WHEN g % 3 = 0 THEN 'ticket #' || (g % 9999) END,
              'req-' || g
         FROM generate_series($1::int, $2::int) AS g`,
      [from, to],
    ),
  );
  ctx.log(`  seeded ${n(auditTotal)} audit events: ${seededAudit}`);
  staff = await createStaff(ctx);
  const { rows: auditCols } = await ctx.pool.query(
    `SELECT string_agg(format('%I', column_name), ', ') AS list FROM information_schema.columns
      WHERE table_schema = 'public' AND table_name = 'audit_events'`,
  );
  const auditPlan = await explain(
    ctx,
    `SELECT ${auditCols[0].list} FROM audit_events audit
      ORDER BY audit.occurred_at DESC, audit.id DESC LIMIT 21`,
    [],
  );
  ctx.log(`  audit-events first page plan:\n${auditPlan}`);
  const first = await api(ctx.app.base, 'GET', '/api/v1/compliance/audit-events', {
    token: staff.token,
    expect: 200,
  });
  const second = await api(
    ctx.app.base,
    'GET',
    `/api/v1/compliance/audit-events?cursor=${encodeURIComponent(first.body.nextCursor)}`,
    { token: staff.token, expect: 200 },
  );
  await pageLoad(auditUrl, 50);
  const firstPage = await pageLoad(auditUrl);
  const nextPage = await pageLoad(
    `${auditUrl}?cursor=${encodeURIComponent(second.body.nextCursor)}`,
  );
  const keysetUsed = /Index Scan Backward using idx_audit_events_occurred_at/.test(auditPlan);
  rows.push(
    {
      scenario: `audit-events first page, ${n(auditTotal)}`,
      value: firstPage.rps,
      unit: 'req/s (c=1)',
      p50: firstPage.p50,
      p95: firstPage.p95,
      p99: firstPage.p99,
      reference: `p95 before seeding ${emptyPage.p95.toFixed(1)} ms`,
      ratio: firstPage.p95 / emptyPage.p95,
      target: 'p95 ≤ 20 ms',
      met: firstPage.p95 <= 20 && firstPage.ok === firstPage.total && keysetUsed,
      note: `${firstPage.total} sequential requests (each also records its audit.read event); ratio = p95 ÷ p95 of the same page before the bulk insert (p50 ${emptyPage.p50.toFixed(1)} → ${firstPage.p50.toFixed(1)} ms); plan ${keysetUsed ? 'Index Scan Backward using idx_audit_events_occurred_at, no sort' : 'NOT the keyset index (see log)'}; page size ${first.body.items.length}; statuses ${JSON.stringify(firstPage.statuses)}; seeding: ${seededAudit}`,
    },
    {
      scenario: `audit-events 3rd page (cursor), ${n(auditTotal)}`,
      value: nextPage.rps,
      unit: 'req/s (c=1)',
      p50: nextPage.p50,
      p95: nextPage.p95,
      p99: nextPage.p99,
      reference: 'keyset (occurred_at, id) <',
      target: '(recorded)',
      note: `statuses ${JSON.stringify(nextPage.statuses)}`,
    },
  );
  return rows;
}

export const GROWTH_SCENARIOS = [
  {
    name: 'growth-messages',
    title: 'append on a session holding 10 vs 490 messages',
    run: growthMessages,
  },
  {
    name: 'growth-bookings',
    title: 'GET /bookings first page, owner of 10 vs 100 000 bookings',
    run: growthBookings,
  },
  {
    name: 'growth-events',
    title: 'consent export at 1M vs 10M events; audit-events first page at 10M',
    run: growthEvents,
    // 10M rows per table take minutes and GBs: only when named.
    optIn: true,
  },
];
