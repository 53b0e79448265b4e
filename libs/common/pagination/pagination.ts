import { ApiPropertyOptional } from '../openapi/api-docs.js';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import type { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { ProblemException } from '../errors/problem.exception.js';

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

/** `?limit=&cursor=` for every collection GET; extend it with the list's own filters. */
export class PageQueryDto {
  @ApiPropertyOptional({ minimum: 1, maximum: MAX_PAGE_SIZE, default: DEFAULT_PAGE_SIZE })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE_SIZE)
  limit?: number;

  @ApiPropertyOptional({ description: 'Opaque cursor from a previous page' })
  @IsOptional()
  @IsString()
  @MaxLength(256)
  @Matches(/^[A-Za-z0-9_-]+$/, { message: 'cursor is malformed' })
  cursor?: string;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export function mapPage<T, R>(page: Page<T>, map: (item: T) => R): Page<R> {
  return { items: page.items.map(map), nextCursor: page.nextCursor };
}

/** A cursor is the sort key of the last row: `[sortValue, id]`, base64url JSON. */
export function encodeCursor(key: readonly [string, string]): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

export function decodeCursor(cursor: string): [string, string] {
  try {
    const key: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(key) &&
      key.length === 2 &&
      key.every((part) => typeof part === 'string' && part.length <= 64)
    ) {
      return [key[0] as string, key[1] as string];
    }
  } catch {
    // fall through to the problem below
  }
  throw new ProblemException(400, 'INVALID_CURSOR', 'The cursor is not valid for this list.', {
    errors: { cursor: ['cursor is malformed'] },
  });
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;

/** A keyset cursor's `[timestamp, uuid]`, or the INVALID_CURSOR problem (400). */
export function decodeKeysetCursor(cursor: string): [string, string] {
  const [sortValue, idValue] = decodeCursor(cursor);
  if (!TIMESTAMP.test(sortValue) || !UUID.test(idValue)) decodeCursor('');
  return [sortValue, idValue];
}

/** SQL for the keyset sort value of a cursor (microseconds, UTC), as `keysetPage` selects it. */
export const keysetSortSql = (sort: string): string =>
  `to_char(${sort} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

/**
 * The page from `limit + 1` rows ordered like `keysetPage`'s query: `keysetSort` and `id` read a
 * row's sort value (as `keysetSortSql` renders it) and id.
 */
export function keysetPageOf<R, T>(
  rows: readonly R[],
  limit: number,
  key: (row: R) => [string, string],
  map: (row: R) => T,
): Page<T> {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return {
    items: items.map(map),
    nextCursor: rows.length > limit && last !== undefined ? encodeCursor(key(last)) : null,
  };
}

export interface KeysetOptions {
  /** Query alias of the listed entity. */
  alias: string;
  /** Timestamp column (database name) the list is ordered by, newest first. Default `created_at`. */
  sortColumn?: string;
  limit?: number;
  cursor?: string;
}

/**
 * Keyset pagination, newest first, stable under inserts: ORDER BY (sort, id) DESC and
 * `WHERE (sort, id) < cursor`. The cursor keeps the timestamp at microsecond precision so no
 * row is skipped or repeated. The query must not join to-many relations.
 */
export async function keysetPage<E extends ObjectLiteral>(
  query: SelectQueryBuilder<E>,
  options: KeysetOptions,
): Promise<Page<E>> {
  const { alias } = options;
  const sort = `"${alias}"."${options.sortColumn ?? 'created_at'}"`;
  const id = `"${alias}"."id"`;
  const limit = options.limit ?? DEFAULT_PAGE_SIZE;
  if (options.cursor) {
    const [sortValue, idValue] = decodeKeysetCursor(options.cursor);
    query.andWhere(
      `(${sort}, ${id}) < (CAST(:keysetSort AS timestamptz), CAST(:keysetId AS uuid))`,
      {
        keysetSort: sortValue,
        keysetId: idValue,
      },
    );
  }
  query
    .addSelect(keysetSortSql(sort), 'keyset_sort')
    .orderBy(sort, 'DESC')
    .addOrderBy(id, 'DESC')
    .limit(limit + 1);
  const { entities, raw } = await query.getRawAndEntities<{ keyset_sort: string }>();
  const hasMore = entities.length > limit;
  const items = entities.slice(0, limit);
  const last = items.at(-1) as (E & { id: string }) | undefined;
  const lastRaw = raw[items.length - 1];
  return {
    items,
    nextCursor: hasMore && last && lastRaw ? encodeCursor([lastRaw.keyset_sort, last.id]) : null,
  };
}
