import { ProblemException } from './problem.exception.js';

const Problem = ProblemException;

/**
 * Maps database constraint names to problem codes. Modules register their constraints
 * (`registerConstraint('uq_users_email', 409, 'EMAIL_TAKEN', 'This email is already registered.')`)
 * so a unique or foreign-key violation becomes a meaningful 409 instead of a 500.
 */
const registry = new Map<string, { status: number; code: string; detail: string }>();

export function registerConstraint(
  constraint: string,
  status: number,
  code: string,
  detail: string,
): void {
  registry.set(constraint, { status, code, detail });
}

interface PgError {
  code?: string;
  constraint?: string;
}

const CONNECTION_ERROR_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now
  '08000',
  '08003',
  '08006',
  '53300', // too_many_connections
]);

const CONNECTION_MESSAGES = [
  'Connection terminated',
  'timeout exceeded when trying to connect',
  'Client has encountered a connection error',
  'Connection ended unexpectedly',
];

/** Turns a database error into a problem, or returns undefined when it is not one we know. */
export function problemFromDatabaseError(error: unknown): ProblemException | undefined {
  // Duck-typed, not `instanceof Error`: socket errors raised by Node's own `net` module come
  // from another realm in some runtimes (jest's VM contexts) and must still map to 503.
  if (typeof error !== 'object' || error === null || !('message' in error)) return undefined;
  const driver = ((error as { driverError?: PgError }).driverError ?? error) as PgError & Error;
  const code = driver.code;
  if (code && CONNECTION_ERROR_CODES.has(code)) return databaseUnavailable();
  if (CONNECTION_MESSAGES.some((message) => driver.message?.includes(message))) {
    return databaseUnavailable();
  }
  const known = driver.constraint ? registry.get(driver.constraint) : undefined;
  if (known) return new Problem(known.status, known.code, known.detail);
  switch (code) {
    case '23505':
      return new Problem(409, 'CONFLICT', 'The resource conflicts with an existing one.');
    case '23503':
      return new Problem(409, 'REFERENCE_CONFLICT', 'A referenced resource does not exist.');
    case '40001':
    case '40P01':
      return new Problem(409, 'CONCURRENT_UPDATE', 'A concurrent update won; retry the request.');
    case '23502': // not_null_violation: a required value was cleared
    case '22P02':
    case '22007':
    case '22008':
    case '22003':
    case '22001':
    case '23514':
    case '22023':
    case '22021': // character_not_in_repertoire: a NUL byte in text
    case '22P05': // untranslatable_character: \u0000 in jsonb
      return new Problem(400, 'INVALID_INPUT', 'A value is out of range or malformed.');
    default:
      return undefined;
  }
}

function databaseUnavailable(): ProblemException {
  return new Problem(503, 'DATABASE_UNAVAILABLE', 'The database is unavailable; retry shortly.', {
    headers: { 'Retry-After': '1' },
  });
}
