import { Ajv, type ErrorObject, type SchemaObject, type ValidateFunction } from 'ajv';
import { isISO4217CurrencyCode } from 'class-validator';
import type { FieldErrors } from '#libs/common/errors/problem.exception.js';
import { validationProblem } from '#libs/common/http/validation.js';
import { isCalendarDate } from '#libs/common/time/calendar-date.js';
import { isJsonObject, type JsonObject, type JsonValue } from './json-merge-patch.js';
import { SESSION_LIMITS as L } from './session-limits.js';
import { MESSAGE_ROLES, SAVED_ITEM_TYPES } from './session-status.js';

/*
 * JSON Schemas for the JSONB documents of a session. Why ajv and not class-validator: these
 * are plain JSON documents validated AFTER a merge patch is applied (the patch itself holds
 * nulls and partial objects), several parts are deliberately open (AI output, UI state,
 * provider snapshots), and ajv compiles each schema once to a fast function that reports
 * JSON-pointer paths we turn into field errors. ajv 8 is already in the tree (Fastify
 * validates with it), so it adds no new code to the install.
 */

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?(Z|[+-]\d{2}:\d{2})$/;

const ajv = new Ajv({ allErrors: true, strict: true, strictTypes: true, coerceTypes: false });
ajv.addFormat('uuid', UUID);
ajv.addFormat('date', { type: 'string', validate: isCalendarDate });
ajv.addFormat('date-time', {
  type: 'string',
  validate: (value: string) => DATE_TIME.test(value) && !Number.isNaN(Date.parse(value)),
});
ajv.addFormat('currency', {
  type: 'string',
  validate: (value: string) => isISO4217CurrencyCode(value),
});

const text = (maxLength: number): SchemaObject => ({ type: 'string', maxLength });
const nonEmptyText = (maxLength: number): SchemaObject => ({
  type: 'string',
  minLength: 1,
  maxLength,
});
const openObject: SchemaObject = { type: 'object' };
const date: SchemaObject = { type: 'string', format: 'date' };
const count = (maximum: number): SchemaObject => ({ type: 'integer', minimum: 0, maximum });

export const MONEY_SCHEMA: SchemaObject = {
  type: 'object',
  additionalProperties: false,
  required: ['amountMinor', 'currency'],
  properties: {
    amountMinor: {
      type: 'integer',
      minimum: -Number.MAX_SAFE_INTEGER,
      maximum: Number.MAX_SAFE_INTEGER,
    },
    currency: { type: 'string', pattern: '^[A-Z]{3}$', format: 'currency' },
  },
};

const TRAVELERS: SchemaObject = {
  type: 'object',
  additionalProperties: false,
  properties: { adults: count(99), children: count(99), infants: count(99) },
};

export const CHAT_MESSAGE_SCHEMA: SchemaObject = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'seq', 'role', 'content', 'createdAt'],
  properties: {
    id: { type: 'string', format: 'uuid' },
    seq: { type: 'integer', minimum: 1 },
    role: { type: 'string', enum: [...MESSAGE_ROLES] },
    content: nonEmptyText(L.messageContentMaxChars),
    metadata: openObject,
    createdAt: { type: 'string', format: 'date-time' },
  },
};

const resultList: SchemaObject = {
  type: 'array',
  maxItems: L.searchResultsPerTypeMax,
  items: openObject,
};

export const SESSION_DATA_SCHEMA: SchemaObject = {
  type: 'object',
  additionalProperties: false,
  properties: {
    chatMessages: { type: 'array', maxItems: L.maxChatMessages, items: CHAT_MESSAGE_SCHEMA },
    parsedIntent: {
      type: 'object',
      properties: {
        destination: text(200),
        departureCity: text(200),
        departureDate: date,
        returnDate: date,
        timeframe: text(200),
        travelers: TRAVELERS,
        budget: {
          type: 'object',
          additionalProperties: false,
          properties: { min: MONEY_SCHEMA, max: MONEY_SCHEMA },
        },
        confidence: { type: 'number', minimum: 0, maximum: 1 },
        preferences: openObject,
      },
    },
    searchResults: {
      type: 'object',
      additionalProperties: false,
      properties: { flights: resultList, hotels: resultList, activities: resultList },
    },
    uiState: {
      type: 'object',
      properties: {
        currentStep: text(100),
        expandedPanels: { type: 'array', maxItems: 50, items: text(100) },
        filters: openObject,
      },
    },
  },
};

const ITINERARY_ITEM: SchemaObject = {
  type: 'object',
  additionalProperties: false,
  required: ['title'],
  properties: {
    type: { type: 'string', enum: [...SAVED_ITEM_TYPES] },
    time: { type: 'string', pattern: '^([01]\\d|2[0-3]):[0-5]\\d$' },
    title: nonEmptyText(200),
    savedItemId: { type: 'string', format: 'uuid' },
    cost: MONEY_SCHEMA,
    details: openObject,
  },
};

export const PLAN_DATA_SCHEMA: SchemaObject = {
  type: 'object',
  additionalProperties: false,
  properties: {
    title: text(200),
    destinationCity: text(100),
    destinationCountry: text(100),
    departureCity: text(100),
    destinations: { type: 'array', maxItems: 20, items: text(100) },
    startDate: date,
    endDate: date,
    travelers: TRAVELERS,
    totalBudget: MONEY_SCHEMA,
    itinerary: {
      type: 'array',
      maxItems: L.itineraryDaysMax,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['day'],
        properties: {
          day: { type: 'integer', minimum: 1, maximum: 366 },
          date,
          title: text(200),
          items: { type: 'array', maxItems: L.itineraryItemsPerDayMax, items: ITINERARY_ITEM },
        },
      },
    },
    preferences: openObject,
    notes: text(5000),
  },
};

export const SESSION_METADATA_SCHEMA: SchemaObject = {
  type: 'object',
  properties: { source: text(50), clientVersion: text(50) },
};

/** Each schema compiled on its first use: compiling all four at import was ~2 % of start-up. */
const compiled = new Map<SchemaObject, ValidateFunction>();
function validatorFor(schema: SchemaObject): ValidateFunction {
  let validate = compiled.get(schema);
  if (!validate) {
    validate = ajv.compile(schema);
    compiled.set(schema, validate);
  }
  return validate;
}

export interface DocumentLimits {
  maxBytes: number;
  maxDepth: number;
}

/**
 * Size, depth and content checks every JSONB document passes before its schema: bounded
 * work (the walk stops below `maxDepth`), and no NUL characters (PostgreSQL's jsonb cannot
 * store U+0000 and would answer with an error instead of a 400).
 */
export function checkDocumentLimits(
  value: unknown,
  path: string,
  limits: DocumentLimits,
): FieldErrors {
  const errors: FieldErrors = {};
  const add = (field: string, message: string): void => {
    (errors[field] ??= []).push(message);
  };
  const stack: { value: unknown; depth: number; path: string }[] = [{ value, depth: 1, path }];
  let nulReported = false;
  while (stack.length > 0) {
    const item = stack.pop() as { value: unknown; depth: number; path: string };
    if (typeof item.value === 'string') {
      if (!nulReported && item.value.includes('\u0000')) {
        add(item.path, 'must not contain NUL (U+0000) characters');
        nulReported = true;
      }
      continue;
    }
    if (typeof item.value !== 'object' || item.value === null) continue;
    if (item.depth > limits.maxDepth) {
      add(path, `must not nest deeper than ${limits.maxDepth} levels`);
      return errors;
    }
    const entries = Array.isArray(item.value)
      ? item.value.map((child, index) => [String(index), child] as const)
      : Object.entries(item.value);
    for (const [key, child] of entries) {
      if (!nulReported && key.includes('\u0000')) {
        add(item.path, 'keys must not contain NUL (U+0000) characters');
        nulReported = true;
      }
      stack.push({ value: child, depth: item.depth + 1, path: `${item.path}.${key}` });
    }
  }
  // Only now (depth is bounded) is stringifying safe from stack exhaustion.
  const bytes = Buffer.byteLength(JSON.stringify(value) ?? '', 'utf8');
  if (bytes > limits.maxBytes) {
    return { [path]: [`must be at most ${limits.maxBytes} bytes of JSON (was ${bytes})`] };
  }
  return errors;
}

function pointerToPath(prefix: string, pointer: string): string {
  if (!pointer) return prefix;
  const parts = pointer
    .slice(1)
    .split('/')
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'));
  return [prefix, ...parts].join('.');
}

export function ajvErrorsToFields(prefix: string, errors: readonly ErrorObject[]): FieldErrors {
  const result: FieldErrors = {};
  for (const error of errors) {
    let field = pointerToPath(prefix, error.instancePath);
    let message = error.message ?? 'is invalid';
    if (error.keyword === 'required') {
      field = `${field}.${(error.params as { missingProperty: string }).missingProperty}`;
      message = 'is required';
    } else if (error.keyword === 'additionalProperties') {
      field = `${field}.${(error.params as { additionalProperty: string }).additionalProperty}`;
      message = 'is not an allowed property';
    } else if (error.keyword === 'enum') {
      message = `must be one of: ${(error.params as { allowedValues: unknown[] }).allowedValues.join(', ')}`;
    }
    const messages = (result[field] ??= []);
    if (!messages.includes(message)) messages.push(message);
  }
  return result;
}

function run(
  validate: ValidateFunction,
  value: unknown,
  path: string,
  limits: DocumentLimits,
): FieldErrors {
  const limitErrors = checkDocumentLimits(value, path, limits);
  if (Object.keys(limitErrors).length > 0) return limitErrors;
  if (validate(value)) return {};
  return ajvErrorsToFields(path, validate.errors ?? []);
}

export function validateSessionData(value: unknown, path = 'sessionData'): FieldErrors {
  return run(validatorFor(SESSION_DATA_SCHEMA), value, path, {
    maxBytes: L.sessionDataMaxBytes,
    maxDepth: L.maxDepth,
  });
}

export function validatePlanData(value: unknown, path = 'planData'): FieldErrors {
  const errors = run(validatorFor(PLAN_DATA_SCHEMA), value, path, {
    maxBytes: L.planDataMaxBytes,
    maxDepth: L.maxDepth,
  });
  if (Object.keys(errors).length === 0 && isJsonObject(value)) {
    const { startDate, endDate } = value;
    if (typeof startDate === 'string' && typeof endDate === 'string' && endDate < startDate) {
      errors[`${path}.endDate`] = ['must not be before startDate'];
    }
  }
  return errors;
}

export function validateSessionMetadata(value: unknown, path = 'sessionMetadata'): FieldErrors {
  return run(validatorFor(SESSION_METADATA_SCHEMA), value, path, {
    maxBytes: L.sessionMetadataMaxBytes,
    maxDepth: L.maxDepth,
  });
}

export function validateMessageMetadata(value: unknown, path = 'metadata'): FieldErrors {
  return run(validatorFor(openObject), value, path, {
    maxBytes: L.messageMetadataMaxBytes,
    maxDepth: L.maxDepth - 3,
  });
}

export function validateSavedItemData(value: unknown, path = 'data'): FieldErrors {
  return run(validatorFor(openObject), value, path, {
    maxBytes: L.savedItemDataMaxBytes,
    maxDepth: L.maxDepth,
  });
}

/** Throws 400 VALIDATION_FAILED when any field has errors. */
export function assertNoFieldErrors(...groups: FieldErrors[]): void {
  const errors: FieldErrors = Object.assign({}, ...groups) as FieldErrors;
  if (Object.keys(errors).length > 0) throw validationProblem(errors);
}

/**
 * `?planContains=<json>`: a JSON object (JSONB containment needs one), small and shallow.
 * Anything else is a 400 on `planContains`, never a database error.
 */
export function parsePlanContains(raw: string): JsonObject {
  const fail = (message: string): never => {
    throw validationProblem({ planContains: [message] });
  };
  if (Buffer.byteLength(raw, 'utf8') > L.planContainsMaxBytes) {
    fail(`must be at most ${L.planContainsMaxBytes} bytes`);
  }
  let parsed: JsonValue;
  try {
    parsed = JSON.parse(raw) as JsonValue;
  } catch {
    return fail('must be valid JSON');
  }
  if (!isJsonObject(parsed)) return fail('must be a JSON object');
  const errors = checkDocumentLimits(parsed, 'planContains', {
    maxBytes: L.planContainsMaxBytes,
    maxDepth: L.planContainsMaxDepth,
  });
  if (Object.keys(errors).length > 0) throw validationProblem(errors);
  return parsed;
}
