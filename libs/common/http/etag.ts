import { ProblemException } from '../errors/problem.exception.js';

/** Resources with a `version` send it as a strong ETag: `"7"`. */
export function etagOf(version: number): string {
  return `"${version}"`;
}

/**
 * The version an `If-Match` header names (`"7"` or `W/"7"`), or undefined when absent.
 * A malformed value is a 400, never a silent pass.
 */
export function ifMatchVersion(header: string | string[] | undefined): number | undefined {
  if (header === undefined) return undefined;
  const value = Array.isArray(header) ? header[0] : header;
  const match = /^\s*(?:W\/)?"(\d{1,9})"\s*$/.exec(value ?? '');
  if (!match) {
    throw new ProblemException(400, 'INVALID_IF_MATCH', 'If-Match must be an ETag such as "3".', {
      errors: { 'If-Match': ['must be an ETag such as "3"'] },
    });
  }
  return Number(match[1]);
}

export function preconditionFailed(current: number): ProblemException {
  return new ProblemException(
    412,
    'PRECONDITION_FAILED',
    'The resource changed since you read it; fetch it again and retry.',
    { currentVersion: current, headers: { ETag: etagOf(current) } },
  );
}

export function preconditionRequired(): ProblemException {
  return new ProblemException(428, 'PRECONDITION_REQUIRED', 'Send If-Match with the current ETag.');
}
