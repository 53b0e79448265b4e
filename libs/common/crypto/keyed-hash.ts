import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';
import { KeyRing, type MasterKeys } from './field-cipher.js';

/**
 * HMAC-SHA256 for secrets we only compare (backup codes) or chain (refresh tokens), keyed from
 * the data master keys (one HKDF purpose each) so rotating the JWT secret no longer voids them.
 * The current key hashes; every key of the ring verifies, and so do the keys earlier releases
 * derived from the JWT secret(s) (`legacySecrets`), for hashes written before this change.
 */
export class KeyedHasher {
  private readonly ring: KeyRing;
  private readonly legacy: Buffer[];

  constructor(purpose: string, masters: MasterKeys, legacySecrets: readonly string[] = []) {
    this.ring = new KeyRing(purpose, masters.current, masters.previous);
    this.legacy = legacySecrets.map((secret) =>
      Buffer.from(hkdfSync('sha256', secret, 'pathavana', purpose, 32)),
    );
  }

  get currentKeyId(): string {
    return this.ring.currentKeyId;
  }

  /** `<keyId>:<hex>`: the key id lets verification pick the key, and shows what is stale. */
  hash(value: string): string {
    return `${this.ring.currentKeyId}:${this.hmacHex(this.ring.currentKey, value)}`;
  }

  /** True when `stored` (from `hash`, or a bare hex digest of an earlier release) is `value`'s. */
  matches(stored: string, value: string): boolean {
    const separator = stored.indexOf(':');
    if (separator >= 0) {
      const key = this.ring.keyFor(stored.slice(0, separator));
      return key !== undefined && equalText(stored.slice(separator + 1), this.hmacHex(key, value));
    }
    return this.legacy.some((key) => equalText(stored, this.hmacHex(key, value)));
  }

  /** The raw MAC under the current key (base64url), e.g. the next refresh secret. */
  mac(value: string): string {
    return createHmac('sha256', this.ring.currentKey).update(value).digest('base64url');
  }

  /** MAC functions of every key that verifies, the current one first (to walk a chain). */
  macFunctions(): Array<(value: string) => string> {
    return [...this.ring.entries().map(([, key]) => key), ...this.legacy].map(
      (key) => (value: string) => createHmac('sha256', key).update(value).digest('base64url'),
    );
  }

  private hmacHex(key: Buffer, value: string): string {
    return createHmac('sha256', key).update(value).digest('hex');
  }
}

function equalText(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
