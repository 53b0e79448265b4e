import type { DataSource } from 'typeorm';

/**
 * The schema map (issue 21): where each table, column and enum of the original model went.
 * The current side is read from the ORM metadata; the origin → now correspondences are the
 * hand-written `docs/schema-origin-map.json`. `npm run schema:map` renders `docs/schema.md`;
 * `schema-map.spec.ts` fails when an entity column is missing from the map or the doc is stale.
 */

export interface CurrentColumn {
  name: string;
  type: string;
  nullable: boolean;
  primary: boolean;
  enumName?: string;
}

export interface CurrentTable {
  table: string;
  entity: string;
  columns: CurrentColumn[];
}

export interface CurrentSchema {
  tables: CurrentTable[];
  /** Database enum types and their values. */
  enums: Record<string, string[]>;
}

export type MappingStatus = 'kept' | 'renamed' | 'replaced' | 'dropped' | 'planned';

/** Where one origin column (or enum) went; `now` is `table.column`, a table, or an enum name. */
export interface Mapping {
  status: Exclude<MappingStatus, 'kept'>;
  now?: string | string[];
  note?: string;
}

export interface OriginTable {
  status: 'kept' | 'renamed' | 'replaced' | 'dropped';
  /** The table that holds most of it now. */
  now: string;
  note?: string;
  /** `"kept"`: a column of the same name in `now`. */
  columns: Record<string, 'kept' | Mapping>;
}

export interface OriginMap {
  tables: Record<string, OriginTable>;
  enums: Record<string, Mapping>;
  /** Tables with no counterpart in the original: why they exist. */
  newTables: Record<string, string>;
  /** `table.column` with no counterpart in the original (in a table that has one): why. */
  newColumns: Record<string, string>;
}

interface ResolvedMapping {
  status: MappingStatus;
  now: string[];
  note: string;
}

/** Tables, columns and enums as the entities declare them (no database connection needed). */
export function currentSchema(dataSource: DataSource): CurrentSchema {
  const enums: Record<string, string[]> = {};
  const tables = dataSource.entityMetadatas
    .map((entity) => ({
      table: entity.tableName,
      entity: entity.name,
      columns: entity.columns.map((column) => {
        if (column.enum && column.enumName) enums[column.enumName] = column.enum.map(String);
        return {
          name: column.databaseName,
          type: typeof column.type === 'string' ? column.type : column.type.name.toLowerCase(),
          nullable: column.isNullable,
          primary: column.isPrimary,
          ...(column.enumName ? { enumName: column.enumName } : {}),
        };
      }),
    }))
    .sort((a, b) => a.table.localeCompare(b.table));
  return { tables, enums: sortedRecord(enums) };
}

function sortedRecord<T>(record: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => a.localeCompare(b)));
}

function resolve(table: OriginTable, column: string): ResolvedMapping {
  const entry = table.columns[column];
  if (entry === 'kept' || entry === undefined) {
    return { status: 'kept', now: [`${table.now}.${column}`], note: '' };
  }
  const now = asList(entry.now);
  // Same table and name, only the type or constraint changed: kept (the note says how).
  const same = now.length === 1 && now[0] === `${table.now}.${column}`;
  return { status: same ? 'kept' : entry.status, now, note: entry.note ?? '' };
}

function asList(now: string | string[] | undefined): string[] {
  return now === undefined ? [] : Array.isArray(now) ? now : [now];
}

/** Every current `table.column` → the origin columns that went there. */
function originsByTarget(map: OriginMap): Map<string, string[]> {
  const result = new Map<string, string[]>();
  for (const [originTable, table] of Object.entries(map.tables)) {
    for (const column of Object.keys(table.columns)) {
      for (const target of resolve(table, column).now) {
        result.set(target, [...(result.get(target) ?? []), `${originTable}.${column}`]);
      }
    }
  }
  return result;
}

/**
 * What is wrong with the map: a current column nobody accounts for, a target that does not
 * exist, an explanation for something that is gone. Empty when the map is complete.
 */
export function mapProblems(schema: CurrentSchema, map: OriginMap): string[] {
  const problems: string[] = [];
  const tables = new Map(
    schema.tables.map((t) => [t.table, new Set(t.columns.map((c) => c.name))]),
  );
  const exists = (target: string): boolean => {
    const [table, column] = target.split('.');
    if (!table || !tables.has(table)) return false;
    return column === undefined || (tables.get(table)?.has(column) ?? false);
  };
  for (const [originTable, table] of Object.entries(map.tables)) {
    if (table.status !== 'dropped' && !exists(table.now)) {
      problems.push(`origin table ${originTable}: now "${table.now}" is not a current table`);
    }
    for (const column of Object.keys(table.columns)) {
      const mapping = resolve(table, column);
      if ((mapping.status === 'dropped' || mapping.status === 'planned') && !mapping.note) {
        problems.push(`origin column ${originTable}.${column}: ${mapping.status} without a reason`);
      }
      if (
        mapping.status !== 'dropped' &&
        mapping.status !== 'planned' &&
        mapping.now.length === 0
      ) {
        problems.push(`origin column ${originTable}.${column}: ${mapping.status} but no "now"`);
      }
      for (const target of mapping.now) {
        if (!exists(target)) {
          problems.push(`origin column ${originTable}.${column}: "${target}" does not exist now`);
        }
      }
    }
  }
  for (const [name, mapping] of Object.entries(map.enums)) {
    for (const target of asList(mapping.now)) {
      if (!(target in schema.enums) && !exists(target)) {
        problems.push(`origin enum ${name}: "${target}" is neither a current enum nor a column`);
      }
    }
  }
  const targets = originsByTarget(map);
  for (const table of schema.tables) {
    const isNew = table.table in map.newTables;
    for (const column of table.columns) {
      const key = `${table.table}.${column.name}`;
      const accounted = isNew || targets.has(key) || key in map.newColumns;
      if (!accounted) {
        problems.push(
          `column ${key} is not in docs/schema-origin-map.json: map an origin column to it or add it to newColumns (with why)`,
        );
      }
      if (isNew && key in map.newColumns)
        problems.push(`${key}: listed in newColumns of a new table`);
      if (targets.has(key) && key in map.newColumns) {
        problems.push(`${key}: listed in newColumns but an origin column maps to it`);
      }
    }
  }
  for (const table of Object.keys(map.newTables)) {
    if (!tables.has(table)) problems.push(`newTables: ${table} is not a current table`);
  }
  for (const key of Object.keys(map.newColumns)) {
    if (!exists(key)) problems.push(`newColumns: ${key} is not a current column`);
  }
  return problems;
}

const cell = (text: string): string => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
const code = (name: string): string => `\`${name}\``;
const codes = (names: string[]): string => names.map(code).join(', ');

/** docs/schema.md: deterministic, so the spec can compare it with the committed file. */
export function renderSchemaDoc(schema: CurrentSchema, map: OriginMap): string {
  const lines: string[] = [];
  const counts: Record<MappingStatus, number> = {
    kept: 0,
    renamed: 0,
    replaced: 0,
    dropped: 0,
    planned: 0,
  };
  for (const table of Object.values(map.tables)) {
    for (const column of Object.keys(table.columns)) counts[resolve(table, column).status] += 1;
  }
  const originColumns = Object.values(counts).reduce((a, b) => a + b, 0);
  const currentColumns = schema.tables.reduce((n, t) => n + t.columns.length, 0);
  lines.push(
    '# Database schema: the original model → now',
    '',
    '<!-- Generated by `npm run schema:map` from the ORM metadata and docs/schema-origin-map.json.',
    '     Do not edit by hand: edit the map (or the entities) and regenerate. -->',
    '',
    'Every table, column and enum of the original Python model (`pathavana-origin.md` §1, the',
    'seed `seed-models-summary.md`) and where it lives now. Statuses: **kept** (same name),',
    '**renamed**, **replaced** (by what), **dropped** (why), **planned** (not built yet).',
    'The second half lists the current schema, read from the entities, with the origin of each column.',
    '',
    `Origin: ${Object.keys(map.tables).length} tables, ${originColumns} columns, ${Object.keys(map.enums).length} enums.`,
    `Columns: ${counts.kept} kept, ${counts.renamed} renamed, ${counts.replaced} replaced, ${counts.dropped} dropped, ${counts.planned} planned.`,
    `Now: ${schema.tables.length} tables, ${currentColumns} columns, ${Object.keys(schema.enums).length} database enums.`,
    '',
    '## Tables of the original model',
    '',
  );
  for (const [originTable, table] of Object.entries(map.tables)) {
    lines.push(
      `### ${code(originTable)} → ${code(table.now)} (${table.status})`,
      '',
      ...(table.note ? [cell(table.note), ''] : []),
      '| Origin column | Status | Now | Note |',
      '| --- | --- | --- | --- |',
    );
    for (const column of Object.keys(table.columns)) {
      const mapping = resolve(table, column);
      lines.push(
        `| ${code(column)} | ${mapping.status} | ${codes(mapping.now)} | ${cell(mapping.note)} |`,
      );
    }
    lines.push('');
  }
  lines.push(
    '## Enums of the original model',
    '',
    '| Origin enum | Status | Now | Values now | Note |',
    '| --- | --- | --- | --- | --- |',
  );
  for (const [name, mapping] of Object.entries(map.enums)) {
    const now = asList(mapping.now);
    const values = now.flatMap((target) => schema.enums[target] ?? []);
    lines.push(
      `| ${code(name)} | ${mapping.status} | ${codes(now)} | ${values.join(', ')} | ${cell(mapping.note ?? '')} |`,
    );
  }
  lines.push('', '## The schema now (from the ORM metadata)', '');
  const targets = originsByTarget(map);
  for (const table of schema.tables) {
    const newTable = map.newTables[table.table];
    lines.push(`### ${code(table.table)} (${table.entity})`, '');
    if (newTable) lines.push(`New: ${cell(newTable)}`, '');
    lines.push('| Column | Type | Null | From the original |', '| --- | --- | --- | --- |');
    for (const column of table.columns) {
      const key = `${table.table}.${column.name}`;
      const type = column.enumName ? `enum ${code(column.enumName)}` : column.type;
      const origin = targets.get(key);
      const from = origin
        ? codes(origin)
        : newTable
          ? 'new table'
          : `new: ${cell(map.newColumns[key] ?? '(not in the map)')}`;
      lines.push(
        `| ${code(column.name)}${column.primary ? ' (PK)' : ''} | ${type} | ${column.nullable ? 'null' : 'not null'} | ${from} |`,
      );
    }
    lines.push('');
  }
  lines.push('## Database enums now', '', '| Enum | Values |', '| --- | --- |');
  for (const [name, values] of Object.entries(schema.enums)) {
    lines.push(`| ${code(name)} | ${values.join(', ')} |`);
  }
  return `${lines.join('\n')}\n`;
}
