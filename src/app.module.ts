import { type DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_PIPE } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { LoggerModule } from 'nestjs-pino';
import {
  ConsentGuard,
  JwtAuthGuard,
  RecentAuthGuard,
  RolesGuard,
  StaffMfaGuard,
  STEP_UP_MAX_AGE,
  VerifiedEmailGuard,
} from '#libs/common/auth/guards.js';
import { ProblemDetailsFilter } from '#libs/common/errors/problem-details.filter.js';
import { BodylessWriteGuard } from '#libs/common/http/bodyless-write.guard.js';
import { RateLimitGuard } from '#libs/common/http/rate-limit.js';
import { createValidationPipe } from '#libs/common/http/validation.js';
import { buildDataSourceOptions } from '#libs/database/data-source-options.js';
import type { AppConfig } from './config/app-config.js';
import { ConfigModule } from './config/config.module.js';
import { ALL_ENTITIES } from './database/entities.js';
import { FEATURE_MODULES } from './feature-modules.js';
import { loggerParams } from './platform/logging.js';
import { PlatformModule } from './platform/platform.module.js';

export interface AppModuleOptions {
  /** Build the module graph without connecting (OpenAPI generation). */
  withoutDatabase?: boolean;
}

@Module({})
export class AppModule {
  /** The whole application for one validated config; `DATABASE_URL` must be resolved by now. */
  static forRoot(config: AppConfig, options: AppModuleOptions = {}): DynamicModule {
    if (!config.DATABASE_URL) throw new Error('AppModule needs a resolved DATABASE_URL');
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggerModule.forRoot(loggerParams(config)),
        TypeOrmModule.forRoot({
          ...buildDataSourceOptions({
            url: config.DATABASE_URL,
            replicaUrls: config.DATABASE_REPLICA_URLS?.split(','),
            entities: ALL_ENTITIES,
            poolSize: config.DATABASE_POOL_SIZE,
          }),
          // Fail fast at boot instead of retrying for minutes.
          retryAttempts: 0,
          manualInitialization: options.withoutDatabase === true,
        }),
        PlatformModule,
        ...FEATURE_MODULES,
      ],
      providers: [
        { provide: APP_FILTER, useClass: ProblemDetailsFilter },
        { provide: APP_PIPE, useFactory: createValidationPipe },
        { provide: STEP_UP_MAX_AGE, useValue: config.STEP_UP_MAX_AGE_SECONDS },
        // Order matters: throttle → bearer token → roles → staff second factor → recent sign-in
        // → verified email → consent → (write routes without a @Body()) no body, a 400 like the
        // validation pipe's for unknown fields, after every 401/403.
        { provide: APP_GUARD, useClass: RateLimitGuard },
        { provide: APP_GUARD, useClass: JwtAuthGuard },
        { provide: APP_GUARD, useClass: RolesGuard },
        { provide: APP_GUARD, useClass: StaffMfaGuard },
        { provide: APP_GUARD, useClass: RecentAuthGuard },
        { provide: APP_GUARD, useClass: VerifiedEmailGuard },
        { provide: APP_GUARD, useClass: ConsentGuard },
        { provide: APP_GUARD, useClass: BodylessWriteGuard },
      ],
    };
  }
}
