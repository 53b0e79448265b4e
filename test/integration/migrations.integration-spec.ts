import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  assertTestDatabase,
  createTestDatabase,
  type TestDatabase,
} from '#libs/database/test-database.js';
import { createScriptDataSource, pendingSchemaChanges } from '#src/database/data-source.js';

describe('migrations', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase();
  });

  afterAll(async () => {
    await database.drop();
  });

  it('match the entities exactly (no drift)', async () => {
    // The test database was built by the committed migrations; the entities must need nothing.
    // Entities only: loading the .ts migration files is the template's job (global setup).
    const dataSource = createScriptDataSource(database.url, false);
    await dataSource.initialize();
    try {
      const { up } = await pendingSchemaChanges(dataSource);
      expect(up).toEqual([]);
    } finally {
      await dataSource.destroy();
    }
  });

  it('the harness refuses a database whose name does not mark it as a test database', () => {
    expect(() => assertTestDatabase('postgres://postgres@127.0.0.1:5432/pathavana')).toThrow(
      /Refusing/,
    );
    expect(() => assertTestDatabase('pathavana_test_w1_2_3')).not.toThrow();
  });
});
