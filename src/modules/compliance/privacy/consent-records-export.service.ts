import { type Readable, Transform, pipeline } from 'node:stream';
import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { stringify } from 'csv-stringify';
import pg from 'pg';
import QueryStream from 'pg-query-stream';
import { ProblemException } from '../../../../libs/common/errors/problem.exception.js';
import { type AppConfig, InjectConfig } from '../../../config/app-config.js';
import { escapeFormula } from './csv-safety.js';

/** The consent-record export columns, in the contract's order (PRODUCT.md "Precise rules"). */
export const CONSENT_RECORD_COLUMNS = [
  'event_id',
  'subject_id',
  'purpose',
  'notice_version',
  'text_sha256',
  'decision',
  'occurred_at',
  'ip',
  'user_agent',
  'source',
  'actor_id',
  'traveler_id',
] as const;

export const CONSENT_EXPORT_APPLICATION_NAME = 'pathavana-consent-export';

export type ConsentExportFormat = 'csv' | 'ndjson';

export interface ConsentExportFilter {
  purpose?: string;
  from?: string;
  to?: string;
}

const EXPORT_SQL = `
  SELECT id::text AS event_id, subject_id::text AS subject_id, purpose::text AS purpose,
         notice_version, text_sha256,
         decision::text AS decision,
         to_char(occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS occurred_at,
         ip, user_agent, source::text AS source, actor_id::text AS actor_id,
         traveler_id::text AS traveler_id
    FROM consent_events
   WHERE ($1::consent_purpose IS NULL OR purpose = $1::consent_purpose)
     AND ($2::timestamptz IS NULL OR occurred_at >= $2::timestamptz)
     AND ($3::timestamptz IS NULL OR occurred_at < $3::timestamptz)
   ORDER BY occurred_at, id`;

/** Rows fetched per round trip of the server-side cursor. */
const CURSOR_BATCH = 1000;

/**
 * Streams consent events straight from a server-side cursor (pg-query-stream) through
 * csv-stringify (or an NDJSON transform) to the response, with back-pressure end to end: the
 * cursor fetches the next batch only when the socket has drained. Memory stays flat whatever the
 * row count.
 *
 * Exports use their own small pg.Pool (`CONSENT_EXPORT_MAX_CONCURRENT` connections), so long
 * exports can never starve the application's pool; when all are busy the request waits up to
 * 5 s, then answers 503 with Retry-After. A client that disconnects mid-stream destroys the
 * pipeline: the cursor is closed (Close + Sync, awaited) and the connection goes back to the
 * pool idle; after any other error the connection is discarded.
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
        connectionString: this.config.DATABASE_URL,
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
   * Checks out a connection and opens the cursor; returns the byte stream to send. Errors before
   * the first byte (pool exhausted, bad filter) are thrown as problems.
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
    const rows = client.query(
      new QueryStream(
        EXPORT_SQL,
        [filter.purpose ?? null, filter.from ?? null, filter.to ?? null],
        { batchSize: CURSOR_BATCH, rowMode: format === 'csv' ? 'array' : undefined },
      ),
    );
    const encoder =
      format === 'csv'
        ? stringify({
            header: true,
            columns: [...CONSENT_RECORD_COLUMNS],
            cast: { string: escapeFormula },
          })
        : new Transform({
            writableObjectMode: true,
            transform(row: unknown, _encoding, callback) {
              callback(null, `${JSON.stringify(row)}\n`);
            },
          });
    let released = false;
    const release = (discard: boolean) => {
      if (released) return;
      released = true;
      client.release(discard);
      this.active -= 1;
      if (this.active === 0) for (const resolve of this.idleWaiters.splice(0)) resolve();
    };
    return pipeline(rows, encoder, (error) => {
      const premature =
        !!error && (error as NodeJS.ErrnoException).code === 'ERR_STREAM_PREMATURE_CLOSE';
      if (error && !premature) this.logger.error(error);
      // pipeline() calls back without waiting for the destroyed cursor stream to finish closing
      // the portal (Close + Sync, answered by ReadyForQuery): release only once it has. After a
      // premature close (the client went away) the connection is clean and reused; after any
      // other error it is discarded.
      const discard = !!error && !premature;
      if (rows.closed) release(discard);
      else rows.once('close', () => release(discard));
    });
  }

  async onApplicationShutdown(): Promise<void> {
    const pool = this.poolInstance;
    this.poolInstance = null;
    if (pool) await pool.end();
  }
}
