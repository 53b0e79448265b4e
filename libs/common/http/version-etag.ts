import { badRequest, ProblemException } from '../errors/problem.exception.js';

/** The ETag of a resource with an integer `version` column: `"<version>"`. */
export function etagOf(version: number): string {
  return `"${version}"`;
}

/**
 * The version an `If-Match` header asks for (`"3"` or `W/"3"`), or undefined when the header
 * is absent (updates that do not require it honour it when sent). Anything else → 400.
 */
export function versionFromIfMatch(header: string | string[] | undefined): number | undefined {
  if (header === undefined) return undefined;
  const value = Array.isArray(header) ? header[0] : header;
  const match = /^\s*(?:W\/)?"(\d{1,9})"\s*$/.exec(value ?? '');
  if (!match) {
    throw badRequest('INVALID_IF_MATCH', 'If-Match must be the ETag of the resource, e.g. "3".', {
      errors: { 'If-Match': ['If-Match must be a quoted version, e.g. "3"'] },
    });
  }
  return Number(match[1]);
}

/** 412: the `If-Match` version is not the current one. Carries the current ETag. */
export function preconditionFailed(currentVersion: number, what = 'resource'): ProblemException {
  return new ProblemException(
    412,
    'PRECONDITION_FAILED',
    `The ${what} has changed since you read it (now version ${currentVersion}); fetch it again and retry.`,
    { currentVersion, headers: { ETag: etagOf(currentVersion) } },
  );
}

/** 428: this update requires `If-Match`. */
export function preconditionRequired(what = 'resource'): ProblemException {
  return new ProblemException(
    428,
    'PRECONDITION_REQUIRED',
    `Send If-Match with the ETag of the ${what} you are changing.`,
  );
}
