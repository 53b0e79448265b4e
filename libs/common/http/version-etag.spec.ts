import { describe, expect, it } from '@jest/globals';
import { ProblemException } from '../errors/problem.exception.js';
import { etagOf, versionFromIfMatch } from './version-etag.js';

describe('version ETags', () => {
  it('quotes the version', () => {
    expect(etagOf(7)).toBe('"7"');
  });

  it.each([
    [undefined, undefined],
    ['"3"', 3],
    ['W/"12"', 12],
    [' "4" ', 4],
    [['"5"', '"6"'], 5],
  ])('If-Match %p → %p', (header, version) => {
    expect(versionFromIfMatch(header)).toBe(version);
  });

  it.each(['3', '"abc"', '*', '""', '"1", "2"'])('If-Match %p → 400', (header) => {
    expect(() => versionFromIfMatch(header)).toThrow(ProblemException);
  });
});
