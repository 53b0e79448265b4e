import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

/**
 * AES-256-GCM envelope for secrets at rest (TOTP secrets, document numbers…).
 * Format: `v1.<keyId>.<iv>.<tag>.<ciphertext>` (base64url parts). The key id is derived from
 * the key itself, so several keys can be held during a rotation and each value names its own.
 * Optional associated data (e.g. the owning row id) binds a ciphertext to its context.
 */
export class AesGcmCipher {
  private readonly keys = new Map<string, Buffer>();
  private readonly currentKeyId: string;

  /** `keys[0]` encrypts; every key decrypts. Each key is 32 bytes (raw or base64). */
  constructor(keys: readonly (Buffer | string)[]) {
    if (keys.length === 0) throw new Error('AesGcmCipher needs at least one key');
    for (const input of keys) {
      const key = typeof input === 'string' ? Buffer.from(input, 'base64') : input;
      if (key.length !== 32) throw new Error('AES-256-GCM keys must be 32 bytes');
      this.keys.set(keyIdOf(key), key);
    }
    this.currentKeyId = keyIdOf(
      typeof keys[0] === 'string' ? Buffer.from(keys[0], 'base64') : (keys[0] as Buffer),
    );
  }

  get keyId(): string {
    return this.currentKeyId;
  }

  encrypt(plaintext: string, associatedData?: string): string {
    const key = this.keys.get(this.currentKeyId) as Buffer;
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    if (associatedData !== undefined) cipher.setAAD(Buffer.from(associatedData, 'utf8'));
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    const tag = cipher.getAuthTag();
    return ['v1', this.currentKeyId, iv, tag, ciphertext]
      .map((part) => (typeof part === 'string' ? part : part.toString('base64url')))
      .join('.');
  }

  decrypt(envelope: string, associatedData?: string): string {
    const [version, keyId, iv, tag, ciphertext] = envelope.split('.');
    if (version !== 'v1' || !keyId || !iv || !tag || ciphertext === undefined) {
      throw new Error('Malformed ciphertext envelope');
    }
    const key = this.keys.get(keyId);
    if (!key) throw new Error(`Unknown encryption key id ${keyId}`);
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
    if (associatedData !== undefined) decipher.setAAD(Buffer.from(associatedData, 'utf8'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([
      decipher.update(Buffer.from(ciphertext, 'base64url')),
      decipher.final(),
    ]).toString('utf8');
  }
}

/** First 8 hex chars of SHA-256(key): identifies a key without revealing it. */
export function keyIdOf(key: Buffer): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 8);
}
