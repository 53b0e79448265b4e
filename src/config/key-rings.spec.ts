import { randomBytes } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { loadConfig } from './app-config.js';
import { ConfigError } from './environment.js';
import { dataMasterKeys, parseDataKeys, parseJwtSecrets } from './key-rings.js';

const key = (): string => randomBytes(32).toString('base64');
const A = key();
const B = key();
const BLIND = key();

describe('data key ring (DATA_ENCRYPTION_KEYS / DATA_ENCRYPTION_KEY_ID)', () => {
  it('reads label:key pairs, the named one active and first, the others kept to decrypt', () => {
    const ring = parseDataKeys({
      DATA_ENCRYPTION_KEYS: ` old:${A} , new:${B} `,
      DATA_ENCRYPTION_KEY_ID: 'new',
      BLIND_INDEX_KEY: BLIND,
    });
    expect(ring.DATA_KEY_RING.active).toEqual({ label: 'new', key: B });
    expect(ring.DATA_KEY_RING.keys.map((entry) => entry.label)).toEqual(['new', 'old']);
    expect(ring.DATA_ENCRYPTION_KEY).toBe(B);
    expect(ring.BLIND_INDEX_KEY).toBe(BLIND);
    const masters = dataMasterKeys(ring.DATA_KEY_RING);
    expect(masters.current.equals(Buffer.from(B, 'base64'))).toBe(true);
    expect(masters.previous.map((buffer) => buffer.toString('base64'))).toEqual([A]);
  });

  it('keeps the single DATA_ENCRYPTION_KEY as a one-key ring, which also keys the blind index', () => {
    const ring = parseDataKeys({ DATA_ENCRYPTION_KEY: A });
    expect(ring.DATA_KEY_RING.keys).toEqual([{ label: 'default', key: A }]);
    expect(ring.BLIND_INDEX_KEY).toBe(A);
    expect(parseDataKeys({ DATA_ENCRYPTION_KEY: A, BLIND_INDEX_KEY: BLIND }).BLIND_INDEX_KEY).toBe(
      BLIND,
    );
  });

  it('a single listed key needs no DATA_ENCRYPTION_KEY_ID', () => {
    const ring = parseDataKeys({ DATA_ENCRYPTION_KEYS: `only:${A}`, BLIND_INDEX_KEY: BLIND });
    expect(ring.DATA_KEY_RING.active.label).toBe('only');
  });

  it.each([
    [
      { DATA_ENCRYPTION_KEYS: `a:${A},b:${B}`, BLIND_INDEX_KEY: BLIND },
      /DATA_ENCRYPTION_KEY_ID must name/,
    ],
    [
      {
        DATA_ENCRYPTION_KEYS: `a:${A},b:${B}`,
        DATA_ENCRYPTION_KEY_ID: 'c',
        BLIND_INDEX_KEY: BLIND,
      },
      /"c" is not a label of DATA_ENCRYPTION_KEYS \(a, b\)/,
    ],
    [{ DATA_ENCRYPTION_KEYS: A, BLIND_INDEX_KEY: BLIND }, /entry 1 must be "label:base64key"/],
    [{ DATA_ENCRYPTION_KEYS: `a:${A},b c:${B}`, BLIND_INDEX_KEY: BLIND }, /entry 2 must be/],
    [
      { DATA_ENCRYPTION_KEYS: `a:${randomBytes(16).toString('base64')}`, BLIND_INDEX_KEY: BLIND },
      /DATA_ENCRYPTION_KEYS key "a" must be 32 bytes/,
    ],
    [{ DATA_ENCRYPTION_KEYS: `a:not base64!`, BLIND_INDEX_KEY: BLIND }, /key "a" must be 32 bytes/],
    [{ DATA_ENCRYPTION_KEYS: `a:${A},a:${B}`, BLIND_INDEX_KEY: BLIND }, /repeats a label/],
    [{ DATA_ENCRYPTION_KEYS: `a:${A},b:${A}`, BLIND_INDEX_KEY: BLIND }, /same key twice/],
    [{ DATA_ENCRYPTION_KEYS: `a:${A}` }, /BLIND_INDEX_KEY is required with DATA_ENCRYPTION_KEYS/],
    [
      { DATA_ENCRYPTION_KEYS: `a:${A}`, DATA_ENCRYPTION_KEY: B, BLIND_INDEX_KEY: BLIND },
      /not both/,
    ],
    [
      { DATA_ENCRYPTION_KEY: A, DATA_ENCRYPTION_KEY_ID: 'a' },
      /DATA_ENCRYPTION_KEYS, which is not set/,
    ],
    [{ DATA_ENCRYPTION_KEY: A, BLIND_INDEX_KEY: 'short' }, /BLIND_INDEX_KEY must be 32 bytes/],
  ])('refuses %j with a clear message', (env, message) => {
    expect(() => parseDataKeys(env)).toThrow(ConfigError);
    expect(() => parseDataKeys(env)).toThrow(message);
  });
});

describe('JWT_SECRETS', () => {
  const s1 = 'a'.repeat(40);
  const s2 = 'b'.repeat(40);

  it('first signs, all verify; JWT_SECRET alone is a one-secret list', () => {
    expect(parseJwtSecrets({ JWT_SECRETS: `${s2}, ${s1}` })).toEqual([s2, s1]);
    expect(parseJwtSecrets({ JWT_SECRET: s1 })).toEqual([s1]);
  });

  it.each([
    [{ JWT_SECRETS: `${s1},short` }, /JWT_SECRETS entry 2 must be at least 32 characters/],
    [{ JWT_SECRETS: `${s1},${s1}` }, /lists a secret twice/],
    [{ JWT_SECRETS: s1, JWT_SECRET: s2 }, /not both/],
    [{}, /JWT_SECRET or JWT_SECRETS is required/],
  ])('refuses %j', (env, message) => {
    expect(() => parseJwtSecrets(env)).toThrow(message);
  });
});

describe('loadConfig with rotation keys', () => {
  it('refuses to start on a bad ring, and starts in production with rings only', () => {
    expect(() =>
      loadConfig({
        NODE_ENV: 'test',
        DATA_ENCRYPTION_KEYS: `a:${A},b:${B}`,
        BLIND_INDEX_KEY: BLIND,
      }),
    ).toThrow(/DATA_ENCRYPTION_KEY_ID/);
    const config = loadConfig({
      NODE_ENV: 'production',
      JWT_SECRETS: `${'n'.repeat(32)},${'o'.repeat(32)}`,
      DATA_ENCRYPTION_KEYS: `a:${A},b:${B}`,
      DATA_ENCRYPTION_KEY_ID: 'b',
      BLIND_INDEX_KEY: BLIND,
      DATABASE_URL: 'postgres://db/app',
    });
    expect(config.JWT_SECRET).toBe('n'.repeat(32));
    expect(config.JWT_SECRETS).toHaveLength(2);
    expect(config.DATA_ENCRYPTION_KEY).toBe(B);
  });
});
