import type { ValueTransformer } from 'typeorm';

/**
 * The one transformer for `bigint` columns read as numbers (money in minor units). pg returns
 * bigint as a string; the values kept here stay far below 2^53, so they are read as safe integers
 * and refused loudly (RangeError) if one ever is not, rather than silently rounded.
 */
export const bigintTransformer: ValueTransformer = {
  to: (value: number | null | undefined) => value,
  from: (value: string | null) => {
    if (value === null) return null;
    const parsed = Number(value);
    if (!Number.isSafeInteger(parsed)) {
      throw new RangeError(`Amount ${value} is not a safe integer`);
    }
    return parsed;
  },
};
