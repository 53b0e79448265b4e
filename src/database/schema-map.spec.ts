import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from '@jest/globals';
import { createScriptDataSource } from './data-source.js';
import {
  type CurrentSchema,
  currentSchema,
  mapProblems,
  type OriginMap,
  renderSchemaDoc,
} from './schema-map.js';

const docs = (name: string): string => `${import.meta.dirname}/../../docs/${name}`;
const readMap = (): OriginMap =>
  JSON.parse(readFileSync(docs('schema-origin-map.json'), 'utf8')) as OriginMap;

describe('schema map (docs/schema.md)', () => {
  let schema: CurrentSchema;

  beforeAll(async () => {
    // The entity metadata, exactly as the app builds it; no database connection.
    const dataSource = createScriptDataSource('postgres://unused@127.0.0.1:1/unused', false);
    await (dataSource as unknown as { buildMetadatas(): Promise<void> }).buildMetadatas();
    schema = currentSchema(dataSource);
  });

  it('accounts for every column of every entity, and every target exists', () => {
    expect(schema.tables.length).toBeGreaterThan(20);
    expect(mapProblems(schema, readMap())).toEqual([]);
  });

  it('maps the 20 tables and 12 enums of the original, traveler groups and visas mapped (nothing planned)', () => {
    const map = readMap();
    expect(Object.keys(map.tables)).toHaveLength(20);
    expect(Object.keys(map.enums)).toHaveLength(12);
    expect(map.tables.travelers?.columns.traveler_group_id).toMatchObject({
      status: 'replaced',
      now: ['traveler_groups', 'traveler_group_members.traveler_id'],
    });
    const visaColumns = map.tables.traveler_documents?.columns;
    expect(visaColumns?.visa_type).toBe('kept');
    expect(visaColumns?.visa_purpose).toBe('kept');
    expect(visaColumns?.visa_entries_allowed).toMatchObject({
      status: 'renamed',
      now: 'traveler_documents.visa_entries',
    });
    const planned = Object.values(map.tables).flatMap((table) =>
      Object.values(table.columns).filter(
        (column) => typeof column === 'object' && column.status === 'planned',
      ),
    );
    expect(planned).toEqual([]);
  });

  it('fails when an entity column is missing from the map', () => {
    const withExtraColumn: CurrentSchema = {
      ...schema,
      tables: schema.tables.map((table) =>
        table.table === 'travelers'
          ? {
              ...table,
              columns: [
                ...table.columns,
                { name: 'shoe_size', type: 'int', nullable: true, primary: false },
              ],
            }
          : table,
      ),
    };
    expect(mapProblems(withExtraColumn, readMap())).toEqual([
      expect.stringContaining('column travelers.shoe_size is not in docs/schema-origin-map.json'),
    ]);
    const map = readMap();
    delete map.newColumns['users.mfa_enabled_at'];
    expect(mapProblems(schema, map)).toEqual([
      expect.stringContaining('column users.mfa_enabled_at is not in'),
    ]);
  });

  it('fails when a mapping points at a column that does not exist or drops without a reason', () => {
    const map = readMap();
    const users = map.tables.users as OriginMap['tables'][string];
    users.columns.phone = { status: 'renamed', now: 'user_profiles.telephone' };
    users.columns.phone_verified = { status: 'dropped' };
    expect(mapProblems(schema, map)).toEqual(
      expect.arrayContaining([
        'origin column users.phone: "user_profiles.telephone" does not exist now',
        'origin column users.phone_verified: dropped without a reason',
      ]),
    );
  });

  it('docs/schema.md is up to date (npm run schema:map)', () => {
    expect(readFileSync(docs('schema.md'), 'utf8')).toBe(renderSchemaDoc(schema, readMap()));
  });
});
