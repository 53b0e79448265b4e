import { badRequest } from '../errors/problem.exception.js';

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
