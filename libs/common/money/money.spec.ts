import { describe, expect, it } from '@jest/globals';
import { addMoney, currencyExponent, formatMinor, money, percentageOf, sumMoney } from './money.js';

describe('money', () => {
  it.each([
    ['EUR', 2],
    ['USD', 2],
    ['JPY', 0],
    ['KRW', 0],
    ['BHD', 3],
    ['KWD', 3],
  ])('knows the exponent of %s is %d', (currency, exponent) => {
    expect(currencyExponent(currency)).toBe(exponent);
  });

  it('refuses unknown currency codes', () => {
    expect(() => currencyExponent('EURO')).toThrow(RangeError);
  });

  it.each([
    [{ amountMinor: 123456, currency: 'EUR' }, '1234.56'],
    [{ amountMinor: 5, currency: 'EUR' }, '0.05'],
    [{ amountMinor: -5, currency: 'EUR' }, '-0.05'],
    [{ amountMinor: 123456, currency: 'JPY' }, '123456'],
    [{ amountMinor: 1234, currency: 'BHD' }, '1.234'],
  ])('formats %j as %s', (amount, text) => {
    expect(formatMinor(amount)).toBe(text);
  });

  it('adds and sums exactly, and refuses mixed currencies', () => {
    expect(sumMoney('BHD', [money(1, 'BHD'), money(2, 'BHD'), money(999, 'BHD')])).toEqual(
      money(1002, 'BHD'),
    );
    expect(() => addMoney(money(1, 'EUR'), money(1, 'USD'))).toThrow(RangeError);
  });

  it.each([
    [1001, 5000, 501],
    [1000, 2500, 250],
    [-1001, 5000, -501],
    [3, 3333, 1],
  ])('takes %d × %d bp = %d in integers', (amount, bp, expected) => {
    expect(percentageOf(money(amount, 'EUR'), bp).amountMinor).toBe(expected);
  });

  it('refuses non-integer amounts', () => {
    expect(() => money(1.5, 'EUR')).toThrow(RangeError);
  });
});
