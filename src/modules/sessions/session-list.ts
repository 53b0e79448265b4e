import type { OwnedListSql } from '#libs/common/auth/owned-read.js';
import { shiftParams } from '#libs/common/auth/owned-read.js';
import { validationProblem } from '#libs/common/http/validation.js';
import {
  decodeKeysetCursor,
  DEFAULT_PAGE_SIZE,
  keysetPageOf,
  keysetSortSql,
  MAX_PAGE_SIZE,
  type Page,
} from '#libs/common/pagination/pagination.js';
import type { ListSessionsQueryDto } from './dto/session.dto.js';
import type { JsonObject } from './json-merge-patch.js';
import { parsePlanContains } from './session-documents.js';
import { SESSION_STATUSES, type SessionStatus } from './session-status.js';
import type { SessionRecord } from './sessions.mapper.js';
import { SESSIONS_TABLE } from './travel-session.entity.js';

/**
 * `GET /sessions` (list and planContains search) as ONE SQL text, used both on its own and
 * inside the bearer-token check's statement (`@ListsOwned(SESSION_OWNED_LIST)`): one round trip
 * for an authenticated list. Summary columns only (no session_data), plain rows (no entity
 * hydration), keyset pagination newest first like `keysetPage`.
 */
export interface SessionListFilters {
  status?: SessionStatus;
  destination?: string;
  from?: string;
  to?: string;
  planContains?: JsonObject;
}

export interface SessionListRequest {
  filters: SessionListFilters;
  limit: number;
  /** Decoded keyset cursor `[updated_at, id]`. */
  after?: [string, string];
}

export interface SessionListRow {
  list_id: string;
  list_user_id: string;
  list_status: SessionStatus;
  list_title: string | null;
  list_plan_data: JsonObject;
  list_session_metadata: JsonObject;
  list_version: number;
  list_created_at: Date;
  list_updated_at: Date;
  list_last_activity_at: Date;
  list_keyset_sort: string;
}

/** A session's columns but `session_data` (the summary's; the repository adds the document). */
export const SESSION_SUMMARY_COLUMNS = [
  'id',
  'user_id',
  'status',
  'title',
  'plan_data',
  'session_metadata',
  'version',
  'created_at',
  'updated_at',
  'last_activity_at',
] as const;
const SELECT_LIST = [
  ...SESSION_SUMMARY_COLUMNS.map((column) => `"s"."${column}" AS list_${column}`),
  `${keysetSortSql('"s"."updated_at"')} AS list_keyset_sort`,
].join(', ');

/**
 * `{"<owner id>": plan}`: the expression of `idx_unified_travel_sessions_owner_plan_gin`
 * (migration `OwnerKeyedPlanGin`; the index is used only when the column side is written
 * exactly like this). Containment of this object in the owner-keyed plan is containment of
 * `plan` in `plan_data` for that owner, and every GIN key carries the owner: a search reads
 * this owner's candidates only, not every user's rows that match the filter.
 */
function ownerKeyedPlanSql(owner: string, plan: string): string {
  return `jsonb_set('{}'::jsonb, ARRAY[CAST(${owner} AS text)], ${plan})`;
}

/** The list's SQL for `ownerId`, parameters numbered from `firstParam`. */
export function sessionListSql(
  ownerId: string,
  request: SessionListRequest,
  firstParam = 1,
): { text: string; params: unknown[] } {
  const params: unknown[] = [ownerId];
  const param = (value: unknown): string => {
    params.push(value);
    return `$${params.length}`;
  };
  const where = [`"s"."user_id" = $1`];
  const { filters } = request;
  // Without a status: matches the predicate of idx_unified_travel_sessions_user_live.
  where.push(
    filters.status ? `"s"."status" = ${param(filters.status)}` : `"s"."status" <> 'archived'`,
  );
  if (filters.destination) {
    where.push(
      `lower("s"."plan_data" ->> 'destinationCity') = lower(${param(filters.destination)})`,
    );
  }
  if (filters.from) where.push(`("s"."plan_data" ->> 'startDate') >= ${param(filters.from)}`);
  if (filters.to) where.push(`("s"."plan_data" ->> 'startDate') <= ${param(filters.to)}`);
  if (filters.planContains) {
    // `plan_data @> filter`, asked of the plan keyed by its owner so that the owner-keyed GIN
    // answers only this owner's candidates (the owner test above still applies on its own).
    const filter = `CAST(${param(JSON.stringify(filters.planContains))} AS jsonb)`;
    where.push(
      `${ownerKeyedPlanSql('"s"."user_id"', '"s"."plan_data"')} @> ${ownerKeyedPlanSql('CAST($1 AS uuid)', filter)}`,
    );
  }
  if (request.after) {
    const [sort, id] = request.after;
    where.push(
      `("s"."updated_at", "s"."id") < (CAST(${param(sort)} AS timestamptz), CAST(${param(id)} AS uuid))`,
    );
  }
  const limit = Math.trunc(request.limit) + 1;
  const text = `SELECT ${SELECT_LIST} FROM "${SESSIONS_TABLE}" "s" WHERE ${where.join(' AND ')}
    ORDER BY "s"."updated_at" DESC, "s"."id" DESC LIMIT ${limit}`;
  return { text: firstParam === 1 ? text : shiftParams(text, firstParam), params };
}

/** Identifies a list request: the prefetched page is used only for the same key. */
export function sessionListKey(request: SessionListRequest): string {
  const { filters } = request;
  return JSON.stringify([
    filters.status ?? null,
    filters.destination ?? null,
    filters.from ?? null,
    filters.to ?? null,
    filters.planContains ?? null,
    request.limit,
    request.after ?? null,
  ]);
}

/** The request from the validated query; 400 problems for planContains, the dates, the cursor. */
export function sessionListRequest(query: ListSessionsQueryDto): SessionListRequest {
  const planContains =
    query.planContains === undefined ? undefined : parsePlanContains(query.planContains);
  if (query.from && query.to && query.to < query.from) {
    throw validationProblem({ to: ['must not be before from'] });
  }
  const request: SessionListRequest = {
    filters: {
      status: query.status,
      destination: query.destination,
      from: query.from,
      to: query.to,
      planContains,
    },
    limit: query.limit ?? DEFAULT_PAGE_SIZE,
  };
  if (query.cursor) request.after = decodeKeysetCursor(query.cursor);
  return request;
}

const KNOWN = new Set(['status', 'destination', 'from', 'to', 'planContains', 'limit', 'cursor']);
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * The request from the RAW query string, before any validation, or null when it is not plainly
 * valid (then the route validates and answers as usual). Conservative by design: the route
 * compares the key of its validated query anyway.
 */
export function sessionListRequestFromRaw(raw: unknown): SessionListRequest | null {
  if (raw === null || typeof raw !== 'object') return null;
  const query: Record<string, string> = {};
  for (const [name, value] of Object.entries(raw)) {
    if (!KNOWN.has(name) || typeof value !== 'string') return null;
    query[name] = value;
  }
  const { status, destination, from, to, limit } = query;
  if (status !== undefined && !(SESSION_STATUSES as readonly string[]).includes(status))
    return null;
  if (destination !== undefined && (destination.length < 1 || destination.length > 100))
    return null;
  if (from !== undefined && !DATE_ONLY.test(from)) return null;
  if (to !== undefined && !DATE_ONLY.test(to)) return null;
  let pageSize: number | undefined;
  if (limit !== undefined) {
    if (!/^\d{1,3}$/.test(limit)) return null;
    pageSize = Number(limit);
    if (pageSize < 1 || pageSize > MAX_PAGE_SIZE) return null;
  }
  try {
    return sessionListRequest({
      status: status as SessionStatus | undefined,
      destination,
      from,
      to,
      planContains: query.planContains,
      limit: pageSize,
      cursor: query.cursor,
    });
  } catch {
    return null;
  }
}

function toRecord(row: SessionListRow): SessionRecord {
  return {
    id: row.list_id,
    userId: row.list_user_id,
    status: row.list_status,
    title: row.list_title,
    planData: row.list_plan_data,
    sessionMetadata: row.list_session_metadata,
    version: row.list_version,
    createdAt: row.list_created_at,
    updatedAt: row.list_updated_at,
    lastActivityAt: row.list_last_activity_at,
  };
}

/** The page from the list's rows (rows without a session, as a LEFT JOIN yields them, skipped). */
export function sessionListPage(rows: readonly object[], limit: number): Page<SessionRecord> {
  const sessions = (rows as SessionListRow[]).filter(
    (row) => row.list_id !== null && row.list_id !== undefined,
  );
  return keysetPageOf(sessions, limit, (row) => [row.list_keyset_sort, row.list_id], toRecord);
}

/** `GET /sessions` read in the bearer-token check's statement. */
export const SESSION_OWNED_LIST: OwnedListSql = {
  name: 'sessions_list',
  statement(query, ownerId, firstParam) {
    const request = sessionListRequestFromRaw(query);
    if (!request) return null;
    const { text, params } = sessionListSql(ownerId, request, firstParam);
    return {
      key: sessionListKey(request),
      text,
      params,
      orderBy: (alias) => `${alias}.list_updated_at DESC, ${alias}.list_id DESC`,
    };
  },
  // The rows as they are: the route builds the page with its validated page size (same key).
  read: (rows) => rows,
};
