import type { IncomingMessage, ServerResponse } from 'node:http';
import helmet, { type HelmetOptions } from 'helmet';

/** The API's helmet configuration (CSP loose enough for the Swagger UI under /docs). */
export const HELMET_OPTIONS: Readonly<HelmetOptions> = {
  contentSecurityPolicy: {
    directives: {
      defaultSrc: ["'self'"],
      styleSrc: ["'self'", "'unsafe-inline'"],
      imgSrc: ["'self'", 'data:'],
      scriptSrc: ["'self'"],
      // The API is also served over plain HTTP in development; don't rewrite asset URLs.
      upgradeInsecureRequests: null,
    },
  },
};

/**
 * The headers helmet sets for `options`, computed once. With a fixed configuration and no CSP
 * nonces they are the same for every response, and @fastify/helmet rebuilt the whole helmet
 * middleware (CSP directive parsing included) on every request: ~3 % of the API's CPU per
 * authenticated GET (bench/RESULTS.md).
 */
export function helmetHeaders(options: Readonly<HelmetOptions>): Readonly<Record<string, string>> {
  const headers: Record<string, string> = {};
  const response = {
    setHeader: (name: string, value: unknown) => {
      headers[name.toLowerCase()] = String(value);
    },
    removeHeader: (name: string) => {
      delete headers[name.toLowerCase()];
    },
  };
  helmet(options)(
    {} as IncomingMessage,
    response as unknown as ServerResponse,
    (error?: unknown) => {
      if (error) throw error;
    },
  );
  return Object.freeze(headers);
}

/**
 * The staff console's policy (`/console*` only): scripts and styles from its own bundle, no
 * inline script or style, no eval, images from itself and `blob:` (scans fetched with the
 * bearer token, the TOTP QR code), API calls to its own origin only, never framed.
 */
export const CONSOLE_HELMET_OPTIONS: Readonly<HelmetOptions> = {
  contentSecurityPolicy: {
    useDefaults: false,
    directives: {
      defaultSrc: ["'none'"],
      scriptSrc: ["'self'"],
      styleSrc: ["'self'"],
      imgSrc: ["'self'", 'blob:'],
      connectSrc: ["'self'"],
      fontSrc: ["'self'"],
      manifestSrc: ["'self'"],
      baseUri: ["'none'"],
      formAction: ["'self'"],
      frameAncestors: ["'none'"],
      objectSrc: ["'none'"],
      upgradeInsecureRequests: null,
    },
  },
  frameguard: { action: 'deny' },
};

/** Whether a request URL is the console's (its page, assets and client-side routes). */
export function isConsolePath(url: string): boolean {
  return url === '/console' || url.startsWith('/console/') || url.startsWith('/console?');
}
