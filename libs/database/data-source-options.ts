import { fileURLToPath } from 'node:url';
import type { DataSourceOptions, MixedList, EntitySchema } from 'typeorm';
import { ResilientClient } from './resilient-client.js';
import { SnakeNamingStrategy } from './naming.strategy.js';

/** Compiled (dist) or source migrations, whichever sit next to this file's build. */
export const MIGRATIONS_GLOB = fileURLToPath(new URL('../../migrations/', import.meta.url)).concat(
  '*.{ts,js}',
);

export type EntityList = MixedList<string | (new () => unknown) | EntitySchema>;

export interface DataSourceSettings {
  url: string;
  /** Read replicas; only queries that explicitly ask for a replica ('slave' mode) go there. */
  replicaUrls?: readonly string[];
  entities?: EntityList;
  /** Pass `true` to load the migration files (app start-up, CLI); tests leave them out. */
  withMigrations?: boolean;
  poolSize?: number;
  applicationName?: string;
}

/** The one options object shared by the app, the CLI scripts and the tests. */
export function buildDataSourceOptions(settings: DataSourceSettings): DataSourceOptions {
  const replicas = settings.replicaUrls?.filter(Boolean) ?? [];
  const connection =
    replicas.length > 0
      ? {
          replication: {
            master: { url: settings.url },
            slaves: replicas.map((url) => ({ url })),
            // Read-your-writes by default: code opts in to a replica per query.
            defaultMode: 'master' as const,
          },
        }
      : { url: settings.url };
  return {
    type: 'postgres',
    ...connection,
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
      // Checked-out clients keep an error listener (a dead backend must not crash the process).
      Client: ResilientClient,
    },
  };
}
