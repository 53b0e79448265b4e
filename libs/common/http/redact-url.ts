/**
 * Query parameters whose values are credentials or one-time secrets: OAuth `code` and `state`
 * (RFC 6749), tokens of any kind, signatures of signed links, passwords.
 */
const SECRET_PARAM = /^(code|state|session_state|client_secret|password|sig|signature|.*token)$/i;

export const REDACTED = '[REDACTED]';

/**
 * A request URL fit for logs: path and query, with the value of every secret query parameter
 * replaced by `[REDACTED]` (names and other values are kept, so a log still shows what was
 * called). Works on the raw request target (`/path?query`), never throws.
 */
export function redactUrl(url: string): string {
  const at = url.indexOf('?');
  if (at < 0) return url;
  const path = url.slice(0, at);
  const query = url
    .slice(at + 1)
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      const rawName = eq < 0 ? pair : pair.slice(0, eq);
      let name = rawName;
      try {
        name = decodeURIComponent(rawName.replace(/\+/g, ' '));
      } catch {
        // A malformed escape: judge the raw name.
      }
      return eq >= 0 && SECRET_PARAM.test(name.trim()) ? `${rawName}=${REDACTED}` : pair;
    })
    .join('&');
  return `${path}?${query}`;
}
