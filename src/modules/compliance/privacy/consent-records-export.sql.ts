import pg from 'pg';

/** The consent-record export columns, in the contract's order (PRODUCT.md "Precise rules"). */
export const CONSENT_RECORD_COLUMNS = [
  'event_id',
  'subject_id',
  'purpose',
  'notice_version',
  'text_sha256',
  'decision',
  'occurred_at',
  'ip',
  'user_agent',
  'source',
  'actor_id',
  'traveler_id',
] as const;

export type ConsentExportFormat = 'csv' | 'ndjson';

export interface ConsentExportFilter {
  purpose?: string;
  from?: string;
  to?: string;
}

/**
 * The SQL twin of `escapeFormula` (csv-safety.ts): a text starting with `=`, `+`, `-`, `@`, TAB
 * or CR gets a leading `'`. `left(x, 1)` is the first character, as the JS regex tests the first
 * UTF-16 unit (an astral character matches neither). NULL stays NULL. The property test in
 * test/integration/consent-records-export-sql.integration-spec.ts checks both agree on random strings, in PostgreSQL.
 */
export function formulaSafeSql(expression: string): string {
  return `CASE WHEN left(${expression}, 1) IN ('=', '+', '-', '@', E'\\t', E'\\r') THEN '''' || ${expression} ELSE ${expression} END`;
}

const UTC_MILLIS = `to_char(e.occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/**
 * The export's cells. Free-text columns go through the formula escape; ids (uuid: hex digits),
 * enums (lower-case labels), the integer version and the timestamp (a digit first) cannot start
 * with a formula character. Empty strings become NULL so COPY writes an empty cell, not `""`,
 * as the JS encoder did.
 */
const CSV_CELLS = [
  'e.id',
  'e.subject_id',
  'e.purpose',
  'e.notice_version',
  formulaSafeSql('e.text_sha256'),
  'e.decision',
  UTC_MILLIS,
  formulaSafeSql(`NULLIF(e.ip, '')`),
  formulaSafeSql(`NULLIF(e.user_agent, '')`),
  'e.source',
  'e.actor_id',
  'e.traveler_id',
] as const;

/** NDJSON keeps the raw values (no spreadsheet runs it); uuids and enums as JSON strings. */
const JSON_CELLS = [
  'e.id::text',
  'e.subject_id::text',
  'e.purpose::text',
  'e.notice_version',
  'e.text_sha256::text',
  'e.decision::text',
  UTC_MILLIS,
  'e.ip',
  'e.user_agent',
  'e.source::text',
  'e.actor_id::text',
  'e.traveler_id::text',
] as const;

const selectList = (cells: readonly string[]) =>
  cells.map((cell, i) => `${cell} AS ${CONSENT_RECORD_COLUMNS[i]}`).join(', ');

/**
 * Select-list items that set an export connection's session (the export pool's connections do
 * nothing else). `enable_sort = off`: the export is ordered by `(occurred_at, id)`, which
 * `idx_consent_events_occurred_at_id` yields as it is read, so rows stream from the first one
 * and the work is proportional to the period exported, not to the table. Left to itself, the
 * planner picked a parallel sequential scan of the WHOLE table plus an on-disk sort for a
 * period holding 10 % of it: at 10M events a 1M-row export read all 3.3 GB and spilled 205 MB
 * of sort before its first byte (bench/RESULTS.md, round 2 item 4 at 10M). With sorting off,
 * that index is the only plan left that returns the rows in order.
 */
export const EXPORT_SESSION_SETTINGS_SQL = `set_config('enable_sort', 'off', false) AS enable_sort`;

/**
 * `COPY (SELECT …) TO STDOUT` for one export. COPY takes no bind parameters, so the filter is
 * inlined as quoted literals (pg's escapeLiteral) after the DTO validated it and the service
 * cast it on the same connection. The ORDER BY names the table's columns (`e.`): bare
 * `occurred_at` would be the formatted text column of the select list.
 *
 * NDJSON uses COPY's CSV mode with a quote and a delimiter (\x01, \x02) that JSON never contains
 * raw (PostgreSQL escapes every character below 0x20 in JSON), so each `row_to_json` line is
 * written as is; text mode would double JSON's backslashes.
 */
export function consentExportCopySql(
  format: ConsentExportFormat,
  filter: ConsentExportFilter,
): string {
  const where = ['TRUE'];
  if (filter.purpose !== undefined)
    where.push(`e.purpose = ${pg.escapeLiteral(filter.purpose)}::consent_purpose`);
  if (filter.from !== undefined)
    where.push(`e.occurred_at >= ${pg.escapeLiteral(filter.from)}::timestamptz`);
  if (filter.to !== undefined)
    where.push(`e.occurred_at < ${pg.escapeLiteral(filter.to)}::timestamptz`);
  const rest = `WHERE ${where.join(' AND ')} ORDER BY e.occurred_at, e.id`;
  if (format === 'csv') {
    return `COPY (SELECT ${selectList(CSV_CELLS)} FROM consent_events e ${rest}) TO STDOUT WITH (FORMAT csv, HEADER)`;
  }
  return (
    `COPY (SELECT row_to_json(r) FROM consent_events e ` +
    `CROSS JOIN LATERAL (SELECT ${selectList(JSON_CELLS)}) r ${rest}) ` +
    `TO STDOUT WITH (FORMAT csv, QUOTE E'\\x01', DELIMITER E'\\x02')`
  );
}
