import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { KeyRing, type MasterKeys } from './field-cipher.js';

const ALGORITHM = 'aes-256-gcm';
const VERSION = 1;
const KEY_ID_BYTES = 8;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const HEADER_BYTES = 1 + KEY_ID_BYTES + IV_BYTES + TAG_BYTES;

/**
 * Format 1 (kept to read files stored before format 2, `ChunkSealer`; new files use format 2):
 * AES-256-GCM for whole files (document scans), from the same master keys as `FieldCipher`
 * (its own HKDF purpose, so a field key never encrypts a file). Binary output:
 * `version(1) | keyId(8, ascii hex) | iv(12, random per file) | tag(16) | ciphertext`.
 * `context` (e.g. the file id and variant) is bound as additional authenticated data, so a
 * ciphertext moved to another file does not decrypt. Older keys decrypt, the current one encrypts.
 */
export class FileCipher {
  private readonly ring: KeyRing;

  constructor(currentMasterKey: Buffer, previousMasterKeys: readonly Buffer[] = []) {
    this.ring = new KeyRing('file-encryption', currentMasterKey, previousMasterKeys);
  }

  static fromMasterKeys(masters: MasterKeys): FileCipher {
    return new FileCipher(masters.current, masters.previous);
  }

  static fromBase64(current: string, previous: readonly string[] = []): FileCipher {
    return new FileCipher(
      Buffer.from(current, 'base64'),
      previous.map((key) => Buffer.from(key, 'base64')),
    );
  }

  get keyId(): string {
    return this.ring.currentKeyId;
  }

  encrypt(plaintext: Buffer, context: string): Buffer {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv(ALGORITHM, this.ring.currentKey, iv);
    cipher.setAAD(Buffer.from(context));
    const out = Buffer.allocUnsafe(HEADER_BYTES + plaintext.length);
    out.writeUInt8(VERSION, 0);
    out.write(this.ring.currentKeyId, 1, KEY_ID_BYTES, 'ascii');
    iv.copy(out, 1 + KEY_ID_BYTES);
    let offset = HEADER_BYTES;
    offset += cipher.update(plaintext).copy(out, offset);
    offset += cipher.final().copy(out, offset);
    cipher.getAuthTag().copy(out, 1 + KEY_ID_BYTES + IV_BYTES);
    return offset === out.length ? out : out.subarray(0, offset);
  }

  /** A sealer of one file (variant) in the chunked format, under the current key. */
  sealer(context: string): ChunkSealer {
    return new ChunkSealer(this.ring.currentKey, randomBytes(IV_BYTES), context, this.keyId);
  }

  /**
   * Opens the chunks of a file sealed by `sealer` (its `header`), in order, one chunk of
   * look-ahead: throws (the stream errors) on the first chunk that does not authenticate,
   * including a missing final chunk or an empty source.
   */
  async *openChunks(
    header: Buffer,
    source: AsyncIterable<Buffer> | Iterable<Buffer>,
    context: string,
  ): AsyncGenerator<Buffer> {
    if (header.length !== CHUNKED_HEADER_BYTES || header.readUInt8(0) !== CHUNKED_VERSION) {
      throw new Error('Unreadable file ciphertext (unknown format)');
    }
    const key = this.ring.keyFor(header.toString('ascii', 1, 1 + KEY_ID_BYTES));
    if (!key) throw new Error('Unreadable file ciphertext (unknown key id)');
    const iv = header.subarray(1 + KEY_ID_BYTES);
    const open = (sealed: Buffer, index: number, final: boolean): Buffer => {
      if (sealed.length < TAG_BYTES) throw new Error('Unreadable file ciphertext (short chunk)');
      const decipher = createDecipheriv(ALGORITHM, key, chunkNonce(iv, index));
      decipher.setAAD(chunkAad(context, index, final));
      decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
      const body = sealed.subarray(0, sealed.length - TAG_BYTES);
      return Buffer.concat([decipher.update(body), decipher.final()], body.length);
    };
    let index = 0;
    let held: Buffer | null = null;
    for await (const sealed of source) {
      if (held) {
        yield open(held, index, false);
        index += 1;
      }
      held = sealed;
    }
    if (!held) throw new Error('Unreadable file ciphertext (no chunks)');
    yield open(held, index, true);
  }

  /**
   * The key id a stored variant is under, read from its header: format 1 (`version 1 | keyId |
   * iv | tag | ciphertext`, the whole file) or format 2 (`version 2 | keyId | iv`, exactly
   * `CHUNKED_HEADER_BYTES`); null when it is neither.
   */
  static keyIdOf(header: Buffer): string | null {
    const version = header.length > 0 ? header.readUInt8(0) : null;
    const readable =
      (version === VERSION && header.length >= HEADER_BYTES) ||
      (version === CHUNKED_VERSION && header.length === CHUNKED_HEADER_BYTES);
    return readable ? header.toString('ascii', 1, 1 + KEY_ID_BYTES) : null;
  }

  /**
   * A stored variant (either format) re-sealed in the chunked format under the current key
   * (key rotation): format 2 is opened and sealed again chunk by chunk (never the whole file in
   * memory; the chunk boundaries stay the same), format 1 is decrypted (it is one ciphertext
   * already in memory) and sealed in chunks. The returned chunks are lazy: they fail (unknown
   * key, tampering) as they are pulled, so the caller writes them inside a transaction.
   */
  reseal(
    header: Buffer,
    chunks: AsyncIterable<Buffer> | Iterable<Buffer>,
    context: string,
  ): { header: Buffer; chunks: AsyncGenerator<Buffer> } {
    const sealer = this.sealer(context);
    const plaintext =
      header.length > 0 && header.readUInt8(0) === VERSION
        ? [this.decrypt(header, context)]
        : this.openChunks(header, chunks, context);
    return { header: sealer.header, chunks: sealer.chunks(plaintext) };
  }

  /** The whole-file format (1): files stored before the chunked format still decrypt. */
  decrypt(payload: Buffer, context: string): Buffer {
    if (payload.length < HEADER_BYTES || payload.readUInt8(0) !== VERSION) {
      throw new Error('Unreadable file ciphertext (unknown format)');
    }
    const keyId = payload.toString('ascii', 1, 1 + KEY_ID_BYTES);
    const key = this.ring.keyFor(keyId);
    if (!key) throw new Error('Unreadable file ciphertext (unknown key id)');
    const iv = payload.subarray(1 + KEY_ID_BYTES, 1 + KEY_ID_BYTES + IV_BYTES);
    const tag = payload.subarray(1 + KEY_ID_BYTES + IV_BYTES, HEADER_BYTES);
    const decipher = createDecipheriv(ALGORITHM, key, iv);
    decipher.setAAD(Buffer.from(context));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(payload.subarray(HEADER_BYTES)), decipher.final()]);
  }
}

/** Plaintext bytes per chunk of the chunked format (the last chunk may be shorter). */
export const FILE_CHUNK_BYTES = 64 * 1024;
const CHUNKED_VERSION = 2;
/** `version(1) | keyId(8, ascii hex) | iv(12, random per file and variant)`. */
export const CHUNKED_HEADER_BYTES = 1 + KEY_ID_BYTES + IV_BYTES;

/**
 * Chunked AES-256-GCM (format 2) for files that must never exist whole as ciphertext: the
 * plaintext is cut into `FILE_CHUNK_BYTES` chunks, each sealed on its own as
 * `ciphertext | tag(16)`. Chunk `i` uses the nonce `iv XOR i` (in the IV's last 4 bytes, so
 * nonces never repeat within a file; the IV is random per file and variant) and the additional
 * data `context | i (uint32 BE) | final (1 byte)`. A chunk moved to another file or index, a
 * reordered, dropped or appended chunk, or a file cut after any chunk (the last one read must be
 * the one sealed as final) fails to open.
 */
export class ChunkSealer {
  private index = 0;
  private finished = false;

  constructor(
    private readonly key: Buffer,
    private readonly iv: Buffer,
    private readonly context: string,
    readonly keyId: string,
  ) {}

  /** What the reader needs besides the chunks: the format, the key id and the IV. */
  get header(): Buffer {
    const header = Buffer.alloc(CHUNKED_HEADER_BYTES);
    header.writeUInt8(CHUNKED_VERSION, 0);
    header.write(this.keyId, 1, KEY_ID_BYTES, 'ascii');
    this.iv.copy(header, 1 + KEY_ID_BYTES);
    return header;
  }

  /** Seals the next chunk; `final` exactly once, on the last one (which may be empty). */
  seal(plaintext: Buffer, final: boolean): Buffer {
    const parts = this.sealInParts(plaintext, final);
    return Buffer.concat(parts, plaintext.length + TAG_BYTES);
  }

  /**
   * `seal` without joining: `[ciphertext, tag]`, whose concatenation is the sealed chunk. A store
   * that frames the bytes itself (COPY) sends the parts as they are: one buffer per chunk instead
   * of two, so half the short-lived memory while a file is written.
   */
  sealInParts(plaintext: Buffer, final: boolean): Buffer[] {
    if (this.finished) throw new Error('The file was already sealed as final');
    const index = this.index;
    this.index += 1;
    this.finished = final;
    const cipher = createCipheriv(ALGORITHM, this.key, chunkNonce(this.iv, index));
    cipher.setAAD(chunkAad(this.context, index, final));
    const parts = [cipher.update(plaintext)];
    const rest = cipher.final(); // empty for GCM, kept for form's sake
    if (rest.length > 0) parts.push(rest);
    parts.push(cipher.getAuthTag());
    return parts;
  }

  /**
   * Seals a stream of plaintext pieces of any size as fixed-size chunks, one chunk of look-ahead
   * (so the last one is sealed as final). Pieces of a larger buffer are sliced, not copied; only
   * pieces that straddle a chunk boundary are gathered (one chunk at most).
   */
  chunks(
    source: AsyncIterable<Buffer> | Iterable<Buffer>,
    chunkBytes: number = FILE_CHUNK_BYTES,
  ): AsyncGenerator<Buffer> {
    return this.cut(source, chunkBytes, (plaintext, final) => this.seal(plaintext, final));
  }

  /** `chunks`, each sealed chunk as its parts (`sealInParts`). */
  chunksInParts(
    source: AsyncIterable<Buffer> | Iterable<Buffer>,
    chunkBytes: number = FILE_CHUNK_BYTES,
  ): AsyncGenerator<Buffer[]> {
    return this.cut(source, chunkBytes, (plaintext, final) => this.sealInParts(plaintext, final));
  }

  private async *cut<T>(
    source: AsyncIterable<Buffer> | Iterable<Buffer>,
    chunkBytes: number,
    seal: (plaintext: Buffer, final: boolean) => T,
  ): AsyncGenerator<T> {
    let pending: Buffer[] = [];
    let pendingBytes = 0;
    let held: Buffer | null = null;
    for await (const piece of source) {
      let offset = 0;
      while (offset < piece.length) {
        const take = Math.min(chunkBytes - pendingBytes, piece.length - offset);
        pending.push(piece.subarray(offset, offset + take));
        pendingBytes += take;
        offset += take;
        if (pendingBytes === chunkBytes) {
          if (held) yield seal(held, false);
          held = pending.length === 1 ? (pending[0] as Buffer) : Buffer.concat(pending);
          pending = [];
          pendingBytes = 0;
        }
      }
    }
    if (pendingBytes > 0) {
      if (held) yield seal(held, false);
      yield seal(Buffer.concat(pending, pendingBytes), true);
    } else {
      yield seal(held ?? Buffer.alloc(0), true);
    }
  }
}

function chunkNonce(iv: Buffer, index: number): Buffer {
  const nonce = Buffer.from(iv);
  nonce.writeUInt32BE((nonce.readUInt32BE(IV_BYTES - 4) ^ index) >>> 0, IV_BYTES - 4);
  return nonce;
}

function chunkAad(context: string, index: number, final: boolean): Buffer {
  const aad = Buffer.alloc(Buffer.byteLength(context) + 5);
  const at = aad.write(context, 0);
  aad.writeUInt32BE(index, at);
  aad.writeUInt8(final ? 1 : 0, at + 4);
  return aad;
}
