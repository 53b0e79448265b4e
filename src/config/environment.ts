import { availableParallelism } from 'node:os';
import { plainToInstance, Transform } from 'class-transformer';
import {
  IsBase64,
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  MinLength,
  getMetadataStorage,
  validateSync,
} from 'class-validator';

export const NODE_ENVS = ['development', 'test', 'production'] as const;
export type NodeEnv = (typeof NODE_ENVS)[number];

/**
 * The one validated environment schema. Every key is documented in `.env.example`.
 * Add a key here (with a default) and there; nothing else reads `process.env`.
 */
export class EnvironmentVariables {
  @IsIn(NODE_ENVS)
  NODE_ENV: NodeEnv = 'development';

  @IsInt()
  @Min(0)
  @Max(65535)
  PORT: number = 3000;

  @IsString()
  HOST: string = '0.0.0.0';

  /** Where development secrets, the embedded database and the mail outbox live. */
  @IsString()
  VAR_DIR: string = './var';

  /** PostgreSQL connection string; when unset, an embedded PostgreSQL is started (not in production). */
  @IsOptional()
  @Matches(/^postgres(ql)?:\/\//, { message: 'DATABASE_URL must be a postgres:// URL' })
  DATABASE_URL?: string;

  @IsInt()
  @Min(1)
  @Max(200)
  DATABASE_POOL_SIZE: number = 10;

  /** Connections of the separate pool that streams consent-record exports (= concurrent exports). */
  @IsInt()
  @Min(1)
  @Max(20)
  CONSENT_EXPORT_MAX_CONCURRENT: number = 2;

  /**
   * Where the export pool connects; unset = DATABASE_URL. Behind PgBouncer in transaction mode,
   * point it at a session-mode pool or at PostgreSQL itself: a client that disconnects cancels
   * the running COPY by its backend pid, which must be the export connection's own.
   */
  @IsOptional()
  @Matches(/^postgres(ql)?:\/\//, {
    message: 'CONSENT_EXPORT_DATABASE_URL must be a postgres:// URL',
  })
  CONSENT_EXPORT_DATABASE_URL?: string;

  /** Seconds between scheduled retention runs; 0 disables the schedule (manual runs only). */
  @IsInt()
  @Min(0)
  @Max(604800)
  RETENTION_INTERVAL_SECONDS: number = 3600;

  /**
   * Period of the privacy-request digest mailed to compliance staff (once per period across
   * instances; checked hourly); 0 disables it.
   */
  @IsInt()
  @Min(0)
  @Max(604800)
  PRIVACY_DIGEST_INTERVAL_SECONDS: number = 86400;

  /** Rows deleted per statement (and per transaction) by the retention purge. */
  @IsInt()
  @Min(1)
  @Max(100000)
  RETENTION_BATCH_SIZE: number = 1000;
  /**
   * Comma-separated read-replica URLs. Routes that may serve slightly stale data (lists, exports)
   * read from them; everything else, and everything that reads its own writes, uses the primary.
   */
  @IsOptional()
  @Matches(/^postgres(ql)?:\/\/[^,]+(,postgres(ql)?:\/\/[^,]+)*$/, {
    message: 'DATABASE_REPLICA_URLS must be comma-separated postgres:// URLs',
  })
  DATABASE_REPLICA_URLS?: string;

  /**
   * Apply pending migrations at start-up (under an advisory lock). Production deployments that
   * run `migration:run` as a release step set this to false.
   */
  @Transform(({ obj }: { obj: Record<string, unknown> }) => parseBoolean(obj.MIGRATE_ON_START))
  @IsBoolean()
  MIGRATE_ON_START: boolean = true;

  /** On SIGTERM, readiness turns 503 this long before the server stops accepting connections. */
  @IsInt()
  @Min(0)
  @Max(120)
  SHUTDOWN_GRACE_SECONDS: number = 0;

  /** In-flight requests get this long to finish after SIGTERM before the process exits anyway. */
  @IsInt()
  @Min(1)
  @Max(600)
  SHUTDOWN_TIMEOUT_SECONDS: number = 25;

  @IsInt()
  @Min(1024)
  @Max(65535)
  EMBEDDED_PG_PORT: number = 54329;

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL: string = 'info';

  /**
   * Comma-separated addresses or CIDR ranges of the reverse proxies / load balancers in front of
   * the API. X-Forwarded-For is honoured only on connections from them, and the client is the
   * right-most address not in the list. Empty (default): the connection's address is the client.
   */
  @IsOptional()
  @Matches(/^\s*[0-9a-fA-F:.]+(\/\d{1,3})?\s*(,\s*[0-9a-fA-F:.]+(\/\d{1,3})?\s*)*$/, {
    message: 'TRUST_PROXY must be comma-separated IP addresses or CIDR ranges',
  })
  TRUST_PROXY?: string;

  /** Serve Swagger UI and the spec at /docs in production too (always on elsewhere). */
  @Transform(({ obj }: { obj: Record<string, unknown> }) =>
    obj.SWAGGER_ENABLED === undefined ? false : parseBoolean(obj.SWAGGER_ENABLED),
  )
  @IsBoolean()
  SWAGGER_ENABLED: boolean = false;

  /** Comma-separated list of allowed browser origins; empty means no cross-origin access. */
  @IsString()
  CORS_ORIGINS: string = '';

  @IsInt()
  @Min(1024)
  @Max(50 * 1024 * 1024)
  BODY_LIMIT_BYTES: number = 1024 * 1024;

  /** HMAC secret for access tokens (HS256); at least 32 characters. */
  @IsOptional()
  @IsString()
  @MinLength(32)
  JWT_SECRET?: string;

  /** Rotation: comma-separated secrets, the first signs, every one verifies (instead of JWT_SECRET). */
  @IsOptional()
  @IsString()
  JWT_SECRETS?: string;

  @IsString()
  JWT_ISSUER: string = 'pathavana';

  @IsString()
  JWT_AUDIENCE: string = 'pathavana-api';

  @IsInt()
  @Min(30)
  @Max(3600)
  JWT_ACCESS_TTL_SECONDS: number = 900;

  @IsInt()
  @Min(60)
  REFRESH_IDLE_TTL_SECONDS: number = 14 * 24 * 3600;

  @IsInt()
  @Min(60)
  REFRESH_ABSOLUTE_TTL_SECONDS: number = 60 * 24 * 3600;

  @IsInt()
  @Min(0)
  @Max(300)
  REFRESH_REUSE_GRACE_SECONDS: number = 10;

  /** 32-byte AES-256-GCM key, base64. */
  @IsOptional()
  @IsBase64()
  DATA_ENCRYPTION_KEY?: string;

  /** Rotation: `label:base64,label2:base64` (instead of DATA_ENCRYPTION_KEY); every key decrypts. */
  @IsOptional()
  @IsString()
  DATA_ENCRYPTION_KEYS?: string;

  /** The label in DATA_ENCRYPTION_KEYS that encrypts (optional with a single key). */
  @IsOptional()
  @IsString()
  DATA_ENCRYPTION_KEY_ID?: string;

  /** 32-byte base64 key of the document-number blind index; never rotates (see docs/deployment.md). */
  @IsOptional()
  @IsString()
  BLIND_INDEX_KEY?: string;

  @IsInt()
  @Min(1)
  THROTTLE_LIMIT: number = 300;

  @IsInt()
  @Min(1)
  THROTTLE_TTL_SECONDS: number = 60;

  @IsInt()
  @Min(1)
  AUTH_THROTTLE_LIMIT: number = 30;

  /** Requests per window per client on expensive routes (exports, chain verification). */
  @IsInt()
  @Min(1)
  EXPENSIVE_THROTTLE_LIMIT: number = 10;

  /** Failed logins in a row of one account from one client address before that pair locks. */
  @IsInt()
  @Min(1)
  LOGIN_MAX_FAILURES: number = 5;

  /** Failed logins of one account from all addresses together, per hour, before it locks. */
  @IsInt()
  @Min(1)
  LOGIN_MAX_FAILURES_PER_ACCOUNT: number = 100;

  /** First lockout length; each further failure while over the limit doubles it (max 1 h). */
  @IsInt()
  @Min(1)
  @Max(3600)
  LOGIN_LOCKOUT_SECONDS: number = 60;

  /** Wrong second-factor codes in a row for one account before 429 TOO_MANY_MFA_FAILURES. */
  @IsInt()
  @Min(1)
  MFA_MAX_FAILURES: number = 5;

  /** How long a sign-in counts as recent for sensitive routes (step-up). */
  @IsInt()
  @Min(30)
  @Max(86400)
  STEP_UP_MAX_AGE_SECONDS: number = 600;

  /** smtp(s)://user:pass@host:port; when unset, mail is written as .eml files to MAIL_OUTBOX_DIR. */
  @IsOptional()
  @Matches(/^smtps?:\/\//, { message: 'SMTP_URL must be an smtp:// or smtps:// URL' })
  SMTP_URL?: string;

  @IsOptional()
  @IsString()
  MAIL_OUTBOX_DIR?: string;

  @IsString()
  MAIL_FROM: string = 'Pathavana <no-reply@pathavana.local>';

  /** Base URL used in links sent by mail. */
  @IsString()
  PUBLIC_BASE_URL: string = 'http://localhost:3000';

  /** Largest accepted document scan (bytes), enforced while the upload streams in. */
  @IsInt()
  @Min(1024)
  @Max(50 * 1024 * 1024)
  DOCUMENT_FILE_MAX_BYTES: number = 10 * 1024 * 1024;

  /**
   * Document images decoded/re-encoded at once (each on a libuv thread), per process. By default
   * one fewer than the cores (at least 1), like argon2's gate: libvips is CPU-bound, and as many
   * images as cores take every core from the event loop (bench/RESULTS.md, evidence uploads).
   */
  @IsInt()
  @Min(1)
  @Max(16)
  DOCUMENT_IMAGE_CONCURRENCY: number = Math.max(1, availableParallelism() - 1);

  /**
   * Document uploads read and processed at once per process (the others wait, their bodies
   * unread): bounds a burst's memory to this many × DOCUMENT_FILE_MAX_BYTES and keeps the event
   * loop responsive. By default the number of cores.
   */
  @IsInt()
  @Min(1)
  @Max(64)
  DOCUMENT_UPLOADS_AT_ONCE: number = availableParallelism();

  /** Seconds an upload may wait for a free slot before 503 UPLOADS_BUSY (Retry-After). */
  @IsInt()
  @Min(1)
  @Max(300)
  DOCUMENT_UPLOAD_WAIT_SECONDS: number = 30;

  /** Seconds between scheduled travel-document expiry sweeps; 0 disables the timer. */
  @IsInt()
  @Min(0)
  @Max(7 * 24 * 3600)
  DOCUMENT_EXPIRY_SWEEP_SECONDS: number = 3600;

  /**
   * Lease of an in-flight `Idempotency-Key`: a request that crashed mid-flight holds its key this
   * long, then a retry with the same body takes over. Keep it above the slowest provider call.
   */
  @IsInt()
  @Min(5)
  @Max(24 * 3600)
  IDEMPOTENCY_IN_FLIGHT_LEASE_SECONDS: number = 300;

  /**
   * Seconds between cancellation reconciliations (one instance per period): claims whose record
   * step never ran are settled from the provider's state. 0 disables the timer.
   */
  @IsInt()
  @Min(0)
  @Max(24 * 3600)
  BOOKING_CANCELLATION_RECONCILE_SECONDS: number = 300;

  /**
   * Key of the HMAC-SHA256 signatures on provider events (`POST /providers/:provider/events`),
   * for every provider without its own `PROVIDER_WEBHOOK_SECRET_<NAME>`. Unset: events are
   * refused (401) unless the provider has its own secret.
   */
  @IsOptional()
  @IsString()
  @MinLength(16)
  PROVIDER_WEBHOOK_SECRET?: string;

  /**
   * Where the sandbox provider POSTs its own signed events (`booking.confirmed` / `booking.failed`
   * when a pending sandbox booking resolves), e.g. this app's
   * `http://127.0.0.1:3000/api/v1/providers/sandbox/events`, so the webhook path runs without an
   * outside service. Signed with the sandbox's webhook secret; delivered at least once, retried
   * with backoff, never on the request path. Unset: the sandbox sends nothing (the status sync
   * settles its pending bookings).
   */
  @IsOptional()
  @Matches(/^https?:\/\/[^\s]+$/, { message: 'SANDBOX_PROVIDER_EVENTS_URL must be an http(s) URL' })
  SANDBOX_PROVIDER_EVENTS_URL?: string;

  /** Seconds between status syncs of pending bookings with their provider; 0 disables it. */
  @IsInt()
  @Min(0)
  @Max(24 * 3600)
  BOOKING_STATUS_SYNC_SECONDS: number = 60;

  @IsOptional()
  @Matches(/^rediss?:\/\//, { message: 'REDIS_URL must be a redis:// URL' })
  REDIS_URL?: string;

  /** Prefix of every Redis key, so several deployments (or test runs) can share one Redis. */
  @IsString()
  @Matches(/^[A-Za-z0-9:_-]{1,64}$/, { message: 'REDIS_KEY_PREFIX must be 1-64 of [A-Za-z0-9:_-]' })
  REDIS_KEY_PREFIX: string = 'pathavana:';
}

export class ConfigError extends Error {}

/** `true`/`false` (any case) or `1`/`0`; anything else stays as it is and fails validation. */
function parseBoolean(value: unknown): unknown {
  if (value === undefined || typeof value === 'boolean') return value ?? true;
  const text = String(value).trim().toLowerCase();
  if (text === 'true' || text === '1') return true;
  if (text === 'false' || text === '0') return false;
  return value;
}

/** Parses and validates raw environment values; throws a ConfigError listing every problem. */
export function parseEnvironment(raw: Record<string, string | undefined>): EnvironmentVariables {
  const defined = Object.fromEntries(
    Object.entries(raw).filter(([, value]) => value !== undefined && value !== ''),
  );
  const env = plainToInstance(EnvironmentVariables, defined, { enableImplicitConversion: true });
  const errors = validateSync(env, { skipMissingProperties: false });
  if (errors.length > 0) {
    const lines = errors.map(
      (error) => `  ${error.property}: ${Object.values(error.constraints ?? {}).join('; ')}`,
    );
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  // Keep only the schema's keys so the config object never carries unrelated environment.
  const keys = getMetadataStorage()
    .getTargetValidationMetadatas(EnvironmentVariables, '', true, false)
    .map((metadata) => metadata.propertyName as keyof EnvironmentVariables);
  return Object.assign(
    new EnvironmentVariables(),
    Object.fromEntries(
      [...new Set(keys)].filter((key) => env[key] !== undefined).map((key) => [key, env[key]]),
    ),
  );
}
