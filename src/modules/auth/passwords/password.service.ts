import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { Injectable } from '@nestjs/common';
import argon2 from 'argon2';
import pLimit from 'p-limit';
import { unprocessable } from '#libs/common/errors/problem.exception.js';

/** OWASP argon2id parameters: 19 MiB, 2 iterations, 1 lane. */
export const ARGON2_OPTIONS = {
  type: argon2.argon2id,
  memoryCost: 19456,
  timeCost: 2,
  parallelism: 1,
} as const;

export const PASSWORD_MIN_LENGTH = 8;
export const PASSWORD_MAX_LENGTH = 128;

/** The shipped list of common passwords (one per line, compared lower-cased). */
function loadCommonPasswords(): ReadonlySet<string> {
  // Read from the source tree: the file sits next to this module in src/ (dist has no copy).
  const candidates = [
    new URL('./common-passwords.txt', import.meta.url),
    new URL('../../../../../src/modules/auth/passwords/common-passwords.txt', import.meta.url),
  ];
  for (const file of candidates) {
    try {
      return new Set(
        readFileSync(file, 'utf8')
          .split('\n')
          .map((line) => line.trim().toLowerCase())
          .filter((line) => line.length > 0),
      );
    } catch {
      // try the next location
    }
  }
  throw new Error('common-passwords.txt not found');
}

const COMMON_PASSWORDS = loadCommonPasswords();

/** Why a password is refused, or null when it is acceptable. */
export function passwordPolicyViolation(password: string, email?: string): string | null {
  const length = [...password].length;
  if (length < PASSWORD_MIN_LENGTH) return `must be at least ${PASSWORD_MIN_LENGTH} characters`;
  if (length > PASSWORD_MAX_LENGTH) return `must be at most ${PASSWORD_MAX_LENGTH} characters`;
  const lower = password.toLowerCase();
  if (COMMON_PASSWORDS.has(lower)) return 'is too common; choose another';
  if (email && lower === email.toLowerCase()) return 'must not be your email address';
  return null;
}

/**
 * argon2 runs on libuv's thread pool (4 threads by default). On a machine with few cores, four
 * hashes at once take every core from the event loop, and every other request waits (measured:
 * /health/live p99 103 ms during a login flood on 2 cores). At most `cores − 1` hashes at a time
 * keeps one core for the loop; the rest wait in a queue, costing no throughput (argon2 is
 * CPU-bound either way).
 */
export const ARGON2_CONCURRENCY = Math.max(1, availableParallelism() - 1);

@Injectable()
export class PasswordService {
  private dummyHash: Promise<string> | undefined;
  private readonly gate = pLimit(ARGON2_CONCURRENCY);

  /** 422 WEAK_PASSWORD with the field error, when the policy refuses it. */
  assertAcceptable(password: string, email?: string, field = 'password'): void {
    const violation = passwordPolicyViolation(password, email);
    if (violation) {
      throw unprocessable('WEAK_PASSWORD', `The password ${violation}.`, {
        errors: { [field]: [`${field} ${violation}`] },
      });
    }
  }

  hash(password: string): Promise<string> {
    return this.gate(() => argon2.hash(password, ARGON2_OPTIONS));
  }

  async verify(hash: string, password: string): Promise<boolean> {
    try {
      return await this.gate(() => argon2.verify(hash, password));
    } catch {
      return false;
    }
  }

  needsRehash(hash: string): boolean {
    try {
      return argon2.needsRehash(hash, ARGON2_OPTIONS);
    } catch {
      return true;
    }
  }

  /** Spends the same time as a real verify, for unknown emails and password-less accounts. */
  async dummyVerify(password: string): Promise<void> {
    this.dummyHash ??= this.hash('dummy-password-for-timing-only');
    await this.verify(await this.dummyHash, password);
  }
}
