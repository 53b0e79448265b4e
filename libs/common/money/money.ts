import { ApiProperty } from '../openapi/api-docs.js';
import { IsInt, IsISO4217CurrencyCode, Max, Min } from 'class-validator';

/** Integer minor units + ISO 4217 code. Never floats. */
export interface Money {
  readonly amountMinor: number;
  readonly currency: string;
}

export class MoneyDto implements Money {
  @ApiProperty({ example: 12999, description: 'Amount in minor units (cents, yen, fils…)' })
  @IsInt()
  @Min(-Number.MAX_SAFE_INTEGER)
  @Max(Number.MAX_SAFE_INTEGER)
  amountMinor: number;

  @ApiProperty({ example: 'EUR', description: 'ISO 4217 currency code' })
  @IsISO4217CurrencyCode()
  currency: string;
}

/**
 * Minor-unit exponent of a currency (EUR 2, JPY 0, BHD 3), from the ISO 4217 data that ships
 * with Node's ICU. Throws for unknown codes.
 */
export function currencyExponent(currency: string): number {
  const code = currency.toUpperCase();
  if (!/^[A-Z]{3}$/.test(code)) throw new RangeError(`Unknown currency ${currency}`);
  const exponent = new Intl.NumberFormat('en', {
    style: 'currency',
    currency: code,
  }).resolvedOptions().maximumFractionDigits;
  return exponent ?? 2;
}

export function money(amountMinor: number, currency: string): Money {
  if (!Number.isSafeInteger(amountMinor)) {
    throw new RangeError(`amountMinor must be a safe integer, got ${amountMinor}`);
  }
  currencyExponent(currency);
  return { amountMinor, currency: currency.toUpperCase() };
}

function assertSameCurrency(a: Money, b: Money): void {
  if (a.currency !== b.currency) {
    throw new RangeError(`Cannot combine ${a.currency} with ${b.currency}`);
  }
}

export function addMoney(a: Money, b: Money): Money {
  assertSameCurrency(a, b);
  return money(a.amountMinor + b.amountMinor, a.currency);
}

export function subtractMoney(a: Money, b: Money): Money {
  assertSameCurrency(a, b);
  return money(a.amountMinor - b.amountMinor, a.currency);
}

export function sumMoney(currency: string, items: readonly Money[]): Money {
  return items.reduce((total, item) => addMoney(total, item), money(0, currency));
}

/**
 * A share of an amount in basis points (1/100 of a percent), rounded half away from zero in
 * integer arithmetic: `percentageOf(eur(1001), 5000)` is 501 cents.
 */
export function percentageOf(amount: Money, basisPoints: number): Money {
  if (!Number.isInteger(basisPoints)) throw new RangeError('basisPoints must be an integer');
  const product = BigInt(amount.amountMinor) * BigInt(basisPoints);
  const sign = product < 0n ? -1n : 1n;
  const rounded = (product * sign + 5000n) / 10000n;
  return money(Number(rounded * sign), amount.currency);
}

/** `"12.34"`-style decimal text for display and CSV; exact, no floating point. */
export function formatMinor(amount: Money): string {
  const exponent = currencyExponent(amount.currency);
  const negative = amount.amountMinor < 0;
  const digits = Math.abs(amount.amountMinor)
    .toString()
    .padStart(exponent + 1, '0');
  const whole = exponent === 0 ? digits : digits.slice(0, -exponent);
  const fraction = exponent === 0 ? '' : `.${digits.slice(-exponent)}`;
  return `${negative ? '-' : ''}${whole}${fraction}`;
}
