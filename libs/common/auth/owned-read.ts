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

/** Put on the request by the JWT strategy when it read the route's object with the session. */
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
