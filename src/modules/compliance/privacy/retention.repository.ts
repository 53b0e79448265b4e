import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';

/** Advisory lock key (pg_try_advisory_xact_lock(int, int)): one run across instances. */
export const RETENTION_LOCK = [74_012_303, 1] as const;

export type UnderLock<T> = { locked: true; result: T } | { locked: false };

/**
 * The transactions of the retention purge (the tasks' own SQL lives with their contributors).
 * The run lock is transaction-scoped because a session-level lock and its unlock can land on
 * different server connections behind PgBouncer in transaction mode.
 */
@Injectable()
export class RetentionRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Runs `work` while a transaction holds the run lock (COMMIT, or the connection's end,
   * releases it); `work` gets that transaction's manager. `{ locked: false }` when another run
   * holds it (nothing ran).
   */
  async underRunLock<T>(work: (manager: EntityManager) => Promise<T>): Promise<UnderLock<T>> {
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      await runner.startTransaction();
      const [lock] = (await runner.query('SELECT pg_try_advisory_xact_lock($1, $2) AS locked', [
        ...RETENTION_LOCK,
      ])) as { locked: boolean }[];
      if (!lock?.locked) return { locked: false };
      return { locked: true, result: await work(runner.manager) };
    } finally {
      if (runner.isTransactionActive) await runner.commitTransaction().catch(() => undefined);
      await runner.release();
    }
  }

  /** One purge batch, in its own short transaction. */
  batch<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }
}
