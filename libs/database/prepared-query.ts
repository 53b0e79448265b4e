import type { Pool, QueryResultRow } from 'pg';
import type { DataSource } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver.js';

/**
 * Runs a read on the primary as a NAMED prepared statement: PostgreSQL parses and plans it once
 * per connection, later executions only bind and run. For the per-request queries (session
 * liveness, consent decision, owner-scoped row by id) this saved 40–60 % of each round trip's
 * server time on the benchmark machine (bench/RESULTS.md). `name` must be unique per SQL text.
 */
export async function preparedQuery<T extends QueryResultRow>(
  dataSource: DataSource,
  name: string,
  text: string,
  values: unknown[],
): Promise<T[]> {
  const pool = (dataSource.driver as PostgresDriver).master as Pool;
  const result = await pool.query<T>({ name, text, values });
  return result.rows;
}

/**
 * The same on the pool, UNNAMED: planned with its parameter values on every execution. For
 * statements whose best plan depends on the values (a JSONB containment filter: GIN when the
 * value is selective, the owner's index otherwise), where a cached generic plan could be wrong.
 */
export async function unnamedQuery<T extends QueryResultRow>(
  dataSource: DataSource,
  text: string,
  values: unknown[],
): Promise<T[]> {
  const pool = (dataSource.driver as PostgresDriver).master as Pool;
  const result = await pool.query<T>({ text, values });
  return result.rows;
}
