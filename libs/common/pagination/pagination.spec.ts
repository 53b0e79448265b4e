import { describe, expect, it } from '@jest/globals';
import { decodeCursor, encodeCursor } from './pagination.js';

describe('cursors', () => {
  it('round-trip the sort key', () => {
    const key = ['2026-11-26T07:00:00.123456Z', '3f1d9a1e-58a4-4a4e-9f3a-0c7f2b1c9d10'] as const;
    expect(decodeCursor(encodeCursor(key))).toEqual([...key]);
  });

  it.each([
    '',
    'not-base64!',
    Buffer.from('{"a":1}').toString('base64url'),
    Buffer.from('[1,2]').toString('base64url'),
  ])('refuse %j with 400 INVALID_CURSOR', (cursor) => {
    expect(() => decodeCursor(cursor)).toThrow(expect.objectContaining({ code: 'INVALID_CURSOR' }));
  });
});
