import { fileURLToPath } from 'node:url';
import type { DataSourceOptions, MixedList, EntitySchema } from 'typeorm';
import { SnakeNamingStrategy } from './naming.strategy.js';

/** Compiled (dist) or source migrations, whichever sit next to this file's build. */
export const MIGRATIONS_GLOB = fileURLToPath(new URL('../../migrations/', import.meta.url)).concat(
  '*.{ts,js}',
);

export type EntityList = MixedList<string | (new () => unknown) | EntitySchema>;

export interface DataSourceSettings {
  url: string;
  entities?: EntityList;
  /** Pass `true` to load the migration files (app start-up, CLI); tests leave them out. */
  withMigrations?: boolean;
  poolSize?: number;
  applicationName?: string;
}

/** The one options object shared by the app, the CLI scripts and the tests. */
export function buildDataSourceOptions(settings: DataSourceSettings): DataSourceOptions {
  return {
    type: 'postgres',
    url: settings.url,
    entities: settings.entities ?? [],
    migrations: settings.withMigrations ? [MIGRATIONS_GLOB] : [],
    migrationsTableName: 'typeorm_migrations',
    migrationsTransactionMode: 'each',
    namingStrategy: new SnakeNamingStrategy(),
    uuidExtension: 'pgcrypto',
    synchronize: false,
    migrationsRun: false,
    logging: false,
    extra: {
      max: settings.poolSize ?? 10,
      application_name: settings.applicationName ?? 'pathavana-api',
      // Fail fast instead of queueing forever when the database is unreachable.
      connectionTimeoutMillis: 5000,
    },
  };
}
