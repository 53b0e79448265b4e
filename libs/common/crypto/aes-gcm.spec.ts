import { randomBytes } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { AesGcmCipher } from './aes-gcm.js';

describe('AesGcmCipher', () => {
  const key = randomBytes(32);

  it('round-trips and never repeats a ciphertext', () => {
    const cipher = new AesGcmCipher([key]);
    const a = cipher.encrypt('JBSWY3DPEHPK3PXP');
    const b = cipher.encrypt('JBSWY3DPEHPK3PXP');
    expect(a).not.toBe(b);
    expect(a).not.toContain('JBSWY3DPEHPK3PXP');
    expect(cipher.decrypt(a)).toBe('JBSWY3DPEHPK3PXP');
    expect(a.split('.')[1]).toBe(cipher.keyId);
  });

  it('refuses tampering, a wrong context and an unknown key', () => {
    const cipher = new AesGcmCipher([key.toString('base64')]);
    const sealed = cipher.encrypt('secret', 'row-1');
    expect(cipher.decrypt(sealed, 'row-1')).toBe('secret');
    expect(() => cipher.decrypt(sealed, 'row-2')).toThrow();
    const parts = sealed.split('.');
    parts[4] = Buffer.from('other!').toString('base64url');
    expect(() => cipher.decrypt(parts.join('.'), 'row-1')).toThrow();
    expect(() => new AesGcmCipher([randomBytes(32)]).decrypt(sealed, 'row-1')).toThrow(/key id/);
  });

  it('decrypts with an older key after rotation', () => {
    const old = new AesGcmCipher([key]);
    const sealed = old.encrypt('v');
    const rotated = new AesGcmCipher([randomBytes(32), key]);
    expect(rotated.decrypt(sealed)).toBe('v');
    expect(rotated.encrypt('v').split('.')[1]).toBe(rotated.keyId);
  });

  it('rejects keys of the wrong size', () => {
    expect(() => new AesGcmCipher([randomBytes(16)])).toThrow(/32 bytes/);
  });
});
