import { describe, expect, it } from '@jest/globals';
import { parseIfMatch } from './if-match.js';

describe('parseIfMatch', () => {
  it.each([
    [undefined, undefined],
    ['', undefined],
    ['  ', undefined],
    ['*', undefined],
    ['"3"', [3]],
    ['3', [3]],
    ['"3", "4"', [3, 4]],
    ['W/"3"', []],
    ['"abc"', []],
    ['"3" , W/"5", "7"', [3, 7]],
    [
      ['"1"', '"2"'],
      [1, 2],
    ],
    ['"99999999999"', []],
  ])('%j → %j', (header, expected) => {
    expect(parseIfMatch(header)).toEqual(expected);
  });
});
