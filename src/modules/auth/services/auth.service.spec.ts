import { describe, expect, it } from '@jest/globals';
import { lockoutSeconds } from './auth.service.js';

describe('lockoutSeconds', () => {
  it.each([
    [0, 0],
    [4, 0],
    [5, 60],
    [6, 120],
    [7, 240],
    [10, 1920],
    [11, 3600],
    [500, 3600],
  ])('after %i consecutive failures (max 5, base 60 s) locks for %i s', (failures, seconds) => {
    expect(lockoutSeconds(failures, 5, 60)).toBe(seconds);
  });
});
