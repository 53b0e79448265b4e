import type { ProblemException } from '#libs/common/errors/problem.exception.js';
import { tooManyRequests } from '#libs/common/http/rate-limit.js';

const MAX_LOCKOUT_SECONDS = 3600;

/** Seconds of lockout after `failures` consecutive failures (0 while under the limit). */
export function lockoutSeconds(failures: number, maxFailures: number, baseSeconds: number): number {
  if (failures < maxFailures) return 0;
  return Math.min(MAX_LOCKOUT_SECONDS, baseSeconds * 2 ** Math.min(failures - maxFailures, 20));
}

export function lockedProblem(msBeforeNext: number): ProblemException {
  return tooManyRequests(
    'ACCOUNT_TEMPORARILY_LOCKED',
    'Too many failed sign-ins; this account is temporarily locked.',
    msBeforeNext,
  );
}
