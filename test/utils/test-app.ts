import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import type { Type } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test, type TestingModuleBuilder } from '@nestjs/testing';
import supertest from 'supertest';
import { DataSource } from 'typeorm';
import { createTestDatabase, type TestDatabase } from '#libs/database/test-database.js';
import { AppModule } from '#src/app.module.js';
import { createFastifyAdapter, setupApp } from '#src/app.setup.js';
import { type AppConfig, loadConfig } from '#config/app-config.js';

export interface TestApp {
  app: NestFastifyApplication;
  config: AppConfig;
  database: TestDatabase;
  dataSource: DataSource;
  /** Directory where mail is written as .eml files. */
  mailOutbox: string;
  http(): ReturnType<typeof supertest>;
  close(): Promise<void>;
}

export interface TestAppOptions {
  /** Extra environment values (strings, as in a real environment). */
  env?: Record<string, string>;
  /** Share another app's database (several instances of one deployment). */
  database?: TestDatabase;
  /** Extra modules (test-only routes). */
  imports?: Type[];
  /** Override providers before compiling. */
  customize?: (builder: TestingModuleBuilder) => TestingModuleBuilder;
}

/** The real app (same module graph and setupApp as main.ts) on its own copy of the test database. */
export async function createTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const database = options.database ?? (await createTestDatabase());
  const ownsDatabase = options.database === undefined;
  try {
    const scratch = mkdtempSync(join(process.env.PATHAVANA_TEST_TMP ?? '/tmp', 'app-'));
    const mailOutbox = join(scratch, 'mail');
    const config = loadConfig({
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      VAR_DIR: scratch,
      MAIL_OUTBOX_DIR: mailOutbox,
      THROTTLE_LIMIT: '100000',
      AUTH_THROTTLE_LIMIT: '100000',
      EXPENSIVE_THROTTLE_LIMIT: '100000',
      // The status sync would write scheduled_job_runs rows while the security suites check that
      // refused requests write nothing; tests run the job themselves (or set it in `env`).
      BOOKING_STATUS_SYNC_SECONDS: '0',
      ...options.env,
      DATABASE_URL: database.url,
    });
    const builder = Test.createTestingModule({
      imports: [AppModule.forRoot(config), ...(options.imports ?? [])],
    });
    const moduleRef = await (options.customize ? options.customize(builder) : builder).compile();
    const app = moduleRef.createNestApplication<NestFastifyApplication>(
      createFastifyAdapter(config),
      {
        bufferLogs: true,
      },
    );
    await setupApp(app, config);
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
    return {
      app,
      config,
      database,
      dataSource: app.get(DataSource),
      mailOutbox,
      http: () => supertest(app.getHttpServer()),
      close: async () => {
        await app.close();
        if (ownsDatabase) await database.drop();
      },
    };
  } catch (error) {
    // A config or boot failure must not leave its copy of the template behind.
    if (ownsDatabase) await database.drop();
    throw error;
  }
}
