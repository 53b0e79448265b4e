import { describe, expect, it } from '@jest/globals';
import { newBookingReference } from './booking-reference.js';
import { canonicalJson, fingerprint } from './canonical-json.js';

describe('canonical JSON and fingerprints', () => {
  it('sorts keys at every level and drops undefined members', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { z: 1, y: null }], c: undefined } })).toBe(
      '{"a":{"d":[2,{"y":null,"z":1}]},"b":1}',
    );
  });

  it('gives equal bodies equal fingerprints and different bodies different ones', () => {
    expect(fingerprint({ a: 1, b: [1, 2] })).toBe(fingerprint({ b: [1, 2], a: 1 }));
    expect(fingerprint({ a: 1, b: [1, 2] })).not.toBe(fingerprint({ a: 1, b: [2, 1] }));
    expect(fingerprint({ a: '1' })).not.toBe(fingerprint({ a: 1 }));
  });
});

describe('booking references', () => {
  it('are PTH- and 10 unambiguous base32 characters, and do not repeat', () => {
    const references = Array.from({ length: 2000 }, () => newBookingReference());
    for (const reference of references) expect(reference).toMatch(/^PTH-[0-9A-HJKMNP-TV-Z]{10}$/);
    expect(new Set(references).size).toBe(references.length);
  });
});
