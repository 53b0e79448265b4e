/**
 * Pages through rows by primary key (`id > last ORDER BY id LIMIT n`) and yields them one by one,
 * so an export holds at most one batch in memory. `fetch` must order by id ascending.
 */
export async function* keysetRows<R extends { id: string }>(
  fetch: (afterId: string | null, limit: number) => Promise<R[]>,
  batchSize = 500,
): AsyncGenerator<R> {
  let after: string | null = null;
  for (;;) {
    const batch = await fetch(after, batchSize);
    for (const row of batch) yield row;
    if (batch.length < batchSize) return;
    after = (batch.at(-1) as R).id;
  }
}

/** ISO-8601 UTC string, or null. */
export const iso = (value: Date | string | null | undefined): string | null =>
  value === null || value === undefined ? null : new Date(value).toISOString();

export interface Queryable {
  query(sql: string, parameters?: unknown[]): Promise<unknown>;
}

/**
 * Rows of `sql` (which selects an `id` column and filters by the owner with `$1`), paged by id and
 * mapped one by one: `userRows(dataSource, 'SELECT id, … FROM t WHERE user_id = $1', userId, map)`.
 */
export function userRows<T>(
  db: Queryable,
  sql: string,
  userId: string,
  map: (row: Record<string, unknown>) => T,
  batchSize = 500,
): AsyncGenerator<T> {
  return (async function* () {
    const pages = keysetRows(
      async (after, limit) =>
        (await db.query(
          `SELECT * FROM (${sql}) AS page WHERE ($2::uuid IS NULL OR page.id > $2) ORDER BY page.id LIMIT $3`,
          [userId, after, limit],
        )) as { id: string }[],
      batchSize,
    );
    for await (const row of pages) yield map(row as Record<string, unknown>);
  })();
}

const camel = (key: string): string =>
  key.replace(/_([a-z0-9])/g, (_match, letter: string) => letter.toUpperCase());

/**
 * A database row (snake_case columns) as an export object with camelCase keys, minus `omit`
 * (owner ids, secrets). Dates become ISO-8601 strings.
 */
export function camelRow(
  row: Record<string, unknown> | null | undefined,
  omit: readonly string[] = [],
): Record<string, unknown> | null {
  if (!row) return null;
  return Object.fromEntries(
    Object.entries(row)
      .filter(([key]) => !omit.includes(key))
      .map(([key, value]) => [camel(key), value instanceof Date ? value.toISOString() : value]),
  );
}
