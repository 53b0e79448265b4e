/** Traveler types by age: under 2 infant, under 12 child, 65 and over senior, else adult. */
export const TRAVELER_TYPES = ['infant', 'child', 'adult', 'senior'] as const;
export type TravelerType = (typeof TRAVELER_TYPES)[number];

export const MINOR_AGE = 18;

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function parts(date: string): [number, number, number] {
  const match = ISO_DATE.exec(date);
  if (!match) throw new RangeError(`Not an ISO date: ${date}`);
  return [Number(match[1]), Number(match[2]), Number(match[3])];
}

/**
 * Completed years between two ISO dates, by calendar (no time zones, no floating point). Someone
 * born on 29 February has their birthday on 1 March in common years.
 */
export function ageOn(birthDate: string, onDate: string): number {
  const [by, bm, bd] = parts(birthDate);
  const [y, m, d] = parts(onDate);
  const hadBirthday = m > bm || (m === bm && d >= bd);
  return y - by - (hadBirthday ? 0 : 1);
}

/** The type at a date (travel date when a booking asks, today otherwise). No birth date: adult. */
export function travelerTypeOn(birthDate: string | null, onDate: string): TravelerType {
  if (!birthDate) return 'adult';
  const age = ageOn(birthDate, onDate);
  if (age < 2) return 'infant';
  if (age < 12) return 'child';
  if (age >= 65) return 'senior';
  return 'adult';
}

export function isMinorOn(birthDate: string | null, onDate: string): boolean {
  return birthDate !== null && ageOn(birthDate, onDate) < MINOR_AGE;
}
