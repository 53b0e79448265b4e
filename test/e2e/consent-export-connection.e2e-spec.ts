import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { createTestDatabase, type TestDatabase } from '#libs/database/test-database.js';
import { createStaff, type TestUser } from '../factories/users.js';
import { createTestApp, type TestApp } from '../utils/test-app.js';
import { API_PREFIX } from '#libs/common/http/api-prefix.js';

const API = API_PREFIX;
const EXPORT_ONLY_SUBJECT = '00000000-0000-4000-8000-00000000e59a';

/**
 * CONSENT_EXPORT_DATABASE_URL routes the export's own pool (and its cancel connection) away from
 * DATABASE_URL, e.g. to a session-mode pool when the app goes through PgBouncer in transaction
 * mode. Proved with two databases: the export reads the one it is pointed at.
 */
describe('consent export connection (CONSENT_EXPORT_DATABASE_URL)', () => {
  let exportDatabase: TestDatabase;
  let ctx: TestApp;
  let compliance: TestUser;

  beforeAll(async () => {
    exportDatabase = await createTestDatabase();
    const client = new pg.Client({ connectionString: exportDatabase.url });
    await client.connect();
    try {
      await client.query(
        `INSERT INTO consent_events (subject_id, purpose, notice_version, text_sha256, decision,
                occurred_at, source, seq, hash)
         VALUES ($1, 'marketing', 1, repeat('a', 64), 'granted', now(), 'api', 1, repeat('b', 64))`,
        [EXPORT_ONLY_SUBJECT],
      );
    } finally {
      await client.end();
    }
    ctx = await createTestApp({ env: { CONSENT_EXPORT_DATABASE_URL: exportDatabase.url } });
    compliance = await createStaff(ctx, ['compliance']);
  });

  afterAll(async () => {
    await ctx?.close();
    await exportDatabase?.drop();
  });

  it('streams from the configured database, not from DATABASE_URL', async () => {
    const response = await ctx
      .http()
      .get(`${API}/compliance/consent-records`)
      .query({ format: 'ndjson' })
      .set(compliance.authHeader);
    expect(response.status).toBe(200);
    const subjects = response.text
      .trim()
      .split('\n')
      .map((line) => (JSON.parse(line) as { subject_id: string }).subject_id);
    expect(subjects).toEqual([EXPORT_ONLY_SUBJECT]);
    // The app's own database does not hold that row: the export really went elsewhere.
    const [{ count }] = await ctx.dataSource.query(
      'SELECT count(*)::int AS count FROM consent_events WHERE subject_id = $1',
      [EXPORT_ONLY_SUBJECT],
    );
    expect(count).toBe(0);
  });

  it('refuses a URL that is not postgres:// at start-up', async () => {
    await expect(
      createTestApp({ env: { CONSENT_EXPORT_DATABASE_URL: 'mysql://localhost/x' } }),
    ).rejects.toThrow(/CONSENT_EXPORT_DATABASE_URL must be a postgres:\/\/ URL/);
  });
});
