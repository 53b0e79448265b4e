import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
// Nest keeps parameter decorators' metadata under these (internal) names; the spec next to this
// file proves the lookup still works, so an upgrade that changes them fails a test, not silently.
import { ROUTE_ARGS_METADATA, RouteParamtypes } from '@nestjs/common/internal';
import type { FastifyRequest } from 'fastify';
import type { FieldErrors } from '../errors/problem.exception.js';
import { validationProblem } from './validation.js';

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** True when one of the handler's parameters is `@Body()` (whole body or one of its fields). */
export function handlerTakesBody(controller: object, handlerName: string): boolean {
  const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, controller, handlerName) ?? {}) as Record<
    string,
    unknown
  >;
  return Object.keys(args).some((key) => key.split(':')[0] === String(RouteParamtypes.BODY));
}

/**
 * The fields a body-less route must refuse, shaped like the validation pipe's
 * `forbidNonWhitelisted` errors; undefined when the body is absent or empty (`{}`, `null`, `""`).
 */
export function unexpectedBodyErrors(body: unknown): FieldErrors | undefined {
  if (body === undefined || body === null || body === '') return undefined;
  if (typeof body === 'object' && !Array.isArray(body) && !Buffer.isBuffer(body)) {
    const keys = Object.keys(body);
    if (keys.length === 0) return undefined;
    return Object.fromEntries(keys.map((key) => [key, [`property ${key} should not exist`]]));
  }
  return { body: ['this route takes no request body'] };
}

/**
 * The global validation pipe only sees declared `@Body()` parameters, so a write route without
 * one would silently ignore `{"roles": ["admin"]}`. This refuses such bodies with the same 400
 * `VALIDATION_FAILED` problem. Registered as the LAST global guard, so 401/403 still come first
 * and the 400 comes before any interceptor or pipe runs (the order it had as a global
 * interceptor). A guard rather than an interceptor: a route with no interceptor at all skips
 * Nest's RxJS pipeline, which was a measurable share of a GET's CPU (bench/RESULTS.md).
 */
@Injectable()
export class BodylessWriteGuard implements CanActivate {
  private readonly takesBody = new WeakMap<object, boolean>();

  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return true;
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    if (!WRITE_METHODS.has(request.method)) return true;
    const handler = context.getHandler();
    let takesBody = this.takesBody.get(handler);
    if (takesBody === undefined) {
      takesBody = handlerTakesBody(context.getClass(), handler.name);
      this.takesBody.set(handler, takesBody);
    }
    if (!takesBody) {
      const errors = unexpectedBodyErrors(request.body);
      if (errors) throw validationProblem(errors);
    }
    return true;
  }
}
