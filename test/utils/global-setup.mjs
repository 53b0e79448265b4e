// Runs once before the integration and e2e tiers (loaded by Node directly, hence .mjs): finds a PostgreSQL
// (DATABASE_URL, else an embedded server under var/pg-test), migrates a template database
// with the real migrations, and tells the workers where it is through the environment.
import { chmodSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { register } from 'tsx/esm/api';

export default async function globalSetup() {
  const unregister = register();
  try {
    const db = await import('../../libs/database/test-database.ts');
    const { runMigrations } = await import('../../libs/database/migrate.ts');
    let adminUrl = process.env.DATABASE_URL;
    if (!adminUrl) {
      const { startEmbeddedPostgres } = await import('../../libs/database/embedded-postgres.ts');
      const embedded = await startEmbeddedPostgres({
        dataDir: join(process.cwd(), 'var', 'pg-test'),
        port: Number(process.env.TEST_EMBEDDED_PG_PORT ?? 54330),
        log: (message) => process.stderr.write(`${message}\n`),
      });
      globalThis.__pathavanaEmbedded = embedded;
      adminUrl = embedded.adminUrl;
    }
    const template = db.templateNameFor(process.cwd());
    await db.recreateDatabase(adminUrl, template);
    await runMigrations(db.databaseUrl(adminUrl, template));
    process.env[db.TEST_ADMIN_URL_ENV] = adminUrl;
    process.env[db.TEST_TEMPLATE_ENV] = template;
    const scratch = mkdtempSync(join(tmpdir(), 'pathavana-test-'));
    // The embedded server runs as the postgres OS user when we are root: let it in.
    chmodSync(scratch, 0o755);
    process.env.PATHAVANA_TEST_TMP = scratch;
  } finally {
    unregister();
  }
}
