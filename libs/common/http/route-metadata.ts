import type { ExecutionContext } from '@nestjs/common';
import type { Reflector } from '@nestjs/core';

type Target = object;

/** Per controller class, per handler, per key: what `getAllAndOverride` answered. */
const cache = new WeakMap<Target, WeakMap<Target, Map<string, unknown>>>();

/**
 * Route metadata (`@Public()`, `@Roles()`, `@RateLimit()`…), read method first, then class, like
 * `reflector.getAllAndOverride`. Decorators set it once, when the classes are defined, so each
 * answer is kept per handler: the global guards ask about a dozen keys on every request and the
 * reflect-metadata lookups were a measurable share of a request's CPU (bench/RESULTS.md).
 */
export function routeMetadata<T>(
  reflector: Reflector,
  key: string,
  context: ExecutionContext,
): T | undefined {
  const controller = context.getClass();
  const handler = context.getHandler();
  let byHandler = cache.get(controller);
  if (!byHandler) {
    byHandler = new WeakMap();
    cache.set(controller, byHandler);
  }
  let byKey = byHandler.get(handler);
  if (!byKey) {
    byKey = new Map();
    byHandler.set(handler, byKey);
  }
  if (byKey.has(key)) return byKey.get(key) as T | undefined;
  const value = reflector.getAllAndOverride<T>(key, [handler, controller]);
  byKey.set(key, value);
  return value;
}
