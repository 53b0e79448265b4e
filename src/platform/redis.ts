import { Logger } from '@nestjs/common';
import type { Redis } from 'ioredis';
import type { AppConfig } from '../config/app-config.js';

export const REDIS_CLIENT = Symbol('REDIS_CLIENT');

/**
 * One Redis connection per instance when REDIS_URL is set; undefined otherwise (ioredis is then
 * never loaded: it was ~1 % of start-up).
 */
export async function createRedisClient(config: AppConfig): Promise<Redis | undefined> {
  if (!config.REDIS_URL) {
    if (config.NODE_ENV === 'production') {
      new Logger('Redis').warn(
        'REDIS_URL is not set: rate limits and login counters are per instance. ' +
          'Run more than one instance only with Redis.',
      );
    }
    return undefined;
  }
  const { Redis } = await import('ioredis');
  return new Redis(config.REDIS_URL, { maxRetriesPerRequest: 2, enableOfflineQueue: true });
}
