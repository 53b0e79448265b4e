import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { OwnedReadSql } from '#libs/common/auth/owned-read.js';
import { preparedQuery } from '#libs/database/prepared-query.js';
import type { Page } from '#libs/common/pagination/pagination.js';
import type { JsonObject } from './json-merge-patch.js';
import {
  type SessionListRequest,
  type SessionListRow,
  SESSION_SUMMARY_COLUMNS,
  sessionListPage,
  sessionListSql,
} from './session-list.js';
import type { SessionRecord } from './sessions.mapper.js';
import type { SessionStatus } from './session-status.js';
import { SESSION_MESSAGES_TABLE } from './session-message.entity.js';
import { SESSIONS_TABLE, TravelSessionEntity } from './travel-session.entity.js';

interface SessionRow {
  id: string;
  user_id: string;
  status: SessionStatus;
  title: string | null;
  session_data: JsonObject;
  plan_data: JsonObject;
  session_metadata: JsonObject;
  version: number;
  created_at: Date;
  updated_at: Date;
  last_activity_at: Date;
}

function fromRow(row: SessionRow): TravelSessionEntity {
  return Object.assign(new TravelSessionEntity(), {
    id: row.id,
    userId: row.user_id,
    status: row.status,
    title: row.title,
    sessionData: row.session_data,
    planData: row.plan_data,
    sessionMetadata: row.session_metadata,
    version: row.version,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    lastActivityAt: row.last_activity_at,
  });
}

export interface SessionChanges {
  title?: string | null;
  status?: SessionStatus;
  sessionData?: JsonObject;
  planData?: JsonObject;
  sessionMetadata?: JsonObject;
}

export interface NewMessage {
  id: string;
  role: string;
  content: string;
  metadata?: JsonObject;
}

export interface AppendLimits {
  maxMessages: number;
  maxBytes: number;
}

/**
 * `session_data` as the API shows it: the stored document plus `chatMessages`, aggregated from
 * their own table in seq order (`[]` when there are none).
 */
export const sessionDataSql = (alias: string): string =>
  `(${alias}.session_data || jsonb_build_object('chatMessages', COALESCE(
      (SELECT jsonb_agg(m.message ORDER BY m.seq) FROM ${SESSION_MESSAGES_TABLE} m
        WHERE m.session_id = ${alias}.id), '[]'::jsonb)))`;

/**
 * Explicit columns for the prepared read: a prepared `SELECT *` would fail ("cached plan must not
 * change result type") on instances still running while a migration adds a column.
 */
const SESSION_COLUMNS = [...SESSION_SUMMARY_COLUMNS, 'session_data'] as const;

/** The session's columns read from `alias`, each named `prefix` + column. */
const sessionColumnsSql = (alias: string, prefix = ''): string =>
  SESSION_COLUMNS.map(
    (column) =>
      `${column === 'session_data' ? sessionDataSql(alias) : `${alias}.${column}`} AS ${prefix}${column}`,
  ).join(', ');

/**
 * `findOwned` as part of the bearer-token check's statement (`@ReadsOwned`): the same row, its
 * columns prefixed with `owned_` so they cannot clash with the liveness columns.
 */
export const SESSION_OWNED_READ: OwnedReadSql = {
  name: 'sessions_owned',
  param: 'id',
  subquery: (ownerParam, idParam) =>
    `SELECT ${sessionColumnsSql('s', 'owned_')} FROM ${SESSIONS_TABLE} s
      WHERE s.id = ${idParam} AND s.user_id = ${ownerParam}`,
  read: (row) => {
    const prefixed = row as Record<`owned_${keyof SessionRow}`, unknown>;
    if (prefixed.owned_id === null || prefixed.owned_id === undefined) return null;
    // Runs on every GET /sessions/:id: the columns are named, not re-derived from the list.
    return fromRow({
      id: prefixed.owned_id,
      user_id: prefixed.owned_user_id,
      status: prefixed.owned_status,
      title: prefixed.owned_title,
      session_data: prefixed.owned_session_data,
      plan_data: prefixed.owned_plan_data,
      session_metadata: prefixed.owned_session_metadata,
      version: prefixed.owned_version,
      created_at: prefixed.owned_created_at,
      updated_at: prefixed.owned_updated_at,
      last_activity_at: prefixed.owned_last_activity_at,
    } as SessionRow);
  },
};

const NOW_UTC_ISO = `to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

/**
 * Every query takes the owner id: another user's session is simply not found. Writes are
 * single SQL statements so concurrent requests serialise on the row lock, never in memory.
 */
@Injectable()
export class SessionsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** A new session with its first chat messages (`seq` 1, 2, …), in one statement. */
  async insert(
    userId: string,
    values: { title: string | null; messages: JsonObject[] },
  ): Promise<TravelSessionEntity> {
    const rows: SessionRow[] = await this.dataSource.query(
      `WITH s AS (
         INSERT INTO ${SESSIONS_TABLE} (user_id, title, session_data, message_count, message_bytes)
         SELECT $1, $2, '{}'::jsonb, count(*), COALESCE(sum(octet_length(m::text) + 2), 0)
           FROM jsonb_array_elements($3::jsonb) AS m
         RETURNING *),
       messages AS (
         INSERT INTO ${SESSION_MESSAGES_TABLE} (session_id, seq, message)
         SELECT s.id, m.seq, m.message
           FROM s, jsonb_array_elements($3::jsonb) WITH ORDINALITY AS m(message, seq))
       SELECT ${SESSION_SUMMARY_COLUMNS.map((column) => `s.${column}`).join(', ')},
              s.session_data || jsonb_build_object('chatMessages', $3::jsonb) AS session_data
         FROM s`,
      [userId, values.title, JSON.stringify(values.messages)],
    );
    return fromRow(rows[0] as SessionRow);
  }

  async findOwned(id: string, userId: string): Promise<TravelSessionEntity | null> {
    const rows = await preparedQuery<SessionRow>(
      this.dataSource,
      'sessions_find_owned',
      `SELECT ${sessionColumnsSql('s')} FROM ${SESSIONS_TABLE} s WHERE s.id = $1 AND s.user_id = $2`,
      [id, userId],
    );
    return rows[0] ? fromRow(rows[0]) : null;
  }

  /** Status only (cheap: does not detoast the documents). */
  async findOwnedStatus(id: string, userId: string): Promise<SessionStatus | null> {
    const rows: { status: SessionStatus }[] = await this.dataSource.query(
      `SELECT status FROM ${SESSIONS_TABLE} WHERE id = $1 AND user_id = $2`,
      [id, userId],
    );
    return rows[0]?.status ?? null;
  }

  /**
   * Compare-and-set on the version: writes only the changed columns, bumps the version and
   * answers the new row, or null when the version moved (or the row is gone).
   */
  async updateIfVersion(
    id: string,
    userId: string,
    expectedVersion: number,
    changes: SessionChanges,
  ): Promise<TravelSessionEntity | null> {
    const sets: string[] = [];
    const params: unknown[] = [id, userId, expectedVersion];
    const set = (column: string, value: unknown, cast = ''): void => {
      params.push(value);
      sets.push(`${column} = $${params.length}${cast}`);
    };
    if (changes.title !== undefined) set('title', changes.title);
    if (changes.status !== undefined) set('status', changes.status, '::session_status');
    if (changes.sessionData !== undefined) {
      // The chat lives in its own table (append-only): the document is stored without it.
      const { chatMessages: _chat, ...stored } = changes.sessionData;
      set('session_data', JSON.stringify(stored), '::jsonb');
    }
    if (changes.planData !== undefined) {
      set('plan_data', JSON.stringify(changes.planData), '::jsonb');
    }
    if (changes.sessionMetadata !== undefined) {
      set('session_metadata', JSON.stringify(changes.sessionMetadata), '::jsonb');
    }
    const [rows]: [SessionRow[], number] = await this.dataSource.query(
      `UPDATE ${SESSIONS_TABLE} AS s
       SET ${[...sets, 'version = s.version + 1', 'updated_at = clock_timestamp()', 'last_activity_at = clock_timestamp()'].join(', ')}
       WHERE s.id = $1 AND s.user_id = $2 AND s.version = $3
       RETURNING ${sessionColumnsSql('s')}`,
      params,
    );
    return rows[0] ? fromRow(rows[0]) : null;
  }

  /**
   * Appends one chat message in ONE statement, whatever the transcript's length: the session
   * row's counters and version are bumped, then the message is inserted as its own row with
   * seq = the new count. Concurrent appends queue on the row lock and each re-reads the row it
   * updates (READ COMMITTED re-check), so none is lost and seq follows the commit order. The
   * WHERE enforces ownership, the archived rule and the limits (from the row's counters: the
   * transcript is not read); null means no row qualified (the caller finds out why).
   */
  async appendMessage(
    id: string,
    userId: string,
    message: NewMessage,
    limits: AppendLimits,
  ): Promise<{ version: number; message: JsonObject } | null> {
    const messageBytes = Buffer.byteLength(JSON.stringify(message), 'utf8') + 96;
    // The stored message for a given seq (its JSON text has the same length whenever it is
    // built: the timestamp is fixed-width), used for the byte counter and for the row.
    const messageSql = (seq: string): string =>
      `jsonb_build_object('id', $3::text, 'seq', ${seq}, 'role', $4::text, 'content', $5::text,
         'createdAt', ${NOW_UTC_ISO})
       || CASE WHEN $6::jsonb IS NULL THEN '{}'::jsonb ELSE jsonb_build_object('metadata', $6::jsonb) END`;
    // The statement's command is INSERT: TypeORM answers its rows as they are (no row count).
    const rows: { version: number; message: JsonObject }[] = await this.dataSource.query(
      `WITH s AS (
           UPDATE ${SESSIONS_TABLE} AS s
              SET message_count = s.message_count + 1,
                  message_bytes = s.message_bytes + octet_length((${messageSql('s.message_count + 1')})::text) + 2,
                  version = s.version + 1,
                  updated_at = clock_timestamp(),
                  last_activity_at = clock_timestamp()
            WHERE s.id = $1 AND s.user_id = $2
              AND s.status <> 'archived'
              AND s.message_count < $7
              AND octet_length(s.session_data::text) + s.message_bytes + $8 <= $9
           RETURNING s.id, s.version, s.message_count AS seq)
         INSERT INTO ${SESSION_MESSAGES_TABLE} (session_id, seq, message)
         SELECT s.id, s.seq, ${messageSql('s.seq')} FROM s
         RETURNING (SELECT version FROM s) AS version, message`,
      [
        id,
        userId,
        message.id,
        message.role,
        message.content,
        message.metadata === undefined ? null : JSON.stringify(message.metadata),
        limits.maxMessages,
        messageBytes,
        limits.maxBytes,
      ],
    );
    return rows[0] ?? null;
  }

  /** Why an append did not qualify: the session's status and transcript size, if it is yours. */
  async appendState(
    id: string,
    userId: string,
  ): Promise<{ status: SessionStatus; messages: number; bytes: number } | null> {
    const rows: { status: SessionStatus; messages: number; bytes: number }[] =
      await this.dataSource.query(
        `SELECT status, message_count AS messages,
                (octet_length(session_data::text) + message_bytes)::int AS bytes
         FROM ${SESSIONS_TABLE} WHERE id = $1 AND user_id = $2`,
        [id, userId],
      );
    return rows[0] ?? null;
  }

  /** Messages newest first, those before `beforeSeq` when given; `limit + 1` rows. */
  async listMessages(
    id: string,
    userId: string,
    beforeSeq: number | undefined,
    limit: number,
  ): Promise<{ message: JsonObject; ord: number }[]> {
    const rows: { message: JsonObject; ord: string }[] = await this.dataSource.query(
      `SELECT m.message, m.seq AS ord
       FROM ${SESSIONS_TABLE} s
       JOIN ${SESSION_MESSAGES_TABLE} m ON m.session_id = s.id
       WHERE s.id = $1 AND s.user_id = $2 AND ($3::int IS NULL OR m.seq < $3::int)
       ORDER BY m.seq DESC
       LIMIT $4`,
      [id, userId, beforeSeq ?? null, limit + 1],
    );
    return rows.map((row) => ({ message: row.message, ord: Number(row.ord) }));
  }

  /** One page of the owner's sessions (`sessionListSql`, one statement, plain rows). */
  async listPage(userId: string, request: SessionListRequest): Promise<Page<SessionRecord>> {
    const { text, params } = sessionListSql(userId, request);
    const rows: SessionListRow[] = await this.dataSource.query(text, params);
    return sessionListPage(rows, request.limit);
  }

  async touch(id: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE ${SESSIONS_TABLE} SET last_activity_at = clock_timestamp() WHERE id = $1`,
      [id],
    );
  }
}
