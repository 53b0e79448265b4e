import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { Injectable } from '@nestjs/common';
import type { PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { DataSource, type EntityManager } from 'typeorm';
import { YoungGarbagePacer } from '#libs/common/memory/young-generation.js';
import {
  DocumentFileBlobEntity,
  FILE_STORAGE_FORMAT,
  type DocumentFileVariant,
} from './document-file.entity.js';

/**
 * A sealed chunk to store: one buffer, or its parts in order (`ChunkSealer.sealInParts`), stored
 * as their concatenation.
 */
export type SealedChunk = Buffer | readonly Buffer[];

/** One stored variant of a file, as the store gives it back (still encrypted). */
export interface StoredVariant {
  /** `FILE_STORAGE_FORMAT`: 1 = `header` is the whole ciphertext, 2 = header + `chunks`. */
  format: number;
  header: Buffer;
  /** The sealed chunks in order (format 2), read lazily; empty for format 1. */
  chunks: Readable;
}

/** One stored variant read for a rewrite (key rotation), inside the caller's transaction. */
export interface LockedVariant {
  variant: DocumentFileVariant;
  /** `FILE_STORAGE_FORMAT`, as `StoredVariant.format`. */
  format: number;
  header: Buffer;
  /** The sealed chunks in order (format 2), pulled lazily; empty for format 1. */
  chunks: AsyncIterable<Buffer> | Iterable<Buffer>;
}

/**
 * Where the (already encrypted) bytes of document files live, as a stream of sealed chunks so
 * no whole-file ciphertext is ever held: `write` consumes them as they are sealed, `read` gives
 * them back one by one. The PostgreSQL store keeps them in `document_file_blobs` (header) and
 * `document_file_chunks` inside the caller's transaction, so metadata and bytes commit together
 * and go together (FK cascade). An object-storage implementation would write one object per
 * variant (header, then length-prefixed chunks) before the metadata commits and delete orphans
 * (keys without a `document_files` row) in a sweep.
 */
export abstract class FileStore {
  /** Stores a variant in the chunked format (the metadata row must exist in `manager`). */
  abstract write(
    fileId: string,
    variant: DocumentFileVariant,
    header: Buffer,
    chunks: AsyncIterable<SealedChunk>,
    manager?: EntityManager,
  ): Promise<void>;
  /** The stored variant, or null when it does not exist. */
  abstract read(fileId: string, variant: DocumentFileVariant): Promise<StoredVariant | null>;
  /** Whether the variant is stored (seen from `manager`'s transaction when given). */
  abstract exists(
    fileId: string,
    variant: DocumentFileVariant,
    manager?: EntityManager,
  ): Promise<boolean>;
  /**
   * Overwrites an existing variant with `header` + `chunks` in the chunked format (key rotation),
   * inside the caller's transaction: whatever format it was in, its header row becomes format 2
   * and its chunks are exactly `chunks` afterwards. `chunks` may be read lazily from this very
   * variant (`variants`): chunk `i` is written only after the source has given chunk `i`.
   */
  abstract replace(
    fileId: string,
    variant: DocumentFileVariant,
    header: Buffer,
    chunks: AsyncIterable<Buffer>,
    manager: EntityManager,
  ): Promise<void>;
  /**
   * Every variant of a file, its header row locked (FOR UPDATE), its chunks read lazily inside
   * the caller's transaction (in `seq` order, a page at a time).
   */
  abstract variants(fileId: string, manager: EntityManager): Promise<LockedVariant[]>;
  /** Removes every variant of the files (a no-op for PostgreSQL: the FK cascade did it). */
  abstract remove(fileIds: readonly string[], manager?: EntityManager): Promise<void>;
}

/** Chunks per SELECT (and per INSERT on a rewrite): ~1 MiB in one round trip, never the whole file. */
const CHUNKS_PER_STATEMENT = 16;

@Injectable()
export class PostgresFileStore extends FileStore {
  constructor(private readonly dataSource: DataSource) {
    super();
  }

  async write(
    fileId: string,
    variant: DocumentFileVariant,
    header: Buffer,
    chunks: AsyncIterable<SealedChunk>,
    manager?: EntityManager,
  ): Promise<void> {
    // The header row and the chunks commit together: in the caller's transaction, or in one here.
    const runner = manager?.queryRunner;
    if (!manager || !runner) {
      return this.dataSource.transaction((own) => this.write(fileId, variant, header, chunks, own));
    }
    await manager
      .getRepository(DocumentFileBlobEntity)
      .insert({ fileId, variant, format: FILE_STORAGE_FORMAT.chunked, ciphertext: header });
    // COPY … FROM STDIN (binary): each sealed chunk goes to the socket as it is, framed by a few
    // bytes. A multi-row INSERT instead made node-postgres copy every chunk into a Bind message
    // grown by copying (~3× the bytes in short-lived buffers), which was the event loop's main
    // synchronous work and garbage during concurrent uploads (bench/RESULTS.md).
    const client = (await runner.connect()) as PoolClient;
    const copy = client.query(
      copyFrom(
        'COPY document_file_chunks (file_id, variant, seq, ciphertext) FROM STDIN (FORMAT binary)',
      ),
    );
    await pipeline(copyBinaryRows(fileId, variant, chunks), copy);
  }

  async read(fileId: string, variant: DocumentFileVariant): Promise<StoredVariant | null> {
    const row = await this.dataSource.getRepository(DocumentFileBlobEntity).findOne({
      where: { fileId, variant },
      select: { ciphertext: true, fileId: true, format: true },
    });
    if (!row) return null;
    const chunks =
      row.format === FILE_STORAGE_FORMAT.chunked
        ? Readable.from(this.chunksOf(fileId, variant), { objectMode: true, highWaterMark: 1 })
        : Readable.from([], { objectMode: true });
    return { format: row.format, header: row.ciphertext, chunks };
  }

  exists(
    fileId: string,
    variant: DocumentFileVariant,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<boolean> {
    return manager.getRepository(DocumentFileBlobEntity).exists({ where: { fileId, variant } });
  }

  async replace(
    fileId: string,
    variant: DocumentFileVariant,
    header: Buffer,
    chunks: AsyncIterable<Buffer>,
    manager: EntityManager,
  ): Promise<void> {
    // Chunks are overwritten in place by `seq` (upsert), so a source reading this variant's old
    // chunks a page ahead still finds them: new chunk i exists only once old chunk i was read.
    let seq = 0;
    let batch: Buffer[] = [];
    const flush = async (): Promise<void> => {
      if (batch.length === 0) return;
      const seqs = batch.map((_, i) => seq - batch.length + i);
      const rows = batch.map((_, i) => `($1, $2, $${i + 3}, $${i + 3 + batch.length})`);
      await manager.query(
        `INSERT INTO document_file_chunks (file_id, variant, seq, ciphertext) VALUES ${rows.join(', ')}
         ON CONFLICT (file_id, variant, seq) DO UPDATE SET ciphertext = EXCLUDED.ciphertext`,
        [fileId, variant, ...seqs, ...batch],
      );
      batch = [];
    };
    for await (const chunk of chunks) {
      batch.push(chunk);
      seq += 1;
      if (batch.length === CHUNKS_PER_STATEMENT) await flush();
    }
    await flush();
    await manager.query(
      `DELETE FROM document_file_chunks WHERE file_id = $1 AND variant = $2 AND seq >= $3`,
      [fileId, variant, seq],
    );
    const updated = await manager
      .getRepository(DocumentFileBlobEntity)
      .update({ fileId, variant }, { format: FILE_STORAGE_FORMAT.chunked, ciphertext: header });
    if (updated.affected !== 1) throw new Error(`No stored variant ${fileId} (${variant})`);
  }

  async variants(fileId: string, manager: EntityManager): Promise<LockedVariant[]> {
    const rows = await manager.getRepository(DocumentFileBlobEntity).find({
      where: { fileId },
      select: { fileId: true, variant: true, format: true, ciphertext: true },
      order: { variant: 'ASC' },
      lock: { mode: 'pessimistic_write' },
    });
    return rows.map((row) => ({
      variant: row.variant,
      format: row.format,
      header: row.ciphertext,
      chunks:
        row.format === FILE_STORAGE_FORMAT.chunked
          ? this.chunksOf(fileId, row.variant, manager)
          : [],
    }));
  }

  remove(): Promise<void> {
    return Promise.resolve();
  }

  /**
   * Pages through the chunks by `seq` (no cursor, no transaction held while the client reads;
   * inside the caller's transaction when `manager` is given).
   */
  private async *chunksOf(
    fileId: string,
    variant: DocumentFileVariant,
    manager: EntityManager = this.dataSource.manager,
  ): AsyncGenerator<Buffer> {
    let next = 0;
    for (;;) {
      const rows = (await manager.query(
        `SELECT seq, ciphertext FROM document_file_chunks
          WHERE file_id = $1 AND variant = $2 AND seq >= $3 ORDER BY seq LIMIT $4`,
        [fileId, variant, next, CHUNKS_PER_STATEMENT],
      )) as { seq: number; ciphertext: Buffer }[];
      for (const row of rows) {
        yield row.ciphertext;
        next = row.seq + 1;
      }
      if (rows.length < CHUNKS_PER_STATEMENT) return;
    }
  }
}

/** `PGCOPY\n\377\r\n\0`, then flags and header-extension length (both 0). */
const COPY_BINARY_HEADER = Buffer.concat([
  Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1'),
  Buffer.alloc(8),
]);
/**
 * Chunks framed per turn of the event loop. While the socket takes every write at once, the
 * pipeline runs on process.nextTick and promise callbacks alone and would seal and send a whole
 * file (times the uploads in flight) before any other request is served.
 */
const CHUNKS_PER_TURN = 4;

/** A field count of -1 ends the data. */
const COPY_BINARY_TRAILER = Buffer.from([0xff, 0xff]);

/**
 * The rows `(file_id uuid, variant enum, seq int4, ciphertext bytea)` in PostgreSQL's binary COPY
 * format: per chunk, a small frame (field count, lengths, the uuid's 16 bytes, the variant's
 * label, seq, the chunk's length) and then the chunk itself (or its parts), never copied.
 */
export async function* copyBinaryRows(
  fileId: string,
  variant: DocumentFileVariant,
  chunks: AsyncIterable<SealedChunk>,
): AsyncGenerator<Buffer> {
  const id = Buffer.from(fileId.replace(/-/g, ''), 'hex');
  if (id.length !== 16) throw new Error(`Not a uuid: ${fileId}`);
  const label = Buffer.from(variant, 'utf8');
  yield COPY_BINARY_HEADER;
  // Sent chunks (and the plaintext pieces they were sealed from) are dead once written.
  const garbage = new YoungGarbagePacer();
  try {
    let seq = 0;
    for await (const chunk of chunks) {
      if (seq > 0 && seq % CHUNKS_PER_TURN === 0) await nextTurn();
      const parts = Buffer.isBuffer(chunk) ? [chunk] : chunk;
      const length = parts.reduce((sum, part) => sum + part.length, 0);
      const frame = Buffer.allocUnsafe(2 + 4 + 16 + 4 + label.length + 4 + 4 + 4);
      let at = frame.writeInt16BE(4, 0);
      at = frame.writeInt32BE(16, at);
      at += id.copy(frame, at);
      at = frame.writeInt32BE(label.length, at);
      at += label.copy(frame, at);
      at = frame.writeInt32BE(4, at);
      at = frame.writeInt32BE(seq, at);
      frame.writeInt32BE(length, at);
      yield frame;
      yield* parts;
      garbage.passed(length);
      seq += 1;
    }
  } finally {
    garbage.close();
  }
  yield COPY_BINARY_TRAILER;
}
