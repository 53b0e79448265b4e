import { createHash } from 'node:crypto';
import pg from 'pg';

/**
 * Test databases: migrations run once into a template; each test file gets its own copy
 * (`CREATE DATABASE … TEMPLATE …`), so files are isolated and run in parallel. Every name
 * says "test", and the harness refuses any database whose name does not.
 */
export const TEST_ADMIN_URL_ENV = 'PATHAVANA_TEST_ADMIN_URL';
export const TEST_TEMPLATE_ENV = 'PATHAVANA_TEST_TEMPLATE';

/** One template per checkout, so two work trees on one server never collide. */
export function templateNameFor(projectDir: string): string {
  const hash = createHash('sha256').update(projectDir).digest('hex').slice(0, 10);
  return `pathavana_test_tpl_${hash}`;
}

export function databaseUrl(adminUrl: string, database: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

export function assertTestDatabase(urlOrName: string): void {
  const name = urlOrName.includes('://') ? new URL(urlOrName).pathname.slice(1) : urlOrName;
  if (!/(^|_)test(_|$)/.test(name)) {
    throw new Error(
      `Refusing to use database "${name}" for tests: its name must contain "_test_".`,
    );
  }
}

async function withAdmin<T>(adminUrl: string, run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

export async function recreateDatabase(adminUrl: string, database: string): Promise<void> {
  assertTestDatabase(database);
  await withAdmin(adminUrl, async (client) => {
    await client.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(database)} WITH (FORCE)`);
    await client.query(`CREATE DATABASE ${pg.escapeIdentifier(database)}`);
  });
}

export interface TestDatabase {
  readonly name: string;
  readonly url: string;
  drop(): Promise<void>;
}

let counter = 0;

/** A fresh database copied from the migrated template, for one test file. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const adminUrl = process.env[TEST_ADMIN_URL_ENV];
  const template = process.env[TEST_TEMPLATE_ENV];
  if (!adminUrl || !template) {
    throw new Error('The e2e global setup did not run (no test database server is known).');
  }
  counter += 1;
  const name = `pathavana_test_w${process.env.JEST_WORKER_ID ?? '0'}_${process.pid}_${counter}`;
  assertTestDatabase(name);
  await withAdmin(adminUrl, async (client) => {
    await client.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)} WITH (FORCE)`);
    for (let attempt = 1; ; attempt += 1) {
      try {
        await client.query(
          `CREATE DATABASE ${pg.escapeIdentifier(name)} TEMPLATE ${pg.escapeIdentifier(template)}`,
        );
        return;
      } catch (error) {
        // 55006: the template is briefly in use by a concurrent CREATE DATABASE.
        if ((error as { code?: string }).code !== '55006' || attempt >= 20) throw error;
        await new Promise((resolve) => setTimeout(resolve, 50 * attempt));
      }
    }
  });
  return {
    name,
    url: databaseUrl(adminUrl, name),
    drop: () =>
      withAdmin(adminUrl, async (client) => {
        await client.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)} WITH (FORCE)`);
      }),
  };
}
