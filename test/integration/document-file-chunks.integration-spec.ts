import { createHash, randomBytes } from 'node:crypto';
import type { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { FieldCipher } from '#libs/common/crypto/field-cipher.js';
import { FileCipher } from '#libs/common/crypto/file-cipher.js';
import { DocumentStore } from '#modules/documents/document-store.js';
import { DocumentsReencryptionTarget } from '#modules/documents/documents-reencryption.target.js';
import { DocumentsService } from '#modules/documents/documents.service.js';
import { DocumentFilesService } from '#modules/documents/files/document-files.service.js';
import { FileStore } from '#modules/documents/files/file-store.js';
import { registerUser } from '../factories/users.js';
import { createTestApp, type TestApp } from '../utils/test-app.js';

const CHUNK = 64 * 1024;

/**
 * Document files at rest in sealed 64 KiB chunks (format 2), against real PostgreSQL and real
 * AES-256-GCM: a multi-chunk round trip, every kind of tampering with the stored chunks refused,
 * and files stored whole before chunking (format 1) still read.
 */
describe('document files in sealed chunks (PostgreSQL)', () => {
  let ctx: TestApp;
  let files: DocumentFilesService;
  let owner: string;
  /** The document of each file (one file per document: a document takes at most 6). */
  const documentOf = new Map<string, string>();

  /** A PDF (stored as uploaded, so the bytes are known) of `size` bytes, no active content. */
  const pdfOf = (size: number): Buffer => {
    const head = Buffer.from('%PDF-1.4\n');
    const tail = Buffer.from('\n%%EOF');
    const body = Buffer.from(
      randomBytes(Math.ceil(size / 2))
        .toString('hex')
        .slice(0, size - head.length - tail.length),
    );
    return Buffer.concat([head, body, tail]);
  };

  async function readAll(stream: Readable): Promise<Buffer> {
    const parts: Buffer[] = [];
    for await (const part of stream) parts.push(part as Buffer);
    return Buffer.concat(parts);
  }

  let sequence = 0;
  async function stored(bytes: Buffer): Promise<string> {
    sequence += 1;
    const document = await ctx.app.get(DocumentsService).create('user', owner, {
      type: 'passport',
      number: `C${Date.now().toString().slice(-6)}${sequence.toString().padStart(3, '0')}`,
      issuingCountry: 'FR',
      holderName: 'Camille Martin',
    });
    const id = (await files.upload('user', owner, document.id, 'other', bytes)).id;
    documentOf.set(id, document.id);
    return id;
  }

  const read = async (fileId: string): Promise<Buffer> =>
    readAll((await files.content('user', owner, documentOf.get(fileId) as string, fileId)).stream);

  async function chunksOf(fileId: string): Promise<{ seq: number; ciphertext: Buffer }[]> {
    return (await ctx.dataSource.query(
      `SELECT seq, ciphertext FROM document_file_chunks WHERE file_id = $1 AND variant = 'original' ORDER BY seq`,
      [fileId],
    )) as { seq: number; ciphertext: Buffer }[];
  }

  async function setChunk(fileId: string, seq: number, ciphertext: Buffer): Promise<void> {
    await ctx.dataSource.query(
      `UPDATE document_file_chunks SET ciphertext = $3 WHERE file_id = $1 AND variant = 'original' AND seq = $2`,
      [fileId, seq, ciphertext],
    );
  }

  beforeAll(async () => {
    ctx = await createTestApp();
    files = ctx.app.get(DocumentFilesService);
    owner = (await registerUser(ctx)).id;
  });

  afterAll(async () => {
    await ctx.close();
  });

  it('round-trips a multi-chunk file: 64 KiB chunks in order, the last one shorter', async () => {
    const bytes = pdfOf(3 * CHUNK + 1234);
    const id = await stored(bytes);
    const chunks = await chunksOf(id);
    expect(chunks.map((chunk) => chunk.seq)).toEqual([0, 1, 2, 3]);
    expect(chunks.map((chunk) => chunk.ciphertext.length)).toEqual([
      CHUNK + 16,
      CHUNK + 16,
      CHUNK + 16,
      1234 + 16,
    ]);
    for (const chunk of chunks)
      expect(chunk.ciphertext.includes(bytes.subarray(9, 73))).toBe(false);
    const back = await read(id);
    expect(back.equals(bytes)).toBe(true);
    const [row] = (await ctx.dataSource.query('SELECT sha256 FROM document_files WHERE id = $1', [
      id,
    ])) as { sha256: string }[];
    expect(createHash('sha256').update(back).digest('hex')).toBe(row?.sha256);
    // A file of exactly N chunks: no empty trailing chunk is needed, the last is sealed final.
    const exact = pdfOf(2 * CHUNK);
    const exactId = await stored(exact);
    expect((await chunksOf(exactId)).length).toBe(2);
    expect((await read(exactId)).equals(exact)).toBe(true);
  });

  it('a flipped bit in any chunk is refused', async () => {
    const id = await stored(pdfOf(3 * CHUNK + 10));
    const [, second] = await chunksOf(id);
    const flipped = Buffer.from(second?.ciphertext as Buffer);
    flipped[100] = (flipped[100] as number) ^ 1;
    await setChunk(id, 1, flipped);
    await expect(read(id)).rejects.toThrow();
  });

  it('reordered chunks are refused (each chunk is bound to its index)', async () => {
    const id = await stored(pdfOf(3 * CHUNK + 10));
    const [first, second] = await chunksOf(id);
    await setChunk(id, 0, second?.ciphertext as Buffer);
    await setChunk(id, 1, first?.ciphertext as Buffer);
    await expect(read(id)).rejects.toThrow();
  });

  it('a file cut short (last chunks dropped) or with a chunk missing inside is refused', async () => {
    const cut = await stored(pdfOf(3 * CHUNK + 10));
    await ctx.dataSource.query(
      `DELETE FROM document_file_chunks WHERE file_id = $1 AND variant = 'original' AND seq >= 2`,
      [cut],
    );
    await expect(read(cut)).rejects.toThrow();
    const gap = await stored(pdfOf(3 * CHUNK + 10));
    await ctx.dataSource.query(
      `DELETE FROM document_file_chunks WHERE file_id = $1 AND variant = 'original' AND seq = 1`,
      [gap],
    );
    await expect(read(gap)).rejects.toThrow();
    const empty = await stored(pdfOf(CHUNK));
    await ctx.dataSource.query(`DELETE FROM document_file_chunks WHERE file_id = $1`, [empty]);
    await expect(read(empty)).rejects.toThrow();
  });

  it('a chunk appended after the final one, or taken from another file, is refused', async () => {
    const appended = await stored(pdfOf(2 * CHUNK + 10));
    const chunks = await chunksOf(appended);
    await ctx.dataSource.query(
      `INSERT INTO document_file_chunks (file_id, variant, seq, ciphertext) VALUES ($1, 'original', 3, $2)`,
      [appended, chunks[1]?.ciphertext],
    );
    await expect(read(appended)).rejects.toThrow();
    const a = await stored(pdfOf(2 * CHUNK + 10));
    const b = await stored(pdfOf(2 * CHUNK + 10));
    await setChunk(b, 0, (await chunksOf(a))[0]?.ciphertext as Buffer);
    await expect(read(b)).rejects.toThrow();
  });

  it('a file stored whole before chunking (format 1) is still read', async () => {
    const bytes = pdfOf(2 * CHUNK + 77);
    const id = await stored(bytes);
    // What the previous build wrote: one whole-file ciphertext, no chunks.
    const whole = ctx.app.get(FileCipher).encrypt(bytes, `document_files:${id}:original`);
    await ctx.dataSource.transaction(async (manager) => {
      await manager.query(`DELETE FROM document_file_chunks WHERE file_id = $1`, [id]);
      await manager.query(
        `UPDATE document_file_blobs SET format = 1, ciphertext = $2 WHERE file_id = $1 AND variant = 'original'`,
        [id, whole],
      );
    });
    expect((await read(id)).equals(bytes)).toBe(true);
    // And bound to its file as before: moved to another file it does not decrypt.
    const other = await stored(pdfOf(100));
    await ctx.dataSource.query(
      `UPDATE document_file_blobs SET format = 1, ciphertext = $2 WHERE file_id = $1 AND variant = 'original'`,
      [other, whole],
    );
    await expect(read(other)).rejects.toThrow();
  });
});

describe('key rotation of a file in sealed chunks (PostgreSQL)', () => {
  const keyA = randomBytes(32);
  const keyB = randomBytes(32);
  let ctx: TestApp;

  beforeAll(async () => {
    ctx = await createTestApp({ env: { DATA_ENCRYPTION_KEY: keyA.toString('base64') } });
  });

  afterAll(async () => {
    await ctx.close();
  });

  it('re-seals chunk by chunk in the file transaction; a chunk failing past the first write changes nothing', async () => {
    const owner = (await registerUser(ctx)).id;
    const document = await ctx.app.get(DocumentsService).create('user', owner, {
      type: 'passport',
      number: `R${Date.now().toString().slice(-8)}`,
      issuingCountry: 'FR',
      holderName: 'Camille Martin',
    });
    // 21 chunks: more than one INSERT batch (16) is written before the last chunk is opened.
    const head = Buffer.from('%PDF-1.4\n');
    const tail = Buffer.from('\n%%EOF');
    const size = 20 * CHUNK + 5;
    const bytes = Buffer.concat([
      head,
      Buffer.from(
        randomBytes(size)
          .toString('hex')
          .slice(0, size - head.length - tail.length),
      ),
      tail,
    ]);
    const fileId = (
      await ctx.app.get(DocumentFilesService).upload('user', owner, document.id, 'other', bytes)
    ).id;
    const rotated = new FileCipher(keyB, [keyA]);
    const target = new DocumentsReencryptionTarget(
      ctx.dataSource,
      ctx.app.get(DocumentStore),
      ctx.app.get(FileStore),
      ctx.app.get(FieldCipher),
      rotated,
    );
    const snapshot = async (): Promise<unknown> =>
      ctx.dataSource.query(
        `SELECT (SELECT key_id FROM document_files WHERE id = $1) AS key_id,
                (SELECT ciphertext FROM document_file_blobs WHERE file_id = $1) AS header,
                (SELECT array_agg(ciphertext ORDER BY seq) FROM document_file_chunks WHERE file_id = $1) AS chunks`,
        [fileId],
      );
    const [last] = (await ctx.dataSource.query(
      `SELECT ciphertext FROM document_file_chunks WHERE file_id = $1 AND seq = 20`,
      [fileId],
    )) as { ciphertext: Buffer }[];
    const tampered = Buffer.from(last?.ciphertext as Buffer);
    tampered[0] = (tampered[0] as number) ^ 1;
    await ctx.dataSource.query(
      `UPDATE document_file_chunks SET ciphertext = $2 WHERE file_id = $1 AND seq = 20`,
      [fileId, tampered],
    );
    const before = await snapshot();
    await expect(target.reencryptBatch('document_files', 10)).rejects.toThrow(
      /document file .* \(original\) does not decrypt/,
    );
    expect(await snapshot()).toEqual(before);

    await ctx.dataSource.query(
      `UPDATE document_file_chunks SET ciphertext = $2 WHERE file_id = $1 AND seq = 20`,
      [fileId, last?.ciphertext],
    );
    expect(await target.countStale('document_files')).toBe(1);
    expect(await target.reencryptBatch('document_files', 10)).toBe(1);
    expect(await target.countStale('document_files')).toBe(0);
    const [blob] = (await ctx.dataSource.query(
      `SELECT format, ciphertext FROM document_file_blobs WHERE file_id = $1`,
      [fileId],
    )) as { format: number; ciphertext: Buffer }[];
    expect(blob?.format).toBe(2);
    expect(FileCipher.keyIdOf(blob?.ciphertext as Buffer)).toBe(rotated.keyId);
    const chunks = (
      (await ctx.dataSource.query(
        `SELECT ciphertext FROM document_file_chunks WHERE file_id = $1 ORDER BY seq`,
        [fileId],
      )) as { ciphertext: Buffer }[]
    ).map((row) => row.ciphertext);
    expect(chunks.length).toBe(21);
    const parts: Buffer[] = [];
    const onlyB = new FileCipher(keyB);
    for await (const part of onlyB.openChunks(
      blob?.ciphertext as Buffer,
      chunks,
      `document_files:${fileId}:original`,
    ))
      parts.push(part);
    expect(Buffer.concat(parts).equals(bytes)).toBe(true);
  });
});
