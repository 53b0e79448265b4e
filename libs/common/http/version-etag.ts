import { badRequest, ProblemException } from '../errors/problem.exception.js';

/** The ETag of a resource with an integer `version` column: `"<version>"`. */
export function etagOf(version: number): string {
  return `"${version}"`;
}

const STRONG_TAG = /^"([\x21\x23-\x7e]*)"$/;
const WEAK_TAG = /^W\/"[\x21\x23-\x7e]*"$/;

/**
 * The one `If-Match` parser (RFC 9110 §13.1.1). Returns the versions the client accepts, or
 * undefined when the header is absent, empty or `*` (which names no version: an update that
 * requires If-Match answers 428, one that honours it proceeds). Comparison is strong: a weak
 * tag (`W/"3"`) or a tag that is not one of our versions never matches (412 from the caller).
 * A header that is not a list of entity-tags → 400 `INVALID_IF_MATCH`.
 */
export function parseIfMatch(header: string | string[] | undefined): number[] | undefined {
  const raw = Array.isArray(header) ? header.join(',') : header;
  if (raw === undefined || raw.trim() === '' || raw.trim() === '*') return undefined;
  const versions: number[] = [];
  for (const part of raw.split(',')) {
    const tag = part.trim();
    const strong = STRONG_TAG.exec(tag);
    if (strong) {
      if (/^\d{1,9}$/.test(strong[1] ?? '')) versions.push(Number(strong[1]));
    } else if (!WEAK_TAG.test(tag)) {
      throw badRequest('INVALID_IF_MATCH', 'If-Match must be the ETag of the resource, e.g. "3".', {
        errors: { 'If-Match': ['If-Match must be a list of quoted ETags, e.g. "3"'] },
      });
    }
  }
  return versions;
}

/** Version 0 never exists (versions start at 1): an If-Match naming none of ours fails with 412. */
const NO_VERSION = 0;

/**
 * `parseIfMatch` for updates that compare one expected version (services take
 * `expectedVersion?: number`): undefined when not sent; the version when the header names one;
 * a version that never matches when it names none of ours. Several versions → 400.
 */
export function versionFromIfMatch(header: string | string[] | undefined): number | undefined {
  const versions = parseIfMatch(header);
  if (versions === undefined) return undefined;
  if (versions.length > 1) {
    throw badRequest('INVALID_IF_MATCH', 'Send the one ETag of the version you are changing.', {
      errors: { 'If-Match': ['If-Match must name one version here'] },
    });
  }
  return versions[0] ?? NO_VERSION;
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
