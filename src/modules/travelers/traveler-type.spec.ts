import { describe, expect, it } from '@jest/globals';
import { ageOn, isMinorOn, travelerTypeOn } from './traveler-type.js';

describe('traveler type on the boundary days', () => {
  it.each([
    // birth date, on date, type, minor
    ['2024-06-15', '2026-06-14', 'infant', true], // one day before 2nd birthday
    ['2024-06-15', '2026-06-15', 'child', true], // exactly 2
    ['2014-06-15', '2026-06-14', 'child', true], // one day before 12
    ['2014-06-15', '2026-06-15', 'adult', true], // exactly 12
    ['2008-06-15', '2026-06-14', 'adult', true], // one day before 18
    ['2008-06-15', '2026-06-15', 'adult', false], // exactly 18
    ['1961-06-15', '2026-06-14', 'adult', false], // one day before 65
    ['1961-06-15', '2026-06-15', 'senior', false], // exactly 65
    ['2026-06-15', '2026-06-15', 'infant', true], // born today
  ] as const)('born %s, on %s → %s (minor %s)', (birth, on, type, minor) => {
    expect(travelerTypeOn(birth, on)).toBe(type);
    expect(isMinorOn(birth, on)).toBe(minor);
  });

  it('treats 29 February birthdays as 1 March in common years', () => {
    expect(ageOn('2008-02-29', '2026-02-28')).toBe(17);
    expect(ageOn('2008-02-29', '2026-03-01')).toBe(18);
    expect(ageOn('2008-02-29', '2028-02-29')).toBe(20);
  });

  it('counts someone without a birth date as an adult and not a minor', () => {
    expect(travelerTypeOn(null, '2026-01-01')).toBe('adult');
    expect(isMinorOn(null, '2026-01-01')).toBe(false);
  });

  it('refuses malformed dates', () => {
    expect(() => ageOn('15/06/2008', '2026-06-15')).toThrow(RangeError);
  });
});
