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
 * The path of the first string (value or key) holding U+0000, which PostgreSQL text and jsonb
 * cannot store; undefined when there is none. Iterative, like `nestsDeeperThan`.
 */
export function pathOfNulCharacter(value: unknown, root: string): string | undefined {
  const stack: [unknown, string][] = [[value, root]];
  while (stack.length > 0) {
    const [item, path] = stack.pop() as [unknown, string];
    if (typeof item === 'string') {
      if (item.includes('\u0000')) return path;
      continue;
    }
    if (typeof item !== 'object' || item === null) continue;
    for (const [key, child] of Object.entries(item)) {
      const childPath = path ? `${path}.${key}` : key;
      if (key.includes('\u0000')) return childPath;
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
    if (nestsDeeperThan(value, MAX_REQUEST_DEPTH)) {
      const field = metadata.type === 'custom' ? 'value' : (metadata.data ?? metadata.type);
      throw validationProblem({
        [field]: [`must not nest deeper than ${MAX_REQUEST_DEPTH} levels`],
      });
    }
    // Every string of bodies, queries and path parameters: a NUL would reach PostgreSQL and fail
    // there (22021), so refuse it here as the client error it is.
    const nul = pathOfNulCharacter(value, metadata.type === 'body' ? '' : (metadata.data ?? ''));
    if (nul !== undefined) {
      throw validationProblem({ [nul || 'value']: ['must not contain NUL characters'] });
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
