import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { API_PREFIX } from '#libs/common/http/api-prefix.js';
import { appOnlyEnums } from '#libs/common/enum-registry.js';
import { AUTH_PROVIDER_KINDS } from '#modules/auth/auth-provider-kind.js';
import { createStaff } from '../factories/users.js';
import { createTestApp, type TestApp } from '../utils/test-app.js';

/** `/meta/enums` against the migrated database: one vocabulary, no drift. */
describe('GET /meta/enums', () => {
  let ctx: TestApp;
  let served: Record<string, string[]>;
  let database: Map<string, string[]>;

  beforeAll(async () => {
    ctx = await createTestApp();
    const response = await ctx.http().get(`${API_PREFIX}/meta/enums`);
    expect(response.status).toBe(200);
    served = response.body as Record<string, string[]>;
    const rows: { name: string; values: string[] }[] = await ctx.dataSource.query(
      `SELECT t.typname AS name, array_agg(e.enumlabel::text ORDER BY e.enumsortorder) AS values
         FROM pg_type t
         JOIN pg_enum e ON e.enumtypid = t.oid
         JOIN pg_namespace n ON n.oid = t.typnamespace
        WHERE n.nspname = 'public'
        GROUP BY t.typname`,
    );
    database = new Map(rows.map((row) => [row.name, row.values]));
  });

  afterAll(async () => {
    await ctx.close();
  });

  it('reads a non-trivial set of database enums', () => {
    expect(database.size).toBeGreaterThan(20);
    expect(database.get('seat_type')).toEqual(['aisle', 'window', 'middle', 'any']);
  });

  it('serves every database enum with exactly the database values, in order', () => {
    const expected = Object.fromEntries(database);
    const actual = Object.fromEntries(
      Object.entries(served).filter(([name]) => database.has(name)),
    );
    expect(actual).toEqual(expected);
  });

  it('lists every other name as an app-only vocabulary, never shadowing a database enum', () => {
    const appOnly = appOnlyEnums();
    for (const [name, values] of Object.entries(served)) {
      if (database.has(name)) {
        expect({ name, appOnly: appOnly.has(name) }).toEqual({ name, appOnly: false });
      } else {
        expect({ name, values }).toEqual({ name, values: [...(appOnly.get(name) ?? [])] });
        expect(appOnly.has(name)).toBe(true);
      }
    }
    for (const name of appOnly.keys()) expect(served).toHaveProperty([name]);
  });

  it('lists auth_provider (the seed’s AuthProvider plus oidc), the type of identities’ provider kind', async () => {
    expect(served.auth_provider).toEqual([
      'local',
      'google',
      'facebook',
      'microsoft',
      'apple',
      'oidc',
    ]);
    expect(served.auth_provider).toEqual([...AUTH_PROVIDER_KINDS]);
    const [column] = (await ctx.dataSource.query(
      `SELECT udt_name FROM information_schema.columns
        WHERE table_name = 'external_identities' AND column_name = 'provider_kind'`,
    )) as { udt_name: string }[];
    expect(column?.udt_name).toBe('auth_provider');
  });

  it('uses one travel vocabulary across profiles, travelers and bookings', async () => {
    // One enum type per vocabulary: the profile's preferences use cabin_class and seat_type.
    expect(served).not.toHaveProperty(['travel_preferences_seat_type']);
    expect(served).not.toHaveProperty(['travel_preferences_cabin_class']);
    expect(served).not.toHaveProperty(['booking_traveler_type']);
    expect(served.traveler_type).toEqual(['infant', 'child', 'adult', 'senior']);
    const columns = (await ctx.dataSource.query(
      `SELECT table_name || '.' || column_name AS col, udt_name FROM information_schema.columns
        WHERE (table_name, column_name) IN (('travel_preferences', 'preferred_cabin_class'),
          ('traveler_preferences', 'cabin_class'), ('flight_bookings', 'cabin_class'),
          ('travel_preferences', 'preferred_seat_type'), ('traveler_preferences', 'seat_type'),
          ('booking_travelers', 'traveler_type'))
        ORDER BY 1`,
    )) as { col: string; udt_name: string }[];
    expect(Object.fromEntries(columns.map((row) => [row.col, row.udt_name]))).toEqual({
      'booking_travelers.traveler_type': 'traveler_type',
      'flight_bookings.cabin_class': 'cabin_class',
      'travel_preferences.preferred_cabin_class': 'cabin_class',
      'travel_preferences.preferred_seat_type': 'seat_type',
      'traveler_preferences.cabin_class': 'cabin_class',
      'traveler_preferences.seat_type': 'seat_type',
    });
    expect(served.user_profile_gender).toEqual(served.gender);
    expect(served.user_profile_travel_frequency).toEqual(served.travel_frequency);
    expect(served.user_profile_travel_purpose).toEqual(served.travel_purpose);
  });

  it('/meta/models shows traveler groups, visa columns and the named enums', async () => {
    const admin = await createStaff(ctx, ['admin']);
    const response = await ctx.http().get(`${API_PREFIX}/meta/models`).set(admin.authHeader);
    expect(response.status).toBe(200);
    type Model = { table: string; columns: { column: string; enumName?: string }[] };
    const byTable = new Map((response.body as Model[]).map((model) => [model.table, model]));
    const column = (table: string, name: string) =>
      byTable.get(table)?.columns.find((entry) => entry.column === name);
    expect(byTable.has('traveler_groups')).toBe(true);
    expect(column('traveler_group_members', 'traveler_id')).toBeDefined();
    expect(column('traveler_documents', 'visa_entries')?.enumName).toBe('visa_entries');
    expect(column('user_documents', 'valid_from')).toBeDefined();
    expect(column('booking_travelers', 'traveler_type')?.enumName).toBe('traveler_type');
    expect(column('travel_preferences', 'preferred_cabin_class')?.enumName).toBe('cabin_class');
  });
});
