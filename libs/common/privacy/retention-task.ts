import type { RetentionTask } from './personal-data-contributor.js';

/**
 * The common retention task: rows of `table` matching `where` (with `$1` = the cutoff) are
 * counted for the dry run and deleted at most `$2` (the batch size) per call, by primary key.
 * `table` and `where` are the module's own constant SQL, never input.
 */
export function deleteInBatchesTask(category: string, table: string, where: string): RetentionTask {
  return {
    category,
    async count(manager, cutoff) {
      const rows = (await manager.query(`SELECT count(*)::int AS n FROM ${table} WHERE ${where}`, [
        cutoff,
      ])) as { n: number }[];
      return rows[0]?.n ?? 0;
    },
    async purgeBatch(manager, cutoff, batchSize) {
      const [, deleted] = (await manager.query(
        `DELETE FROM ${table} WHERE id IN (SELECT id FROM ${table} WHERE ${where} LIMIT $2)`,
        [cutoff, batchSize],
      )) as [unknown[], number];
      return deleted;
    },
  };
}
