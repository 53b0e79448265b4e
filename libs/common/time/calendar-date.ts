/**
 * Calendar dates (`YYYY-MM-DD`, no time zone): the one check and the one "today" every module
 * uses. DTOs validate with `@IsDateOnly()` (libs/common/validation/field-validators.ts).
 */
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** `YYYY-MM-DD` naming a real calendar day (2020-02-31 is not one). */
export function isCalendarDate(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const match = DATE.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return (
    date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day
  );
}

/** Today as `YYYY-MM-DD` in UTC, the calendar every age, expiry and travel-date rule uses. */
export function todayUtc(now: Date = new Date()): string {
  return now.toISOString().slice(0, 10);
}
