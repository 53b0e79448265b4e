import type { DataSource, EntityManager } from 'typeorm';

/**
 * Runs read-only queries on a read replica (DATABASE_REPLICA_URLS), or on the primary when none
 * is configured. Only for reads that may be slightly stale: staff lists and exports, never a
 * read that must see the caller's own recent write.
 */
export async function onReadReplica<T>(
  dataSource: DataSource,
  read: (manager: EntityManager) => Promise<T>,
): Promise<T> {
  const runner = dataSource.createQueryRunner('slave');
  try {
    return await read(runner.manager);
  } finally {
    await runner.release();
  }
}
