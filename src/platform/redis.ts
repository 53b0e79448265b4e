import { Logger } from '@nestjs/common';
import { Redis } from 'ioredis';
import type { AppConfig } from '../config/app-config.js';

export const REDIS_CLIENT = Symbol('REDIS_CLIENT');

/** One Redis connection per instance when REDIS_URL is set; undefined otherwise. */
export function createRedisClient(config: AppConfig): Redis | undefined {
  if (!config.REDIS_URL) {
    if (config.NODE_ENV === 'production') {
      new Logger('Redis').warn(
        'REDIS_URL is not set: rate limits and login counters are per instance. ' +
          'Run more than one instance only with Redis.',
      );
    }
    return undefined;
  }
  return new Redis(config.REDIS_URL, { maxRetriesPerRequest: 2, enableOfflineQueue: true });
}
