import {
  IsISO8601,
  Matches,
  registerDecorator,
  type ValidationArguments,
  type ValidationOptions,
} from 'class-validator';
import { isCalendarDate, todayUtc } from '../time/calendar-date.js';

/** `YYYY-MM-DD` naming a real calendar day (the one check, libs/common/time). */
export const isDateOnly = isCalendarDate;

function decorator(
  name: string,
  validate: (value: unknown, args: ValidationArguments) => boolean,
  defaultMessage: (args: ValidationArguments) => string,
  options?: ValidationOptions,
): PropertyDecorator {
  return (target: object, propertyName: string | symbol) => {
    registerDecorator({
      name,
      target: target.constructor,
      propertyName: propertyName as string,
      options,
      validator: { validate, defaultMessage },
    });
  };
}

/** A calendar date `YYYY-MM-DD`, optionally within [min, max] (also `YYYY-MM-DD`, or `today`). */
export function IsDateOnly(
  range: { min?: string; max?: string | 'today' } = {},
  options?: ValidationOptions,
): PropertyDecorator {
  const bound = (value: string | undefined): string | undefined =>
    value === 'today' ? todayUtc() : value;
  return decorator(
    'isDateOnly',
    (value) => {
      if (!isDateOnly(value)) return false;
      const min = bound(range.min);
      const max = bound(range.max);
      return (min === undefined || value >= min) && (max === undefined || value <= max);
    },
    (args) => {
      const limits = [
        range.min ? `not before ${range.min}` : '',
        range.max ? `not after ${range.max}` : '',
      ].filter(Boolean);
      return `${args.property} must be a date (YYYY-MM-DD)${limits.length ? ` ${limits.join(' and ')}` : ''}`;
    },
    options,
  );
}

/** `Z` or a `±hh:mm` offset after the time. */
const WITH_ZONE = /T.*(Z|[+-]\d{2}:\d{2})$/;

/**
 * A strict ISO 8601 date-time with a time zone (`Z` or `±hh:mm`): the one date-time check of
 * query bounds and staff-entered instants. Either failure is reported under its own message.
 */
export function IsZonedDateTime(): PropertyDecorator {
  return (target: object, propertyName: string | symbol) => {
    // In the order stacked decorators apply (bottom first), as the hand-written pairs did.
    Matches(WITH_ZONE, {
      message: `${String(propertyName)} must be a date-time with a time zone`,
    })(target, propertyName);
    IsISO8601({ strict: true })(target, propertyName);
  };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A JSON object whose serialised form is at most `maxBytes` (UTF-8). */
export function IsJsonObject(maxBytes: number, options?: ValidationOptions): PropertyDecorator {
  return decorator(
    'isJsonObject',
    (value) => isPlainObject(value) && Buffer.byteLength(JSON.stringify(value), 'utf8') <= maxBytes,
    (args) => `${args.property} must be a JSON object of at most ${maxBytes} bytes`,
    options,
  );
}

/** A BCP 47 language tag (`en`, `pt-BR`, `zh-Hant-TW`), as the platform's Intl understands it. */
export function IsBcp47(options?: ValidationOptions): PropertyDecorator {
  return decorator(
    'isBcp47',
    (value) => {
      if (typeof value !== 'string' || value.length > 35) return false;
      try {
        return Intl.getCanonicalLocales(value).length === 1;
      } catch {
        return false;
      }
    },
    (args) => `${args.property} must be a BCP 47 language tag`,
    options,
  );
}

/** An IANA time zone (`Europe/Paris`, `UTC`). */
export function IsIanaTimeZone(options?: ValidationOptions): PropertyDecorator {
  return decorator(
    'isIanaTimeZone',
    (value) => {
      if (typeof value !== 'string' || value.length > 64) return false;
      try {
        new Intl.DateTimeFormat('en', { timeZone: value });
        return true;
      } catch {
        return false;
      }
    },
    (args) => `${args.property} must be an IANA time zone`,
    options,
  );
}

export interface RecordRules {
  key: RegExp;
  keyDescription: string;
  valueMaxLength: number;
  value?: RegExp;
  maxEntries: number;
}

/** `{ key: value }` with string values, keys and values checked, entry count bounded. */
export function IsStringRecord(rules: RecordRules, options?: ValidationOptions): PropertyDecorator {
  return decorator(
    'isStringRecord',
    (value) => {
      if (!isPlainObject(value)) return false;
      const entries = Object.entries(value);
      return (
        entries.length <= rules.maxEntries &&
        entries.every(
          ([key, item]) =>
            rules.key.test(key) &&
            typeof item === 'string' &&
            item.length > 0 &&
            item.length <= rules.valueMaxLength &&
            (rules.value === undefined || rules.value.test(item)),
        )
      );
    },
    (args) =>
      `${args.property} must map ${rules.keyDescription} to non-empty strings of at most ` +
      `${rules.valueMaxLength} characters (at most ${rules.maxEntries} entries)`,
    options,
  );
}

/** Upper-cases strings (country and currency codes), leaves anything else for the validators. */
export const toUpperCase = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' ? value.toUpperCase() : value;

/** Trims strings. */
export const trim = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' ? value.trim() : value;
