import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { runMigrations } from '#libs/database/migrate.js';
import { databaseUrl, recreateDatabase } from '#libs/database/test-database.js';
import { prepareDatabase } from '../bootstrap.js';
import { loadConfig } from '../config/app-config.js';
import { createScriptDataSource, pendingSchemaChanges } from './data-source.js';

/**
 * `npm run migration:generate -- AddThings`: applies the committed migrations to a scratch
 * database, diffs it against the entities and writes `migrations/<timestamp>-AddThings.ts`.
 * Read the file before committing it.
 */
async function main(): Promise<void> {
  const name = process.argv[2];
  if (!name || !/^[A-Z][A-Za-z0-9]*$/.test(name)) {
    throw new Error('Usage: npm run migration:generate -- PascalCaseName');
  }
  const database = await prepareDatabase(loadConfig());
  const scratch = 'pathavana_migration_test_scratch';
  const adminUrl = databaseUrl(database.config.DATABASE_URL, 'postgres');
  try {
    await recreateDatabase(adminUrl, scratch);
    const scratchUrl = databaseUrl(adminUrl, scratch);
    await runMigrations(scratchUrl);
    const dataSource = createScriptDataSource(scratchUrl);
    await dataSource.initialize();
    const { up, down } = await pendingSchemaChanges(dataSource);
    await dataSource.destroy();
    if (up.length === 0) {
      process.stdout.write('No changes: the migrations already match the entities.\n');
      return;
    }
    const timestamp = Date.now();
    const file = fileURLToPath(
      new URL(`../../../migrations/${timestamp}-${name}.ts`, import.meta.url),
    );
    writeFileSync(file, await formatted(file, render(`${name}${timestamp}`, up, down)));
    process.stdout.write(`Wrote ${file}\n`);
  } finally {
    await database.stop();
  }
}

/** Formats with the project's Prettier settings (a dev dependency: this is a dev command). */
async function formatted(file: string, source: string): Promise<string> {
  const prettier = await import('prettier');
  return prettier.format(source, { ...(await prettier.resolveConfig(file)), filepath: file });
}

const quote = (sql: string): string => `\`${sql.replace(/\\/g, '\\\\').replace(/`/g, '\\`')}\``;

function render(className: string, up: string[], down: string[]): string {
  const lines = (queries: string[]): string =>
    queries.map((query) => `    await queryRunner.query(${quote(query)});`).join('\n');
  return `import type { MigrationInterface, QueryRunner } from 'typeorm';

export class ${className} implements MigrationInterface {
  name = '${className}';

  public async up(queryRunner: QueryRunner): Promise<void> {
${lines(up)}
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
${lines(down)}
  }
}
`;
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
