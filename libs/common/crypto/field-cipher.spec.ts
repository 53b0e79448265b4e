import { randomBytes } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { BlindIndexer, FieldCipher, maskSecret } from './field-cipher.js';

describe('FieldCipher', () => {
  const key = randomBytes(32);

  it('round-trips and never repeats a ciphertext', () => {
    const cipher = new FieldCipher(key);
    const a = cipher.encrypt('P1234567', 'user_documents.number');
    const b = cipher.encrypt('P1234567', 'user_documents.number');
    expect(a).not.toEqual(b);
    expect(a).not.toContain('P1234567');
    expect(cipher.decrypt(a, 'user_documents.number')).toBe('P1234567');
  });

  it('refuses a ciphertext moved to another context or tampered with', () => {
    const cipher = new FieldCipher(key);
    const sealed = cipher.encrypt('secret', 'a');
    expect(() => cipher.decrypt(sealed, 'b')).toThrow();
    const parts = sealed.split('.');
    parts[4] = Buffer.from('tampered').toString('base64url');
    expect(() => cipher.decrypt(parts.join('.'), 'a')).toThrow();
  });

  it('decrypts values written under a previous key after rotation', () => {
    const oldKey = randomBytes(32);
    const sealed = new FieldCipher(oldKey).encrypt('x', 'c');
    const rotated = new FieldCipher(key, [oldKey]);
    expect(rotated.decrypt(sealed, 'c')).toBe('x');
    expect(rotated.needsReencryption(sealed)).toBe(true);
    expect(rotated.needsReencryption(rotated.encrypt('x', 'c'))).toBe(false);
    expect(() => new FieldCipher(key).decrypt(sealed, 'c')).toThrow(/unknown/);
  });
});

describe('BlindIndexer', () => {
  it('matches equal values after normalisation and separates different ones', () => {
    const indexer = new BlindIndexer(randomBytes(32));
    expect(indexer.digest('passport', 'DE', 'c01x-00t 47')).toBe(
      indexer.digest('passport', 'de', 'C01X00T47'),
    );
    expect(indexer.digest('passport', 'DE', 'C01X00T47')).not.toBe(
      indexer.digest('passport', 'FR', 'C01X00T47'),
    );
    // Parts are joined unambiguously: ("AB","C") differs from ("A","BC").
    expect(indexer.digest('AB', 'C')).not.toBe(indexer.digest('A', 'BC'));
  });

  it('differs per key', () => {
    expect(new BlindIndexer(randomBytes(32)).digest('x')).not.toBe(
      new BlindIndexer(randomBytes(32)).digest('x'),
    );
  });
});

describe('maskSecret', () => {
  it.each([
    ['C01X00T47', '••••0T47'],
    ['123456', '••••3456'],
    ['12345', '••••'],
    ['', '••••'],
  ])('masks %s as %s', (value, masked) => {
    expect(maskSecret(value)).toBe(masked);
  });
});
