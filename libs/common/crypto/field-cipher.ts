import {
  createCipheriv,
  createDecipheriv,
  createHash,
  createHmac,
  hkdfSync,
  randomBytes,
} from 'node:crypto';

const ALGORITHM = 'aes-256-gcm';
const FORMAT = 'v1';

export function derive(master: Buffer, purpose: string): Buffer {
  return Buffer.from(hkdfSync('sha256', master, Buffer.alloc(0), `pathavana:${purpose}`, 32));
}

/** Stable short id of a master key, stored with every ciphertext so keys can rotate. */
export function keyIdOf(master: Buffer): string {
  return createHash('sha256').update(master).digest('hex').slice(0, 8);
}

/** The master keys a deployment is configured with: the current one first (it encrypts). */
export interface MasterKeys {
  readonly current: Buffer;
  readonly previous: readonly Buffer[];
}

/**
 * AES-256-GCM encryption of single fields (document numbers, TOTP secrets). Output:
 * `v1.<keyId>.<iv>.<tag>.<ciphertext>` (base64url parts). `context` is bound as additional
 * authenticated data, so a ciphertext copied to another row or column fails to decrypt.
 * Decryption accepts every configured key (the current one first), which is how keys rotate:
 * add the new key as current, keep the old one until rows are re-encrypted.
 */
/**
 * The keys one cipher derives (HKDF, one purpose per cipher) from the configured master keys:
 * the current one encrypts, every one decrypts (by the key id stored with each ciphertext).
 */
export class KeyRing {
  private readonly keys = new Map<string, Buffer>();
  readonly currentKeyId: string;

  constructor(
    purpose: string,
    currentMasterKey: Buffer,
    previousMasterKeys: readonly Buffer[] = [],
  ) {
    if (currentMasterKey.length !== 32) throw new Error('The master key must be 32 bytes');
    this.currentKeyId = keyIdOf(currentMasterKey);
    for (const master of [currentMasterKey, ...previousMasterKeys]) {
      this.keys.set(keyIdOf(master), derive(master, purpose));
    }
  }

  get currentKey(): Buffer {
    return this.keys.get(this.currentKeyId) as Buffer;
  }

  /** The key with this id, or undefined when no configured master key has it. */
  keyFor(keyId: string): Buffer | undefined {
    return this.keys.get(keyId);
  }

  /** Every [keyId, key], the current one first. */
  entries(): Array<[string, Buffer]> {
    return [...this.keys.entries()];
  }
}

export class FieldCipher {
  private readonly ring: KeyRing;

  constructor(currentMasterKey: Buffer, previousMasterKeys: readonly Buffer[] = []) {
    this.ring = new KeyRing('field-encryption', currentMasterKey, previousMasterKeys);
  }

  static fromMasterKeys(masters: MasterKeys): FieldCipher {
    return new FieldCipher(masters.current, masters.previous);
  }

  static fromBase64(current: string, previous: readonly string[] = []): FieldCipher {
    return new FieldCipher(
      Buffer.from(current, 'base64'),
      previous.map((key) => Buffer.from(key, 'base64')),
    );
  }

  get keyId(): string {
    return this.ring.currentKeyId;
  }

  encrypt(plaintext: string, context: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv(ALGORITHM, this.ring.currentKey, iv);
    cipher.setAAD(Buffer.from(context));
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return [FORMAT, this.ring.currentKeyId, iv, cipher.getAuthTag(), ciphertext]
      .map((part) => (typeof part === 'string' ? part : part.toString('base64url')))
      .join('.');
  }

  decrypt(payload: string, context: string): string {
    const [format, keyId, iv, tag, ciphertext] = payload.split('.');
    const key = keyId ? this.ring.keyFor(keyId) : undefined;
    if (format !== FORMAT || !key || !iv || !tag || ciphertext === undefined) {
      throw new Error('Unreadable ciphertext (unknown format or key id)');
    }
    const decipher = createDecipheriv(ALGORITHM, key, Buffer.from(iv, 'base64url'));
    decipher.setAAD(Buffer.from(context));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([
      decipher.update(Buffer.from(ciphertext, 'base64url')),
      decipher.final(),
    ]).toString('utf8');
  }

  /** True when the value was written under an older key and should be re-encrypted. */
  needsReencryption(payload: string): boolean {
    return payload.split('.')[1] !== this.ring.currentKeyId;
  }

  /** The same plaintext under the current key (a fresh IV), or the payload itself when current. */
  reencrypt(payload: string, context: string): string {
    return this.needsReencryption(payload)
      ? this.encrypt(this.decrypt(payload, context), context)
      : payload;
  }
}

/**
 * Keyed HMAC-SHA256 "blind index": equal inputs give equal digests, so duplicates can be found
 * with a unique index without storing or comparing plaintext. Parts are normalised (trimmed,
 * upper-cased, inner spaces and dashes removed) and joined unambiguously.
 */
export class BlindIndexer {
  private readonly key: Buffer;

  constructor(masterKey: Buffer) {
    this.key = derive(masterKey, 'blind-index');
  }

  static fromBase64(master: string): BlindIndexer {
    return new BlindIndexer(Buffer.from(master, 'base64'));
  }

  digest(...parts: string[]): string {
    const normalised = parts.map((part) =>
      part
        .trim()
        .toUpperCase()
        .replace(/[\s-]+/g, ''),
    );
    return createHmac('sha256', this.key).update(JSON.stringify(normalised)).digest('hex');
  }
}

/**
 * `••••1234`: the last four characters, behind a fixed-width prefix that hides the length.
 * Values shorter than six characters show nothing (four of five would reveal too much).
 */
export function maskSecret(value: string): string {
  return value.length >= 6 ? `••••${value.slice(-4)}` : '••••';
}
