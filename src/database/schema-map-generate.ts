import 'reflect-metadata';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createScriptDataSource } from './data-source.js';
import { currentSchema, mapProblems, type OriginMap, renderSchemaDoc } from './schema-map.js';

/**
 * `npm run schema:map`: renders docs/schema.md from the ORM metadata and the hand-written
 * docs/schema-origin-map.json (commit both). Refuses when the map misses a column.
 * Builds the entity metadata without connecting to a database.
 */
const docs = (name: string): string =>
  fileURLToPath(new URL(`../../../docs/${name}`, import.meta.url));

const dataSource = createScriptDataSource('postgres://unused@127.0.0.1:1/unused', false);
await (dataSource as unknown as { buildMetadatas(): Promise<void> }).buildMetadatas();
const schema = currentSchema(dataSource);
const map = JSON.parse(readFileSync(docs('schema-origin-map.json'), 'utf8')) as OriginMap;
const problems = mapProblems(schema, map);
if (problems.length > 0) {
  process.stderr.write(`docs/schema-origin-map.json is incomplete:\n- ${problems.join('\n- ')}\n`);
  process.exit(1);
}
writeFileSync(docs('schema.md'), renderSchemaDoc(schema, map));
process.stdout.write(`Wrote ${docs('schema.md')}\n`);
