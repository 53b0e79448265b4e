import { DataSource } from 'typeorm';
import { buildDataSourceOptions } from './data-source-options.js';

/** Arbitrary but fixed key: every instance that migrates takes the same advisory lock. */
const MIGRATION_LOCK_KEY = 7_401_230_001;

/**
 * Runs pending migrations while holding a PostgreSQL advisory lock, so several instances
 * starting at once migrate exactly once. Returns the names of the migrations applied.
 */
export async function runMigrations(url: string): Promise<string[]> {
  const dataSource = new DataSource(
    buildDataSourceOptions({
      url,
      withMigrations: true,
      poolSize: 2,
      applicationName: 'pathavana-migrate',
    }),
  );
  await dataSource.initialize();
  const lock = dataSource.createQueryRunner();
  try {
    await lock.connect();
    await lock.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    return applied.map((migration) => migration.name);
  } finally {
    await lock.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => undefined);
    await lock.release();
    await dataSource.destroy();
  }
}
