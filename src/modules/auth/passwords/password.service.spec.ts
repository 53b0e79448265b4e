import { describe, expect, it } from '@jest/globals';
import { passwordPolicyViolation } from './password.service.js';

describe('passwordPolicyViolation', () => {
  it.each([
    ['short', 'at least 8'],
    ['x'.repeat(129), 'at most 128'],
    ['password', 'too common'],
    ['Password1', 'too common'],
    ['QWERTYUIOP', 'too common'],
    ['a@b.example', 'email'],
  ])('refuses %s', (password, reason) => {
    expect(passwordPolicyViolation(password, 'a@b.example')).toContain(reason);
  });

  it.each(['correct horse battery', 'x'.repeat(128), 'ñandú-ñandú', 'lowercaseonly'])(
    'accepts %s without composition rules',
    (password) => {
      expect(passwordPolicyViolation(password, 'a@b.example')).toBeNull();
    },
  );
});
