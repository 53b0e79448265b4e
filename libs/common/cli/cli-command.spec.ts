import { describe, expect, it } from '@jest/globals';
import { parseCliArgs } from './cli-command.js';

describe('parseCliArgs', () => {
  it('reads --key value pairs and bare flags', () => {
    expect(parseCliArgs(['--email', 'a@b.c', '--force', '--role', 'admin'])).toEqual({
      email: 'a@b.c',
      force: true,
      role: 'admin',
    });
  });

  it('refuses positional words', () => {
    expect(() => parseCliArgs(['stray'])).toThrow(/Unexpected argument/);
  });
});
