import { randomBytes } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { FileCipher } from './file-cipher.js';

describe('FileCipher', () => {
  const master = randomBytes(32);
  const cipher = new FileCipher(master);

  it('round-trips bytes with a random IV per call and the key id in the header', () => {
    const plaintext = randomBytes(1000);
    const a = cipher.encrypt(plaintext, 'file:1:original');
    const b = cipher.encrypt(plaintext, 'file:1:original');
    expect(a.equals(b)).toBe(false);
    expect(a.toString('ascii', 1, 9)).toBe(cipher.keyId);
    expect(cipher.decrypt(a, 'file:1:original').equals(plaintext)).toBe(true);
  });

  it('refuses another context (file id), a flipped bit and an unknown key', () => {
    const payload = cipher.encrypt(Buffer.from('scan'), 'file:1:original');
    expect(() => cipher.decrypt(payload, 'file:2:original')).toThrow();
    const flipped = Buffer.from(payload);
    flipped[flipped.length - 1] = (flipped.at(-1) as number) ^ 1;
    expect(() => cipher.decrypt(flipped, 'file:1:original')).toThrow();
    expect(() => new FileCipher(randomBytes(32)).decrypt(payload, 'file:1:original')).toThrow();
  });

  it('decrypts with a previous key after rotation', () => {
    const old = cipher.encrypt(Buffer.from('old scan'), 'ctx');
    const rotated = new FileCipher(randomBytes(32), [master]);
    expect(rotated.decrypt(old, 'ctx').toString()).toBe('old scan');
  });
});
