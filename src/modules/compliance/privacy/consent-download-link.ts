import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { ConsentPurpose } from '#modules/compliance/consent-purposes.js';
import type { Role } from '#libs/common/auth/authenticated-user.js';

/** What a consent-records download link lets its holder fetch, and for whom it was minted. */
export interface ConsentDownloadGrant {
  actorId: string;
  actorRoles: Role[];
  format: 'csv' | 'ndjson';
  purpose?: ConsentPurpose;
  from?: string;
  to?: string;
  /** Seconds since epoch. */
  expiresAt: number;
}

const PREFIX = 'cdl1';

/**
 * Short-lived signed download links (HMAC-SHA256 under a key derived from the app secret), so a
 * browser can download an export natively (streamed to disk, never buffered in the page) with
 * no bearer token in the request.
 */
export class ConsentDownloadLinks {
  private readonly key: Buffer;

  constructor(
    secret: string,
    private readonly ttlSeconds = 60,
    private readonly now: () => number = () => Math.floor(Date.now() / 1000),
  ) {
    this.key = createHmac('sha256', secret).update('pathavana:consent-records-download').digest();
  }

  issue(grant: Omit<ConsentDownloadGrant, 'expiresAt'>): { token: string; expiresAt: number } {
    const expiresAt = this.now() + this.ttlSeconds;
    const payload = Buffer.from(
      JSON.stringify({ ...grant, expiresAt, nonce: randomBytes(9).toString('base64url') }),
    ).toString('base64url');
    return { token: `${PREFIX}.${payload}.${this.sign(payload)}`, expiresAt };
  }

  /** The grant, or null when the token is malformed, forged or expired. */
  verify(token: string): ConsentDownloadGrant | null {
    const parts = token.split('.');
    if (parts.length !== 3 || parts[0] !== PREFIX) return null;
    const [, payload, signature] = parts as [string, string, string];
    const expected = Buffer.from(this.sign(payload));
    const given = Buffer.from(signature);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
    let grant: ConsentDownloadGrant;
    try {
      grant = JSON.parse(
        Buffer.from(payload, 'base64url').toString('utf8'),
      ) as ConsentDownloadGrant;
    } catch {
      return null;
    }
    if (typeof grant.expiresAt !== 'number' || grant.expiresAt < this.now()) return null;
    if (!grant.actorRoles?.includes('compliance')) return null;
    return grant;
  }

  private sign(payload: string): string {
    return createHmac('sha256', this.key).update(`${PREFIX}.${payload}`).digest('base64url');
  }
}
