import { randomBytes } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { ChunkSealer, FileCipher } from './file-cipher.js';

describe('FileCipher', () => {
  const master = randomBytes(32);
  const cipher = new FileCipher(master);

  it('round-trips bytes with a random IV per call and the key id in the header', () => {
    const plaintext = randomBytes(1000);
    const a = cipher.encrypt(plaintext, 'file:1:original');
    const b = cipher.encrypt(plaintext, 'file:1:original');
    expect(a.equals(b)).toBe(false);
    expect(a.toString('ascii', 1, 9)).toBe(cipher.keyId);
    expect(cipher.decrypt(a, 'file:1:original').equals(plaintext)).toBe(true);
  });

  it('refuses another context (file id), a flipped bit and an unknown key', () => {
    const payload = cipher.encrypt(Buffer.from('scan'), 'file:1:original');
    expect(() => cipher.decrypt(payload, 'file:2:original')).toThrow();
    const flipped = Buffer.from(payload);
    flipped[flipped.length - 1] = (flipped.at(-1) as number) ^ 1;
    expect(() => cipher.decrypt(flipped, 'file:1:original')).toThrow();
    expect(() => new FileCipher(randomBytes(32)).decrypt(payload, 'file:1:original')).toThrow();
  });

  it('decrypts with a previous key after rotation', () => {
    const old = cipher.encrypt(Buffer.from('old scan'), 'ctx');
    const rotated = new FileCipher(randomBytes(32), [master]);
    expect(rotated.decrypt(old, 'ctx').toString()).toBe('old scan');
  });
});

describe('FileCipher, chunked format (2)', () => {
  const master = randomBytes(32);
  const cipher = new FileCipher(master);
  const collect = async (source: AsyncIterable<Buffer>): Promise<Buffer[]> => {
    const out: Buffer[] = [];
    for await (const chunk of source) out.push(chunk);
    return out;
  };

  it('seals pieces of any size as fixed chunks and opens them back, under a rotated key too', async () => {
    const plaintext = randomBytes(3 * 1000 + 17);
    const sealer = cipher.sealer('file:1:original');
    const pieces = [
      plaintext.subarray(0, 5),
      plaintext.subarray(5, 2500),
      plaintext.subarray(2500),
    ];
    const sealed = await collect(sealer.chunks(pieces, 1000));
    expect(sealed.map((chunk) => chunk.length)).toEqual([1016, 1016, 1016, 33]);
    expect(sealer.header.toString('ascii', 1, 9)).toBe(cipher.keyId);
    const opened = await collect(cipher.openChunks(sealer.header, sealed, 'file:1:original'));
    expect(Buffer.concat(opened).equals(plaintext)).toBe(true);
    const rotated = new FileCipher(randomBytes(32), [master]);
    const again = await collect(rotated.openChunks(sealer.header, sealed, 'file:1:original'));
    expect(Buffer.concat(again).equals(plaintext)).toBe(true);
  });

  it('seals in parts (ciphertext, tag) exactly the bytes of whole chunks', async () => {
    const [key, iv] = [randomBytes(32), randomBytes(12)];
    const plaintext = randomBytes(2500);
    const whole = await collect(new ChunkSealer(key, iv, 'file:1', 'k1').chunks([plaintext], 1000));
    const parts: Buffer[][] = [];
    for await (const sealed of new ChunkSealer(key, iv, 'file:1', 'k1').chunksInParts(
      [plaintext],
      1000,
    )) {
      parts.push(sealed);
    }
    expect(parts.map((sealed) => sealed.map((part) => part.length))).toEqual([
      [1000, 16],
      [1000, 16],
      [500, 16],
    ]);
    expect(parts.map((sealed) => Buffer.concat(sealed))).toEqual(whole);
  });

  it('an empty file is one empty final chunk', async () => {
    const sealer = cipher.sealer('ctx');
    const sealed = await collect(sealer.chunks([]));
    expect(sealed.map((chunk) => chunk.length)).toEqual([16]);
    expect(Buffer.concat(await collect(cipher.openChunks(sealer.header, sealed, 'ctx')))).toEqual(
      Buffer.alloc(0),
    );
  });

  it('refuses another context, reordered, dropped or appended chunks, and no chunks', async () => {
    const sealer = cipher.sealer('file:1:original');
    const sealed = await collect(sealer.chunks([randomBytes(2500)], 1000));
    const open = (chunks: Buffer[], context = 'file:1:original'): Promise<Buffer[]> =>
      collect(cipher.openChunks(sealer.header, chunks, context));
    await expect(open(sealed, 'file:2:original')).rejects.toThrow();
    await expect(open([sealed[1], sealed[0], sealed[2]] as Buffer[])).rejects.toThrow();
    await expect(open(sealed.slice(0, 2))).rejects.toThrow();
    await expect(open([...sealed, sealed[2] as Buffer])).rejects.toThrow();
    await expect(open([])).rejects.toThrow();
    expect(() => sealer.seal(Buffer.from('more'), true)).toThrow();
  });
});

describe('FileCipher, key rotation of stored files', () => {
  const oldMaster = randomBytes(32);
  const before = new FileCipher(oldMaster);
  const after = new FileCipher(randomBytes(32), [oldMaster]);
  const collect = async (source: AsyncIterable<Buffer>): Promise<Buffer[]> => {
    const out: Buffer[] = [];
    for await (const chunk of source) out.push(chunk);
    return out;
  };

  it('reads the key id from the header of either format, null for anything else', async () => {
    const whole = before.encrypt(Buffer.from('scan'), 'f:1:original');
    const sealer = before.sealer('f:1:original');
    expect(FileCipher.keyIdOf(whole)).toBe(before.keyId);
    expect(FileCipher.keyIdOf(sealer.header)).toBe(before.keyId);
    expect(FileCipher.keyIdOf(Buffer.concat([sealer.header, Buffer.alloc(1)]))).toBeNull();
    expect(FileCipher.keyIdOf(sealer.header.subarray(0, 20))).toBeNull();
    expect(FileCipher.keyIdOf(Buffer.alloc(0))).toBeNull();
    const unknown = Buffer.from(whole);
    unknown[0] = 3;
    expect(FileCipher.keyIdOf(unknown)).toBeNull();
  });

  it('re-seals a chunked file chunk by chunk and a whole file in chunks, under the current key', async () => {
    const plaintext = randomBytes(3 * 65536 + 99);
    const sealer = before.sealer('f:1:original');
    const sealed = await collect(sealer.chunks([plaintext]));
    const moved = after.reseal(sealer.header, sealed, 'f:1:original');
    expect(FileCipher.keyIdOf(moved.header)).toBe(after.keyId);
    const resealed = await collect(moved.chunks);
    expect(resealed.map((chunk) => chunk.length)).toEqual(sealed.map((chunk) => chunk.length));
    const opened = await collect(after.openChunks(moved.header, resealed, 'f:1:original'));
    expect(Buffer.concat(opened).equals(plaintext)).toBe(true);
    // The old key alone no longer opens it.
    await expect(
      collect(before.openChunks(moved.header, resealed, 'f:1:original')),
    ).rejects.toThrow(/unknown key id/);

    const whole = before.encrypt(plaintext, 'f:2:original');
    const fromWhole = after.reseal(whole, [], 'f:2:original');
    const chunks = await collect(fromWhole.chunks);
    expect(chunks.length).toBe(4);
    const back = await collect(after.openChunks(fromWhole.header, chunks, 'f:2:original'));
    expect(Buffer.concat(back).equals(plaintext)).toBe(true);
  });

  it('fails on a chunk that does not open (wrong context, tampering, unknown key)', async () => {
    const sealer = before.sealer('f:1:original');
    const sealed = await collect(sealer.chunks([randomBytes(70_000)]));
    await expect(
      collect(after.reseal(sealer.header, sealed, 'f:2:original').chunks),
    ).rejects.toThrow();
    const stranger = new FileCipher(randomBytes(32));
    await expect(
      collect(stranger.reseal(sealer.header, sealed, 'f:1:original').chunks),
    ).rejects.toThrow(/unknown key id/);
    expect(() => stranger.reseal(before.encrypt(Buffer.from('x'), 'c'), [], 'c')).toThrow(
      /unknown key id/,
    );
  });
});
