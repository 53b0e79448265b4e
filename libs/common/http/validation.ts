import { type ArgumentMetadata, ValidationPipe, type ValidationError } from '@nestjs/common';
import { ProblemException, type FieldErrors } from '../errors/problem.exception.js';

/** Flattens class-validator's error tree into `{ 'consents.0.purpose': ['…'] }`. */
export function flattenValidationErrors(errors: ValidationError[], parent = ''): FieldErrors {
  const result: FieldErrors = {};
  for (const error of errors) {
    const path = parent ? `${parent}.${error.property}` : error.property;
    if (error.constraints) {
      result[path] = Object.values(error.constraints);
    }
    if (error.children && error.children.length > 0) {
      Object.assign(result, flattenValidationErrors(error.children, path));
    }
  }
  return result;
}

export function validationProblem(errors: FieldErrors): ProblemException {
  const fields = Object.keys(errors);
  return new ProblemException(
    400,
    'VALIDATION_FAILED',
    `The request is invalid: ${fields.slice(0, 5).join(', ')}${fields.length > 5 ? ', …' : ''}.`,
    { errors },
  );
}

/** Deepest JSON nesting any request body may have (DTOs and JSONB documents need far less). */
export const MAX_REQUEST_DEPTH = 32;

/** True when `value` nests deeper than `maxDepth` containers; iterative, stops early. */
export function nestsDeeperThan(value: unknown, maxDepth: number): boolean {
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length > 0) {
    const [item, depth] = stack.pop() as [unknown, number];
    if (typeof item !== 'object' || item === null) continue;
    if (depth > maxDepth) return true;
    for (const child of Array.isArray(item) ? item : Object.values(item)) {
      if (typeof child === 'object' && child !== null) stack.push([child, depth + 1]);
    }
  }
  return false;
}

/**
 * Text no field may hold: U+0000 (PostgreSQL text and jsonb cannot store it) and lone UTF-16
 * surrogates (`"\ud800"` is valid JSON but not Unicode text: validators that encode it throw,
 * and the database would silently store U+FFFD instead).
 */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const isUnstorable = (text: string): boolean =>
  text.includes('\u0000') || LONE_SURROGATE.test(text);

/**
 * The path of the first string (value or key) holding unstorable text (see above); undefined
 * when there is none. Iterative, like `nestsDeeperThan`.
 */
export function pathOfUnstorableText(value: unknown, root: string): string | undefined {
  const stack: [unknown, string][] = [[value, root]];
  while (stack.length > 0) {
    const [item, path] = stack.pop() as [unknown, string];
    if (typeof item === 'string') {
      if (isUnstorable(item)) return path;
      continue;
    }
    if (typeof item !== 'object' || item === null) continue;
    for (const [key, child] of Object.entries(item)) {
      const childPath = path ? `${path}.${key}` : key;
      if (isUnstorable(key)) return childPath;
      stack.push([child, childPath]);
    }
  }
  return undefined;
}

/**
 * class-transformer walks a payload recursively, so a deeply nested body (a 1 MiB body can
 * nest ~500k levels) would exhaust the stack and surface as a 500. Refuse it first, as a 400.
 */
export class BoundedValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    // A custom parameter decorator's value is built by the server (the only one, @CurrentUser(),
    // from the verified token and the database row), not read from the request, and the
    // ValidationPipe does not validate it either: walking it on every authenticated request
    // bought nothing (bench/RESULTS.md, issue 22 item 1).
    if (metadata.type === 'custom') return super.transform(value, metadata);
    if (nestsDeeperThan(value, MAX_REQUEST_DEPTH)) {
      const field = metadata.data ?? metadata.type;
      throw validationProblem({
        [field]: [`must not nest deeper than ${MAX_REQUEST_DEPTH} levels`],
      });
    }
    // Every string of bodies, queries and path parameters: a NUL would fail in PostgreSQL (22021)
    // and a lone surrogate in validators (URIError), both as 500s. Refuse them as client errors.
    const bad = pathOfUnstorableText(value, metadata.type === 'body' ? '' : (metadata.data ?? ''));
    if (bad !== undefined) {
      throw validationProblem({
        [bad || 'value']: ['must be valid Unicode text without NUL characters'],
      });
    }
    return super.transform(value, metadata);
  }
}

/** The one global pipe: unknown fields are refused, payloads become DTO instances. */
export function createValidationPipe(): ValidationPipe {
  return new BoundedValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => validationProblem(flattenValidationErrors(errors)),
  });
}
