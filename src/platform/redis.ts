import { Redis } from 'ioredis';
import type { AppConfig } from '../config/app-config.js';

export const REDIS_CLIENT = Symbol('REDIS_CLIENT');

/** One Redis connection per instance when REDIS_URL is set; undefined otherwise. */
export function createRedisClient(config: AppConfig): Redis | undefined {
  if (!config.REDIS_URL) return undefined;
  return new Redis(config.REDIS_URL, { maxRetriesPerRequest: 2, enableOfflineQueue: true });
}
