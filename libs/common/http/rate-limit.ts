import { type CanActivate, type ExecutionContext, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import type { Redis } from 'ioredis';
import {
  RateLimiterMemory,
  RateLimiterRedis,
  RateLimiterRes,
  type RateLimiterAbstract,
} from 'rate-limiter-flexible';
import { ProblemException } from '../errors/problem.exception.js';
import { routeMetadata } from './route-metadata.js';

export const RATE_LIMIT_KEY = 'pathavana:rate-limit';

export interface RateLimitPolicy {
  /** Requests allowed per window. */
  points: number;
  /** Window length in seconds. */
  duration: number;
}

/** Use the named policy for this route (default: `default`); `false` switches limiting off. */
export const RateLimit = (policy: string | false): MethodDecorator & ClassDecorator =>
  SetMetadata(RATE_LIMIT_KEY, policy);

/**
 * Named rate limiters over one store: Redis when a client is given (shared by every instance),
 * memory otherwise. Other modules create their own limiters here (e.g. login failures).
 */
export class RateLimiters {
  private readonly limiters = new Map<string, RateLimiterAbstract>();

  constructor(
    private readonly redis: Redis | undefined,
    policies: Record<string, RateLimitPolicy>,
    private readonly keyPrefix = '',
  ) {
    for (const [name, policy] of Object.entries(policies)) this.define(name, policy);
  }

  get shared(): boolean {
    return this.redis !== undefined;
  }

  define(name: string, policy: RateLimitPolicy): RateLimiterAbstract {
    const options = {
      keyPrefix: `${this.keyPrefix}rl:${name}`,
      points: policy.points,
      duration: policy.duration,
    };
    const limiter = this.redis
      ? new RateLimiterRedis({ ...options, storeClient: this.redis })
      : new RateLimiterMemory(options);
    this.limiters.set(name, limiter);
    return limiter;
  }

  get(name: string): RateLimiterAbstract {
    const limiter = this.limiters.get(name);
    if (!limiter) throw new Error(`No rate limit policy "${name}"`);
    return limiter;
  }

  /** Spends one point; throws 429 RATE_LIMITED with Retry-After when none is left. */
  async consume(name: string, key: string): Promise<void> {
    try {
      await this.get(name).consume(key);
    } catch (rejection) {
      if (rejection instanceof RateLimiterRes) {
        throw tooManyRequests(
          'RATE_LIMITED',
          'Too many requests; slow down.',
          rejection.msBeforeNext,
        );
      }
      throw rejection;
    }
  }
}

export function tooManyRequests(
  code: string,
  detail: string,
  msBeforeNext: number,
): ProblemException {
  const seconds = Math.max(1, Math.ceil(msBeforeNext / 1000));
  return new ProblemException(429, code, detail, {
    retryAfterSeconds: seconds,
    headers: { 'Retry-After': String(seconds) },
  });
}

/** Global guard: every route spends a point of its policy, keyed by client address. */
@Injectable()
export class RateLimitGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly limiters: RateLimiters,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const policy = routeMetadata<string | false>(this.reflector, RATE_LIMIT_KEY, context);
    if (policy === false) return true;
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    await this.limiters.consume(policy ?? 'default', request.ip);
    return true;
  }
}
