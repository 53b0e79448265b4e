import { describe, expect, it } from '@jest/globals';
import { copyBinaryRows, type SealedChunk } from './file-store.js';

const FILE_ID = '0b6f2c1e-8a4d-4f7b-9c3e-2d1a5b6c7d8e';

async function copyBytes(chunks: SealedChunk[]): Promise<Buffer> {
  const out: Buffer[] = [];
  for await (const piece of copyBinaryRows(FILE_ID, 'original', toAsync(chunks))) out.push(piece);
  return Buffer.concat(out);
}

async function* toAsync(chunks: SealedChunk[]): AsyncGenerator<SealedChunk> {
  for (const chunk of chunks) yield chunk;
}

/** Reads PostgreSQL's binary COPY format back: the rows as (file id, variant, seq, bytes). */
function parseCopy(bytes: Buffer): [string, string, number, Buffer][] {
  expect(bytes.subarray(0, 11).toString('latin1')).toBe('PGCOPY\n\xff\r\n\0');
  expect(bytes.readInt32BE(11)).toBe(0);
  expect(bytes.readInt32BE(15)).toBe(0);
  const rows: [string, string, number, Buffer][] = [];
  let at = 19;
  for (;;) {
    const fields = bytes.readInt16BE(at);
    at += 2;
    if (fields === -1) break;
    expect(fields).toBe(4);
    const values: Buffer[] = [];
    for (let i = 0; i < fields; i += 1) {
      const length = bytes.readInt32BE(at);
      values.push(bytes.subarray(at + 4, at + 4 + length));
      at += 4 + length;
    }
    const [id, variant, seq, data] = values as [Buffer, Buffer, Buffer, Buffer];
    const hex = id.toString('hex');
    rows.push([
      `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`,
      variant.toString('utf8'),
      seq.readInt32BE(0),
      Buffer.from(data),
    ]);
  }
  expect(at).toBe(bytes.length);
  return rows;
}

describe('copyBinaryRows (COPY … FROM STDIN, binary)', () => {
  it('frames each chunk as a row (file id, variant, seq from 0, bytes), parts joined', async () => {
    const a = Buffer.from('first chunk');
    const [b1, b2] = [Buffer.from('second '), Buffer.from('chunk, in parts')];
    const rows = parseCopy(await copyBytes([a, [b1, b2]]));
    expect(rows).toEqual([
      [FILE_ID, 'original', 0, a],
      [FILE_ID, 'original', 1, Buffer.concat([b1, b2])],
    ]);
  });

  it('no chunks is the header and the trailer only; a file id that is not a uuid is refused', async () => {
    expect(parseCopy(await copyBytes([]))).toEqual([]);
    const rows = copyBinaryRows('not-a-uuid', 'original', toAsync([Buffer.from('x')]));
    await expect(rows.next()).rejects.toThrow('Not a uuid');
  });

  it('gives the event loop a turn between groups of chunks', async () => {
    let turned = false;
    setImmediate(() => {
      turned = true;
    });
    const seen: boolean[] = [];
    const chunks = Array.from({ length: 9 }, () => Buffer.alloc(8));
    for await (const piece of copyBinaryRows(FILE_ID, 'original', toAsync(chunks))) {
      if (piece.length === 8) seen.push(turned);
    }
    expect(seen[0]).toBe(false);
    expect(seen.at(-1)).toBe(true);
  });
});
