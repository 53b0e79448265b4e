import { randomBytes } from 'node:crypto';

/** Crockford-style base32 without I, L, O, U: easy to read out on the phone. */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/**
 * `PTH-` + 10 characters from 50 random bits (crypto): cannot be guessed or enumerated. 32 is a
 * power of two, so `byte % 32` is unbiased.
 */
export function newBookingReference(): string {
  const bytes = randomBytes(10);
  return `PTH-${Array.from(bytes, (byte) => ALPHABET[byte % 32]).join('')}`;
}
