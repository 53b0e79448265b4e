/**
 * Parses `If-Match` for a versioned resource whose ETag is the strong tag `"<version>"`.
 * Returns the versions the client claims; `undefined` when the header is absent, empty or
 * `*` (which names no version, so it cannot protect against a lost update). Weak tags never
 * match (RFC 9110 §13.1.1 uses the strong comparison); bare digits are tolerated.
 */
export function parseIfMatch(header: string | string[] | undefined): number[] | undefined {
  const raw = Array.isArray(header) ? header.join(',') : header;
  if (raw === undefined || raw.trim() === '' || raw.trim() === '*') return undefined;
  const versions: number[] = [];
  for (const part of raw.split(',')) {
    const tag = part.trim();
    const match = /^"(\d{1,10})"$/.exec(tag) ?? /^(\d{1,10})$/.exec(tag);
    if (match) versions.push(Number(match[1]));
  }
  return versions;
}
