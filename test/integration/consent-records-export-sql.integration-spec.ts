import { text } from 'node:stream/consumers';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { stringify } from 'csv-stringify/sync';
import fc from 'fast-check';
import pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import {
  CONSENT_RECORD_COLUMNS,
  type ConsentExportFilter,
  type ConsentExportFormat,
  consentExportCopySql,
  EXPORT_SESSION_SETTINGS_SQL,
  formulaSafeSql,
} from '#modules/compliance/privacy/consent-records-export.sql.js';
import { escapeFormula } from '#modules/compliance/privacy/csv-safety.js';
import { createTestDatabase, type TestDatabase } from '#libs/database/test-database.js';

/**
 * The COPY export renders CSV and NDJSON in PostgreSQL. These properties pin it to the JS
 * encoding it replaced (rows read with `pg`, csv-stringify with `escapeFormula`, JSON.stringify),
 * byte for byte, on random text in the real database.
 */

/** Characters that matter to CSV, JSON, COPY or the formula rule, mixed with any code point. */
const cellChar = fc.oneof(
  fc.constantFrom('=', '+', '-', '@', '\t', '\r', '\n', '"', ',', "'", ' ', '\\', '\x01', '\x02'),
  fc.constantFrom('.', 'a', 'Z', '0', 'é', '＝', '😀', '\u2028', '\x7f'),
  fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
);
/** Text PostgreSQL can store: no NUL, valid UTF-16 (a lone surrogate cannot be sent as UTF-8). */
const pgText = (maxLength: number) =>
  fc
    .string({ unit: cellChar, maxLength })
    .filter((s) => !s.includes('\0') && Buffer.from(s, 'utf8').toString('utf8') === s);

async function copyOut(client: pg.Client, sql: string): Promise<string> {
  return text(client.query(copyTo(sql)));
}

/** The previous encoder: rows through pg, then csv-stringify with the formula cast. */
const REFERENCE_SQL = `
  SELECT id::text AS event_id, subject_id::text AS subject_id, purpose::text AS purpose,
         notice_version, text_sha256, decision::text AS decision,
         to_char(occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS occurred_at,
         ip, user_agent, source::text AS source, actor_id::text AS actor_id,
         traveler_id::text AS traveler_id
    FROM consent_events e
   WHERE ($1::consent_purpose IS NULL OR e.purpose = $1::consent_purpose)
     AND ($2::timestamptz IS NULL OR e.occurred_at >= $2::timestamptz)
     AND ($3::timestamptz IS NULL OR e.occurred_at < $3::timestamptz)
   ORDER BY e.occurred_at, e.id`;

async function reference(
  client: pg.Client,
  format: ConsentExportFormat,
  filter: ConsentExportFilter,
): Promise<string> {
  const params = [filter.purpose ?? null, filter.from ?? null, filter.to ?? null];
  if (format === 'ndjson') {
    const { rows } = await client.query(REFERENCE_SQL, params);
    return rows.map((row) => `${JSON.stringify(row)}\n`).join('');
  }
  const { rows } = await client.query({ text: REFERENCE_SQL, values: params, rowMode: 'array' });
  return stringify(rows as unknown[][], {
    header: true,
    columns: [...CONSENT_RECORD_COLUMNS],
    cast: { string: escapeFormula },
  });
}

interface EventCells {
  ip: string | null;
  userAgent: string | null;
  hashHead: string;
  purpose: 'travel_planning' | 'marketing';
  withTraveler: boolean;
}

const eventCells: fc.Arbitrary<EventCells> = fc.record({
  ip: fc.option(pgText(64)),
  userAgent: fc.option(pgText(120)),
  // text_sha256 is char(64), always a full 64-character digest; its first character varies.
  hashHead: fc.constantFrom('=', '+', '-', '@', '\t', 'a', '0', "'"),
  purpose: fc.constantFrom('travel_planning', 'marketing'),
  withTraveler: fc.boolean(),
});

describe('consent export SQL (COPY) is the JS encoding it replaced', () => {
  let database: TestDatabase;
  let client: pg.Client;

  beforeAll(async () => {
    database = await createTestDatabase();
    client = new pg.Client({ connectionString: database.url });
    await client.connect();
  });

  afterAll(async () => {
    await client.end();
    await database.drop();
  });

  it('formulaSafeSql agrees with escapeFormula on random strings', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(pgText(12), { minLength: 1, maxLength: 50 }), async (values) => {
        const { rows } = await client.query<{ escaped: string }>(
          `SELECT ${formulaSafeSql('x')} AS escaped FROM unnest($1::text[]) WITH ORDINALITY AS t(x, n) ORDER BY n`,
          [values],
        );
        expect(rows.map((row) => row.escaped)).toEqual(values.map(escapeFormula));
      }),
      { numRuns: 200 },
    );
    // NULL stays NULL (an empty cell).
    const { rows } = await client.query(`SELECT ${formulaSafeSql('NULL::text')} AS escaped`);
    expect(rows[0]).toEqual({ escaped: null });
  });

  let window = 0;
  it.each<ConsentExportFormat>(['csv', 'ndjson'])(
    '%s export is byte for byte the reference on random cells, with filters',
    async (format) => {
      await fc.assert(
        fc.asyncProperty(
          fc.array(eventCells, { maxLength: 25 }),
          fc.constantFrom(undefined, 'marketing'),
          async (events, purpose) => {
            // Each run writes into its own hour (the table is append-only) and exports that hour.
            window += 1;
            const from = new Date(Date.UTC(2030, 0, 1) + window * 3_600_000);
            const to = new Date(from.getTime() + 3_600_000);
            await client.query(
              `INSERT INTO consent_events (subject_id, traveler_id, actor_id, purpose, notice_version,
                      text_sha256, decision, occurred_at, ip, user_agent, source, seq, hash)
               SELECT gen_random_uuid(), CASE WHEN e.t THEN gen_random_uuid() END, NULL, e.p::consent_purpose,
                      1 + e.n::int % 3, e.h || repeat('f', 63),
                      (CASE WHEN e.n % 2 = 0 THEN 'granted' ELSE 'withdrawn' END)::consent_decision,
                      $1::timestamptz + (e.n / 3) * interval '1.5 seconds', e.ip, e.ua, 'api', 1, repeat('b', 64)
                 FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::boolean[])
                      WITH ORDINALITY AS e(ip, ua, h, p, t, n)`,
              [
                from.toISOString(),
                events.map((e) => e.ip),
                events.map((e) => e.userAgent),
                events.map((e) => e.hashHead),
                events.map((e) => e.purpose),
                events.map((e) => e.withTraveler),
              ],
            );
            const filter = { purpose, from: from.toISOString(), to: to.toISOString() };
            const expected = await reference(client, format, filter);
            const actual = await copyOut(client, consentExportCopySql(format, filter));
            expect(actual).toBe(expected);
          },
        ),
        { numRuns: 40 },
      );
    },
  );

  it('filters are literals: a quote in a value cannot leave its string', () => {
    const sql = consentExportCopySql('csv', { purpose: "x' OR TRUE --", to: "2030'); --" });
    expect(sql).toContain(`e.purpose = 'x'' OR TRUE --'::consent_purpose`);
    expect(sql).toContain(`e.occurred_at < '2030''); --'::timestamptz`);
  });

  it('an export session reads the period through the (occurred_at, id) index, without a sort', async () => {
    // A small table, where a sequential scan and a sort is the planner's own choice (as it was
    // for a 1M window of 10M events): the export session's settings must rule it out.
    await client.query(
      `INSERT INTO consent_events (subject_id, purpose, notice_version, text_sha256, decision,
                                   occurred_at, source, seq, hash)
       SELECT gen_random_uuid(), 'marketing', 1, repeat('a', 64), 'granted',
              timestamptz '2040-01-01T00:00:00Z' + g * interval '1 second', 'api', 1, repeat('b', 64)
         FROM generate_series(1, 5000) AS g`,
    );
    await client.query('ANALYZE consent_events');
    const filter = { from: '2040-01-01T00:00:00Z', to: '2040-01-01T01:00:00Z' };
    const planOf = async (session: pg.Client, format: ConsentExportFormat) => {
      const select = /^COPY \((.*)\) TO STDOUT/s.exec(consentExportCopySql(format, filter))![1];
      const { rows } = await session.query<{ 'QUERY PLAN': string }>(
        `EXPLAIN (COSTS OFF) ${select}`,
      );
      return rows.map((row) => row['QUERY PLAN']).join('\n');
    };
    expect(await planOf(client, 'csv')).toMatch(/Sort/);

    const exportSession = new pg.Client({ connectionString: database.url });
    await exportSession.connect();
    try {
      await exportSession.query(`SELECT ${EXPORT_SESSION_SETTINGS_SQL}`);
      for (const format of ['csv', 'ndjson'] as const) {
        const plan = await planOf(exportSession, format);
        expect(plan).toMatch(/Index Scan using idx_consent_events_occurred_at_id/);
        expect(plan).not.toMatch(/Sort/);
      }
    } finally {
      await exportSession.end();
    }
  });
});
