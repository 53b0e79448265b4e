import { PassThrough, type Readable } from 'node:stream';
import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import { badRequest, ProblemException } from '#libs/common/errors/problem.exception.js';
import { YoungGarbagePacer } from '#libs/common/memory/young-generation.js';
import { type AppConfig, InjectConfig } from '#config/app-config.js';
import {
  type ConsentExportFilter,
  type ConsentExportFormat,
  consentExportCopySql,
  EXPORT_SESSION_SETTINGS_SQL,
} from './consent-records-export.sql.js';

export {
  CONSENT_RECORD_COLUMNS,
  type ConsentExportFilter,
  type ConsentExportFormat,
} from './consent-records-export.sql.js';

export const CONSENT_EXPORT_APPLICATION_NAME = 'pathavana-consent-export';

/** PostgreSQL's code for a statement cancelled by pg_cancel_backend. */
const QUERY_CANCELED = '57014';
/** A cancelled COPY answers within milliseconds; past this the connection is given up. */
const ABORT_TIMEOUT_MS = 30_000;

/**
 * Streams consent events with `COPY (SELECT …) TO STDOUT` (pg-copy-streams): PostgreSQL renders
 * the CSV (formula cells escaped in SQL, see consent-records-export.sql.ts) or the NDJSON lines,
 * and Node only forwards the bytes, with back-pressure end to end (the connection's socket is
 * read only as fast as the response drains). Memory stays flat whatever the row count.
 *
 * Exports use their own small pg.Pool (`CONSENT_EXPORT_MAX_CONCURRENT` connections), so long
 * exports can never starve the application's pool; when all are busy the request waits up to
 * 5 s, then answers 503 with Retry-After. A client that disconnects mid-stream cancels the COPY
 * (pg_cancel_backend from a short-lived connection; COPY TO has no in-protocol abort), the rest
 * of the output is discarded until PostgreSQL answers ReadyForQuery, and the connection goes back
 * to the pool idle; after any other error it is discarded.
 */
@Injectable()
export class ConsentRecordsExportService implements OnApplicationShutdown {
  private readonly logger = new Logger(ConsentRecordsExportService.name);
  private poolInstance: pg.Pool | null = null;
  private active = 0;
  private idleWaiters: (() => void)[] = [];

  constructor(@InjectConfig() private readonly config: AppConfig) {}

  /** The export pool (created on first use). */
  get pool(): pg.Pool {
    if (!this.poolInstance) {
      this.poolInstance = new pg.Pool({
        connectionString: this.exportDatabaseUrl,
        max: this.config.CONSENT_EXPORT_MAX_CONCURRENT,
        connectionTimeoutMillis: 5000,
        idleTimeoutMillis: 30_000,
        application_name: CONSENT_EXPORT_APPLICATION_NAME,
      });
      // An idle connection the server terminates (restart, failover) must not crash the process:
      // without a listener, pg's 'error' event is an uncaught exception.
      this.poolInstance.on('error', (error) =>
        this.logger.warn(`Idle export connection lost: ${error.message}`),
      );
    }
    return this.poolInstance;
  }

  /** A session-level connection: the cancel on disconnect targets this backend's pid. */
  private get exportDatabaseUrl(): string | undefined {
    return this.config.CONSENT_EXPORT_DATABASE_URL ?? this.config.DATABASE_URL;
  }

  /** Exports still streaming (tests and shutdown wait for 0). */
  get activeExports(): number {
    return this.active;
  }

  /** Resolves once no export is streaming and every export connection is back in the pool. */
  whenIdle(): Promise<void> {
    if (this.active === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /**
   * Checks out a connection, checks the filter and starts the COPY; returns the byte stream to
   * send. Errors before the first byte (pool exhausted, a date PostgreSQL rejects) are problems.
   */
  async open(format: ConsentExportFormat, filter: ConsentExportFilter): Promise<Readable> {
    let client: pg.PoolClient;
    try {
      client = await this.pool.connect();
    } catch (error) {
      this.logger.warn(`consent export: no connection (${(error as Error).message})`);
      throw new ProblemException(
        503,
        'EXPORT_BUSY',
        'Too many exports are running; retry shortly.',
        { headers: { 'Retry-After': '10' } },
      );
    }
    this.active += 1;
    let released = false;
    const release = (discard: boolean) => {
      if (released) return;
      released = true;
      client.release(discard);
      this.active -= 1;
      if (this.active === 0) for (const resolve of this.idleWaiters.splice(0)) resolve();
    };

    let pid: number;
    try {
      pid = await this.checkFilter(client, filter);
    } catch (error) {
      release(!(error instanceof ProblemException));
      throw error;
    }

    const copy = client.query(copyTo(consentExportCopySql(format, filter)));
    const body = new PassThrough();
    let ended = false;
    let aborted = false;
    let abortTimer: NodeJS.Timeout | undefined;
    // ReadyForQuery: the COPY is over at the protocol level and the connection is idle. (The
    // SELECT run by checkFilter already emitted its own 'drain' before this line.)
    client.once('drain', () => {
      clearTimeout(abortTimer);
      // A COPY that finished on its own while a cancel was on its way: the signal is ignored by
      // an idle backend, but the connection is not reused, to be sure it can hit nothing else.
      release(aborted && ended);
    });
    copy.once('end', () => (ended = true));
    copy.on('error', (error: Error & { code?: string }) => {
      if (aborted && error.code === QUERY_CANCELED) return; // ReadyForQuery follows
      if (!aborted) this.logger.error(error);
      clearTimeout(abortTimer);
      release(true);
      body.destroy(error);
    });
    copy.pipe(body);
    // The rows pass through short-lived Buffers whose bytes live outside V8's heap: without young
    // collections paced by the bytes, their garbage piled up until a full GC (RSS +20–57 MB
    // during a 10M-row export; bench/RESULTS.md, session 7).
    const garbage = new YoungGarbagePacer();
    copy.on('data', (chunk: Buffer) => garbage.passed(chunk.length));
    body.once('close', () => garbage.close());
    body.once('close', () => {
      if (ended || released) return;
      // The client went away mid-stream: keep reading (and dropping) what PostgreSQL already sent,
      // and cancel the statement so it stops producing rows.
      aborted = true;
      copy.unpipe(body);
      copy.on('data', () => undefined);
      copy.resume();
      abortTimer = setTimeout(() => release(true), ABORT_TIMEOUT_MS).unref();
      this.cancel(pid).catch((error: Error) => {
        this.logger.warn(`consent export: cancel failed (${error.message})`);
        clearTimeout(abortTimer);
        release(true);
      });
    });
    return body;
  }

  /**
   * Casts the period on the export connection with bound parameters, so a value the DTO let
   * through but PostgreSQL rejects is a 400 before the COPY (which takes no parameters) inlines
   * it; answers the backend pid, which a cancel needs. The same round trip turns sorting off for
   * this (export-only) session: see EXPORT_SESSION_SETTINGS_SQL.
   */
  private async checkFilter(client: pg.PoolClient, filter: ConsentExportFilter): Promise<number> {
    try {
      const { rows } = await client.query<{ pid: number }>(
        `SELECT pg_backend_pid() AS pid, $1::timestamptz AS "from", $2::timestamptz AS "to", ${EXPORT_SESSION_SETTINGS_SQL}`,
        [filter.from ?? null, filter.to ?? null],
      );
      return rows[0]!.pid;
    } catch (error) {
      const code = (error as { code?: string }).code ?? '';
      // 22xxx: data exception (bad date/time format, field out of range).
      if (code.startsWith('22')) {
        throw badRequest('VALIDATION_FAILED', 'from/to is not a valid date-time', {
          errors: { period: [(error as Error).message] },
        });
      }
      throw error;
    }
  }

  /** pg_cancel_backend from a one-off connection: the export pool may have none to spare. */
  private async cancel(pid: number): Promise<void> {
    const control = new pg.Client({
      connectionString: this.exportDatabaseUrl,
      application_name: `${CONSENT_EXPORT_APPLICATION_NAME}-cancel`,
      connectionTimeoutMillis: 5000,
    });
    control.on('error', () => undefined);
    await control.connect();
    try {
      await control.query('SELECT pg_cancel_backend($1)', [pid]);
    } finally {
      await control.end();
    }
  }

  async onApplicationShutdown(): Promise<void> {
    const pool = this.poolInstance;
    this.poolInstance = null;
    if (pool) await pool.end();
  }
}
