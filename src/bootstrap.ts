import { join } from 'node:path';
import { NestFactory } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { ensureDatabase, startEmbeddedPostgres } from '#libs/database/embedded-postgres.js';
import { AppModule, type AppModuleOptions } from './app.module.js';
import { createFastifyAdapter, setupApp } from './app.setup.js';
import type { AppConfig } from './config/app-config.js';

export const EMBEDDED_DATABASE_NAME = 'pathavana';

export interface PreparedDatabase {
  /** The config with `DATABASE_URL` resolved. */
  config: AppConfig & { DATABASE_URL: string };
  /** Stops the embedded server if we started one. */
  stop(): Promise<void>;
}

/** Uses `DATABASE_URL`, or starts the embedded PostgreSQL under `VAR_DIR/pg` when it is unset. */
export async function prepareDatabase(
  config: AppConfig,
  log: (message: string) => void = () => undefined,
): Promise<PreparedDatabase> {
  if (config.DATABASE_URL) {
    return {
      config: { ...config, DATABASE_URL: config.DATABASE_URL },
      stop: async () => undefined,
    };
  }
  const embedded = await startEmbeddedPostgres({
    dataDir: join(config.VAR_DIR, 'pg'),
    port: config.EMBEDDED_PG_PORT,
    log,
  });
  await ensureDatabase(embedded.adminUrl, EMBEDDED_DATABASE_NAME);
  log(`using embedded PostgreSQL on 127.0.0.1:${config.EMBEDDED_PG_PORT}`);
  return {
    config: { ...config, DATABASE_URL: embedded.urlFor(EMBEDDED_DATABASE_NAME) },
    stop: () => embedded.stop(),
  };
}

/** The fully set-up application (not yet listening). */
export async function createApp(
  config: AppConfig,
  options: AppModuleOptions = {},
): Promise<NestFastifyApplication> {
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.forRoot(config, options),
    createFastifyAdapter(config),
    { bufferLogs: true },
  );
  await setupApp(app, config);
  return app;
}
