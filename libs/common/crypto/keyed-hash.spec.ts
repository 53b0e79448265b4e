import { createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { KeyedHasher } from './keyed-hash.js';

describe('KeyedHasher', () => {
  const oldKey = randomBytes(32);
  const newKey = randomBytes(32);

  it('hashes under the current key, verifies under every key of the ring', () => {
    const before = new KeyedHasher('backup-codes', { current: oldKey, previous: [] });
    const stored = before.hash('abcd-efgh');
    const rotated = new KeyedHasher('backup-codes', { current: newKey, previous: [oldKey] });
    expect(rotated.matches(stored, 'abcd-efgh')).toBe(true);
    expect(rotated.matches(stored, 'abcd-efgx')).toBe(false);
    expect(rotated.hash('abcd-efgh')).not.toBe(stored);
    const dropped = new KeyedHasher('backup-codes', { current: newKey, previous: [] });
    expect(dropped.matches(stored, 'abcd-efgh')).toBe(false);
  });

  it('still verifies bare hashes an earlier release keyed from the JWT secret', () => {
    const secret = 'j'.repeat(40);
    const legacyKey = Buffer.from(hkdfSync('sha256', secret, 'pathavana', 'backup-codes', 32));
    const legacy = createHmac('sha256', legacyKey).update('abcd-efgh').digest('hex');
    const hasher = new KeyedHasher('backup-codes', { current: newKey, previous: [] }, [secret]);
    expect(hasher.matches(legacy, 'abcd-efgh')).toBe(true);
    expect(
      new KeyedHasher('backup-codes', { current: newKey, previous: [] }).matches(
        legacy,
        'abcd-efgh',
      ),
    ).toBe(false);
  });

  it('walks refresh chains with each key, the current one first', () => {
    const hasher = new KeyedHasher('refresh', { current: newKey, previous: [oldKey] });
    const [current, previous] = hasher.macFunctions();
    expect(current?.('s')).toBe(hasher.mac('s'));
    expect(previous?.('s')).toBe(
      new KeyedHasher('refresh', { current: oldKey, previous: [] }).mac('s'),
    );
  });
});
