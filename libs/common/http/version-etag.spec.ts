import { describe, expect, it } from '@jest/globals';
import { ProblemException } from '../errors/problem.exception.js';
import { etagOf, parseIfMatch, versionFromIfMatch } from './version-etag.js';

describe('version ETags', () => {
  it('quotes the version', () => {
    expect(etagOf(7)).toBe('"7"');
  });

  it.each([
    [undefined, undefined],
    ['', undefined],
    ['  ', undefined],
    ['*', undefined],
    ['"3"', [3]],
    [' "4" ', [4]],
    ['"3", "4"', [3, 4]],
    ['W/"3"', []],
    ['"abc"', []],
    ['""', []],
    ['"3" , W/"5", "7"', [3, 7]],
    [
      ['"1"', '"2"'],
      [1, 2],
    ],
    ['"99999999999"', []],
  ])(
    'parseIfMatch(%j) → %j (strong comparison: weak or foreign tags never match)',
    (header, expected) => {
      expect(parseIfMatch(header)).toEqual(expected);
    },
  );

  it.each(['3', 'abc', '"3" x', 'W/3', '"1",,'])(
    'parseIfMatch(%j) → 400 INVALID_IF_MATCH',
    (header) => {
      expect(() => parseIfMatch(header)).toThrow(ProblemException);
      try {
        parseIfMatch(header);
      } catch (error) {
        expect((error as ProblemException).code).toBe('INVALID_IF_MATCH');
      }
    },
  );

  it.each([
    [undefined, undefined],
    ['*', undefined],
    ['"3"', 3],
    [' "4" ', 4],
    ['W/"12"', 0],
    ['"abc"', 0],
  ])('versionFromIfMatch(%j) → %j (0 never matches a version)', (header, version) => {
    expect(versionFromIfMatch(header)).toBe(version);
  });

  it('versionFromIfMatch refuses several versions', () => {
    expect(() => versionFromIfMatch('"1", "2"')).toThrow(ProblemException);
  });
});
