import { SetMetadata } from '@nestjs/common';
import type { DataSource, EntityManager } from 'typeorm';
import type { FieldCipher } from './field-cipher.js';

export const REENCRYPTION_TARGET_KEY = 'pathavana:reencryption-target';

/**
 * A provider that owns encrypted data and can move it to the active data key, one batch at a
 * time (`npm run cli -- keys:rotate`). Each batch is its own transaction that locks its rows
 * with `FOR UPDATE SKIP LOCKED` and only picks rows still under another key, so a rotation is
 * resumable (kill it and rerun), idempotent, and runs beside the application: a row a request
 * holds is skipped this pass and picked up by the next.
 */
export interface ReencryptionTarget {
  /** What the report names, e.g. `users.mfa_totp_secret`. */
  units(): string[];
  /** Re-encrypts up to `limit` stale rows of `unit`; returns how many it rewrote. */
  reencryptBatch(unit: string, limit: number): Promise<number>;
  /** Rows of `unit` still under another key than the active one. */
  countStale(unit: string): Promise<number>;
  /** Lines for what cannot be re-encrypted (e.g. hashes of secrets we never see again). */
  notes?(): Promise<string[]>;
}

/** A provider whose class carries @ReencryptsData() is found by `keys:rotate`. */
export const ReencryptsData = (): ClassDecorator => SetMetadata(REENCRYPTION_TARGET_KEY, true);

/** One text column written by `FieldCipher` (`v1.<keyId>.…`), keyed by a uuid `id`. */
export interface FieldColumn {
  table: string;
  column: string;
  /** The associated data the column is encrypted with, from the row's id and `extra` column. */
  context: (row: { id: string; extra: string | null }) => string;
  /** A further column the context needs (e.g. the provider name). */
  extraColumn?: string;
}

const IDENTIFIER = /^[a-z_][a-z0-9_]*$/;

function checked(name: string): string {
  if (!IDENTIFIER.test(name)) throw new Error(`Not a plain SQL identifier: ${name}`);
  return `"${name}"`;
}

const staleWhere = (column: string): string =>
  `${column} IS NOT NULL AND split_part(${column}, '.', 2) <> $1`;

/**
 * One batch of a FieldCipher column: lock up to `limit` rows under another key (skipping rows
 * others hold), re-encrypt, write back. Returns the number rewritten.
 */
export async function reencryptFieldColumn(
  dataSource: DataSource,
  spec: FieldColumn,
  cipher: FieldCipher,
  limit: number,
): Promise<number> {
  const table = checked(spec.table);
  const column = checked(spec.column);
  const extra = spec.extraColumn ? checked(spec.extraColumn) : 'NULL';
  return dataSource.transaction(async (manager: EntityManager) => {
    const rows = (await manager.query(
      `SELECT id, ${column} AS payload, ${extra}::text AS extra FROM ${table}
        WHERE ${staleWhere(column)} ORDER BY id LIMIT $2 FOR UPDATE SKIP LOCKED`,
      [cipher.keyId, limit],
    )) as Array<{ id: string; payload: string; extra: string | null }>;
    for (const row of rows) {
      let payload: string;
      try {
        payload = cipher.reencrypt(row.payload, spec.context(row));
      } catch (error) {
        throw new Error(
          `${spec.table}.${spec.column} of row ${row.id} does not decrypt with any configured key ` +
            `(${error instanceof Error ? error.message : String(error)}); nothing in this batch was changed.`,
          { cause: error },
        );
      }
      await manager.query(`UPDATE ${table} SET ${column} = $2 WHERE id = $1`, [row.id, payload]);
    }
    return rows.length;
  });
}

export async function countStaleField(
  dataSource: DataSource,
  spec: FieldColumn,
  cipher: FieldCipher,
): Promise<number> {
  const column = checked(spec.column);
  const [row] = (await dataSource.query(
    `SELECT count(*)::int AS n FROM ${checked(spec.table)} WHERE ${staleWhere(column)}`,
    [cipher.keyId],
  )) as Array<{ n: number }>;
  return row?.n ?? 0;
}
