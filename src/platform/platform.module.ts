import { Global, Inject, Injectable, Module, type OnApplicationShutdown } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { BlindIndexer, FieldCipher } from '#libs/common/crypto/field-cipher.js';
import { RateLimiters } from '#libs/common/http/rate-limit.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { dataMasterKeys } from '../config/key-rings.js';
import { DiscoveryModule } from '@nestjs/core';
import { TerminusModule } from '@nestjs/terminus';
import { KeyRotationService, KeysRotateCommand } from './key-rotation.js';
import { HealthController } from './health.controller.js';
import { MetaController } from './meta.controller.js';
import { createRedisClient, REDIS_CLIENT } from './redis.js';
import { ScheduledJobs } from '#libs/common/scheduling/scheduled-jobs.js';
import { ShutdownState } from './shutdown-state.js';

/** Closes the Redis connection on shutdown. */
@Injectable()
class RedisLifecycle implements OnApplicationShutdown {
  constructor(@Inject(REDIS_CLIENT) private readonly redis: Redis | undefined) {}

  async onApplicationShutdown(): Promise<void> {
    await this.redis?.quit().catch(() => undefined);
  }
}

/** Health, the enum/model registry, and what every module may inject: Redis, rate limiters, field encryption. */
@Global()
@Module({
  imports: [TerminusModule.forRoot({ logger: false, errorLogStyle: 'json' }), DiscoveryModule],
  controllers: [HealthController, MetaController],
  providers: [
    ShutdownState,
    { provide: REDIS_CLIENT, inject: [APP_CONFIG], useFactory: createRedisClient },
    {
      provide: RateLimiters,
      inject: [APP_CONFIG, REDIS_CLIENT],
      useFactory: (config: AppConfig, redis: Redis | undefined) =>
        new RateLimiters(
          redis,
          {
            default: { points: config.THROTTLE_LIMIT, duration: config.THROTTLE_TTL_SECONDS },
            auth: { points: config.AUTH_THROTTLE_LIMIT, duration: config.THROTTLE_TTL_SECONDS },
            expensive: {
              points: config.EXPENSIVE_THROTTLE_LIMIT,
              duration: config.THROTTLE_TTL_SECONDS,
            },
          },
          config.REDIS_KEY_PREFIX,
        ),
    },
    {
      provide: FieldCipher,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) =>
        FieldCipher.fromMasterKeys(dataMasterKeys(config.DATA_KEY_RING)),
    },
    {
      provide: BlindIndexer,
      inject: [APP_CONFIG],
      // Its own stable key (defaults to the single DATA_ENCRYPTION_KEY): rotating the data keys
      // leaves every stored digest valid, so duplicate detection works across a rotation.
      useFactory: (config: AppConfig) => BlindIndexer.fromBase64(config.BLIND_INDEX_KEY),
    },
    RedisLifecycle,
    ScheduledJobs,
    KeyRotationService,
    KeysRotateCommand,
  ],
  exports: [
    REDIS_CLIENT,
    RateLimiters,
    FieldCipher,
    BlindIndexer,
    ScheduledJobs,
    KeyRotationService,
  ],
})
export class PlatformModule {}
