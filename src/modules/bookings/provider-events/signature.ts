import { createHmac, timingSafeEqual } from 'node:crypto';
import { ProblemException } from '#libs/common/errors/problem.exception.js';

export const SIGNATURE_HEADER = 'pathavana-signature';
/** A signature's `t` may be this far from now, either way. */
export const SIGNATURE_TOLERANCE_SECONDS = 300;

const HEX_SHA256 = /^[0-9a-f]{64}$/;

export const invalidSignature = (): ProblemException =>
  new ProblemException(401, 'INVALID_SIGNATURE', 'The event signature is missing, wrong or stale.');

/** The header a provider sends: `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">`. */
export function signPayload(secret: string, rawBody: Buffer | string, timestamp: number): string {
  return `t=${timestamp},v1=${hmac(secret, timestamp, rawBody).toString('hex')}`;
}

function hmac(secret: string, timestamp: number, rawBody: Buffer | string): Buffer {
  return createHmac('sha256', secret).update(`${timestamp}.`).update(rawBody).digest();
}

/**
 * Checks a `Pathavana-Signature` header over the raw body (Stripe's scheme): `t` within the
 * tolerance of `now`, and one of its `v1` values equal, in constant time, to the HMAC-SHA256 of
 * `"<t>.<raw body>"` under one of `secrets` (several during a key rotation). Throws 401
 * INVALID_SIGNATURE otherwise, without saying which part failed.
 */
export function verifySignature(
  header: string | undefined,
  rawBody: Buffer,
  secrets: readonly string[],
  now: Date = new Date(),
): void {
  if (!header || secrets.length === 0) throw invalidSignature();
  let timestamp: number | undefined;
  const signatures: Buffer[] = [];
  for (const part of header.split(',')) {
    const [key, value, ...extra] = part.trim().split('=');
    if (extra.length > 0 || value === undefined) continue;
    if (key === 't' && /^\d{1,12}$/.test(value)) timestamp = Number(value);
    if (key === 'v1' && HEX_SHA256.test(value)) signatures.push(Buffer.from(value, 'hex'));
  }
  if (timestamp === undefined || signatures.length === 0) throw invalidSignature();
  if (Math.abs(now.getTime() / 1000 - timestamp) > SIGNATURE_TOLERANCE_SECONDS) {
    throw invalidSignature();
  }
  const expected = secrets.map((secret) => hmac(secret, timestamp, rawBody));
  // Every comparison runs (no early exit), each in constant time.
  let valid = false;
  for (const candidate of expected) {
    for (const signature of signatures) {
      if (timingSafeEqual(candidate, signature)) valid = true;
    }
  }
  if (!valid) throw invalidSignature();
}
