import { DataSource } from 'typeorm';
import { buildDataSourceOptions } from '#libs/database/data-source-options.js';
import { ALL_ENTITIES } from './entities.js';

/** A DataSource with every entity (and the migration files unless told not to load them). */
export function createScriptDataSource(url: string, withMigrations = true): DataSource {
  return new DataSource(
    buildDataSourceOptions({
      url,
      entities: ALL_ENTITIES,
      withMigrations,
      poolSize: 2,
      applicationName: 'pathavana-script',
    }),
  );
}

/** The SQL that would bring a database in line with the entities (empty when in sync). */
export async function pendingSchemaChanges(
  dataSource: DataSource,
): Promise<{ up: string[]; down: string[] }> {
  const sql = await dataSource.driver.createSchemaBuilder().log();
  return {
    up: sql.upQueries.map((query) => query.query),
    down: sql.downQueries.map((query) => query.query).reverse(),
  };
}
