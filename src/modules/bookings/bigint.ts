import type { ValueTransformer } from 'typeorm';

/**
 * bigint minor units come back from pg as strings. Amounts here stay far below 2^53, so they are
 * read as safe integers (and refused loudly if one ever is not).
 */
export const bigintMinor: ValueTransformer = {
  to: (value: number | null | undefined) => value,
  from: (value: string | null) => {
    if (value === null) return null;
    const parsed = Number(value);
    if (!Number.isSafeInteger(parsed))
      throw new RangeError(`Amount ${value} is not a safe integer`);
    return parsed;
  },
};
