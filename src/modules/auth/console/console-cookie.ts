import type { FastifyReply, FastifyRequest } from 'fastify';
import { forbidden } from '#libs/common/errors/problem.exception.js';
import { API_PREFIX } from '#libs/common/http/api-prefix.js';

/** The console's refresh-token cookie: httpOnly, Secure, SameSite=Strict, sent only to refresh. */
export const CONSOLE_REFRESH_COOKIE = 'pathavana_console_refresh';
export const CONSOLE_REFRESH_PATH = `${API_PREFIX}/auth/console/refresh`;

export function readConsoleRefreshCookie(request: FastifyRequest): string | null {
  const header = request.headers.cookie;
  if (typeof header !== 'string') return null;
  for (const part of header.split(';')) {
    const separator = part.indexOf('=');
    if (separator < 0) continue;
    if (part.slice(0, separator).trim() !== CONSOLE_REFRESH_COOKIE) continue;
    const value = part.slice(separator + 1).trim();
    // Refresh tokens are URL-safe (base64url + dots); anything else is not ours.
    return /^[A-Za-z0-9._~-]{1,256}$/.test(value) ? value : null;
  }
  return null;
}

export function setConsoleRefreshCookie(
  reply: FastifyReply,
  token: string,
  maxAgeSeconds: number,
): void {
  void reply.header(
    'set-cookie',
    `${CONSOLE_REFRESH_COOKIE}=${token}; Path=${CONSOLE_REFRESH_PATH}; Max-Age=${maxAgeSeconds}; HttpOnly; Secure; SameSite=Strict`,
  );
  void reply.header('cache-control', 'no-store');
}

export function clearConsoleRefreshCookie(reply: FastifyReply): void {
  void reply.header(
    'set-cookie',
    `${CONSOLE_REFRESH_COOKIE}=; Path=${CONSOLE_REFRESH_PATH}; Max-Age=0; HttpOnly; Secure; SameSite=Strict`,
  );
}

/**
 * Cookie-authenticated requests must come from the console's own origin: the browser always
 * sends `Origin` on a POST, so a missing or foreign one is a cross-site request (CSRF) → 403.
 */
export function assertSameOrigin(request: FastifyRequest): void {
  if (!sameOrigin(request.headers.origin, request.headers.host)) {
    throw forbidden('CROSS_ORIGIN_REQUEST', 'This request must come from the console itself.');
  }
}

/** Origin and Host name the same host and port (default ports normalised by the URL parser). */
export function sameOrigin(origin: unknown, host: unknown): boolean {
  if (typeof origin !== 'string' || typeof host !== 'string' || host === '') return false;
  try {
    const from = new URL(origin);
    if (from.protocol !== 'https:' && from.protocol !== 'http:') return false;
    return from.host === new URL(`${from.protocol}//${host}`).host;
  } catch {
    return false;
  }
}
