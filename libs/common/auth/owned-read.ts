import { SetMetadata } from '@nestjs/common';

export const OWNED_READ_KEY = 'pathavana:owned-read';

/**
 * An owner-scoped read by id that the bearer-token check may run in the SAME statement as the
 * session liveness check (one database round trip for an authenticated owner read;
 * bench/RESULTS.md, round 2). The module owning the table defines it; libs/common and the auth
 * module only know this interface. Nothing is cached: the row, the session, the account and the
 * roles come from one snapshot read on this request.
 */
export interface OwnedReadSql {
  /** Unique per SQL text (it names the prepared statement). */
  readonly name: string;
  /** The route parameter holding the object's id (a UUID; anything else is left to the route). */
  readonly param: string;
  /**
   * A subquery yielding at most one row: the object with id `idParam` owned by `ownerParam`
   * (SQL parameter references such as `'$2'`, `'$3'`). Its columns must not clash with the
   * liveness columns (`status`, `roles`, `email_verified`, `mfa_enrolled`, `mfa_passed`):
   * prefix them.
   */
  subquery(ownerParam: string, idParam: string): string;
  /** The object from a row holding the subquery's columns, or null when they are all null. */
  read(row: object): unknown;
}

/** Put on the request by the bearer authenticator when it read the route's object with the session. */
export interface PrefetchedOwned {
  readonly name: string;
  readonly ownerId: string;
  readonly id: string;
  /** null: no such object for this owner (another user's id answers 404 like a missing one). */
  readonly row: unknown;
}

/** The route reads one owned object by id: fetch it together with the session check. */
export const ReadsOwned = (read: OwnedReadSql): MethodDecorator =>
  SetMetadata(OWNED_READ_KEY, read);

/**
 * The row read with the session for `read`, if it was (same owner, same id), else `undefined`:
 * the caller then reads it itself. Takes the request (`@Req()`, which no pipe transforms): a
 * custom parameter decorator would run the global validation pipe over the whole row again.
 */
export function prefetchedOwned<T>(
  request: { prefetchedOwned?: PrefetchedOwned },
  read: OwnedReadSql,
  ownerId: string,
  id: string,
): { row: T | null } | undefined {
  const prefetched = request.prefetchedOwned;
  if (!prefetched) return undefined;
  if (prefetched.name !== read.name || prefetched.ownerId !== ownerId || prefetched.id !== id) {
    return undefined;
  }
  return { row: prefetched.row as T | null };
}

export const OWNED_LIST_KEY = 'pathavana:owned-list';

/** One page of an owner-scoped list as a statement, planned from the raw query string. */
export interface OwnedListStatement {
  /** Identifies the request's filters and page; the route recomputes it from its validated query. */
  readonly key: string;
  /** A statement yielding the page's rows; its parameters are numbered from the `firstParam` given. */
  readonly text: string;
  readonly params: unknown[];
  /** ORDER BY over the statement's columns (qualified by `alias`) that restores its order. */
  orderBy(alias: string): string;
}

/**
 * An owner-scoped list (`@ListsOwned`) the bearer-token check may run in the SAME statement as
 * the session liveness check: the list's query joined laterally to the liveness row, so a list
 * or search is one round trip. The module owning the table defines it (SQL and row mapping).
 * `statement` sees the raw, unvalidated query string: it answers null whenever it is unsure
 * (then the route validates and reads the list itself), and the route uses the prefetched page
 * only when the key of its validated query is the same. Nothing is cached.
 */
export interface OwnedListSql {
  /** Names the list (prefetched pages are matched by it). */
  readonly name: string;
  statement(query: unknown, ownerId: string, firstParam: number): OwnedListStatement | null;
  /** The page from the rows holding the statement's columns (rows whose columns are all null skipped). */
  read(rows: object[]): unknown;
}

/** Put on the request by the bearer authenticator when it read the route's list page with the session. */
export interface PrefetchedOwnedList {
  readonly name: string;
  readonly ownerId: string;
  readonly key: string;
  readonly page: unknown;
}

/** The route lists owned objects: read the page together with the session check. */
export const ListsOwned = (list: OwnedListSql): MethodDecorator =>
  SetMetadata(OWNED_LIST_KEY, list);

/** The page read with the session for `list` (same owner, same key), else `undefined`. */
export function prefetchedOwnedList<T>(
  request: { prefetchedOwnedList?: PrefetchedOwnedList },
  list: OwnedListSql,
  ownerId: string,
  key: string,
): T | undefined {
  const prefetched = request.prefetchedOwnedList;
  if (!prefetched) return undefined;
  if (prefetched.name !== list.name || prefetched.ownerId !== ownerId || prefetched.key !== key) {
    return undefined;
  }
  return prefetched.page as T;
}

/**
 * Renumbers a statement's `$n` parameters to start at `firstParam` (the statement text comes
 * from our own query builders: no `$` inside its literals).
 */
export function shiftParams(text: string, firstParam: number): string {
  return text.replace(/\$(\d+)/g, (_match, n: string) => `$${Number(n) + firstParam - 1}`);
}
