import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { KeyRing, type MasterKeys } from './field-cipher.js';

const ALGORITHM = 'aes-256-gcm';
const VERSION = 1;
const KEY_ID_BYTES = 8;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const HEADER_BYTES = 1 + KEY_ID_BYTES + IV_BYTES + TAG_BYTES;

/**
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

  /** The key id a payload was encrypted under (null when it is not a file ciphertext). */
  static keyIdOf(payload: Buffer): string | null {
    if (payload.length < HEADER_BYTES || payload.readUInt8(0) !== VERSION) return null;
    return payload.toString('ascii', 1, 1 + KEY_ID_BYTES);
  }

  /** The same bytes under the current key (a fresh IV), or the payload itself when current. */
  reencrypt(payload: Buffer, context: string): Buffer {
    return FileCipher.keyIdOf(payload) === this.ring.currentKeyId
      ? payload
      : this.encrypt(this.decrypt(payload, context), context);
  }

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
