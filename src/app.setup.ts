import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { Logger as NestLogger } from '@nestjs/common';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import multipart from '@fastify/multipart';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Logger } from 'nestjs-pino';
import { sendProblem } from '#libs/common/errors/problem-details.filter.js';
import { API_PREFIX } from '#libs/common/http/api-prefix.js';
import { loadSwagger } from '#libs/common/openapi/api-docs.js';
import { buildOpenApiDocument } from '#platform/openapi-document.js';
import type { AppConfig } from './config/app-config.js';
import { registerConsole } from './platform/console-static.js';
import {
  CONSOLE_HELMET_OPTIONS,
  HELMET_OPTIONS,
  helmetHeaders,
  isConsolePath,
} from './platform/security-headers.js';

export { buildOpenApiDocument };

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * Headers for answers Fastify sends before any hook runs (a malformed URL): helmet's onRequest
 * hook never sees those requests, so they get the essentials here.
 */
const EARLY_ERROR_HEADERS: Record<string, string> = {
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'SAMEORIGIN',
  'content-security-policy': "default-src 'none'; frame-ancestors 'self'",
  'referrer-policy': 'no-referrer',
  'cross-origin-resource-policy': 'same-origin',
  'strict-transport-security': 'max-age=31536000; includeSubDomains',
};

const earlyErrorLogger = new NestLogger('Router');

/** The Fastify adapter with the body limit and request ids (incoming X-Request-Id or a UUID). */
/** `TRUST_PROXY` as the list Fastify (proxy-addr) takes; false when none is configured. */
export function trustedProxies(value: string | undefined): string[] | false {
  const list = (value ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
  return list.length > 0 ? list : false;
}

export function createFastifyAdapter(config: AppConfig): FastifyAdapter {
  return new FastifyAdapter({
    bodyLimit: config.BODY_LIMIT_BYTES,
    // Only the configured proxies may speak for the client (X-Forwarded-For); request.ip is then
    // the right-most address not among them, and keys rate limits, lockouts, sessions, consent
    // and audit events. proxy-addr refuses an invalid address at boot.
    trustProxy: trustedProxies(config.TRUST_PROXY),
    requestIdHeader: false,
    genReqId: (request: IncomingMessage) => {
      const incoming = request.headers['x-request-id'];
      return typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
    },
    routerOptions: { maxParamLength: 200 },
    // Router-level refusals (bad percent-encoding, over-long path parameters) are problem details
    // like every other error, not Fastify's own JSON.
    frameworkErrors: (error: Error, request: FastifyRequest, reply: FastifyReply) => {
      void reply.headers({ ...EARLY_ERROR_HEADERS, 'x-request-id': String(request.id) });
      sendProblem(error, request, reply, earlyErrorLogger);
    },
    // On shutdown: answer 503 on kept-alive connections, close idle ones, finish in-flight requests.
    return503OnClosing: true,
    forceCloseConnections: 'idle',
  });
}

/**
 * Everything around the module graph: used by main.ts and by the tests, so tests run the real
 * app. Call before `app.init()`/`listen()`.
 */
export async function setupApp(app: NestFastifyApplication, config: AppConfig): Promise<void> {
  app.useLogger(app.get(Logger));
  app.flushLogs();
  app.setGlobalPrefix(API_PREFIX);
  // No enableShutdownHooks(): main.ts owns SIGTERM/SIGINT (readiness 503, grace, drain, then the
  // embedded database); Nest's handler closed the app at once and re-sent the signal, killing the
  // process mid-shutdown. app.close() still runs every shutdown hook.

  const origins = config.CORS_ORIGINS.split(',')
    .map((origin) => origin.trim())
    .filter(Boolean);
  app.enableCors({
    origin: origins.length > 0 ? origins : false,
    exposedHeaders: ['ETag', 'Retry-After', 'X-Request-Id', 'Location'],
    allowedHeaders: [
      'Authorization',
      'Content-Type',
      'If-Match',
      'Idempotency-Key',
      'X-Request-Id',
    ],
    maxAge: 600,
  });

  // multipart/form-data (document scans): parsed only by the routes that call request.parts(),
  // streamed, never written to disk; JSON routes are unchanged. Per-route limits are set there.
  await app.register(multipart, { limits: { fileSize: config.DOCUMENT_FILE_MAX_BYTES } });

  const fastify = app.getHttpAdapter().getInstance();
  // Helmet's headers, computed once and set on every answer (same headers as @fastify/helmet,
  // which rebuilt the helmet middleware per request).
  const securityHeaders = helmetHeaders(HELMET_OPTIONS);
  const consoleHeaders = helmetHeaders(CONSOLE_HELMET_OPTIONS);
  fastify.addHook('onRequest', (request, reply, done) => {
    (request.raw as typeof request.raw & { id: string }).id = String(request.id);
    void reply.headers(isConsolePath(request.url) ? consoleHeaders : securityHeaders);
    void reply.header('x-request-id', request.id);
    done();
  });

  // A JSON body over BODY_LIMIT_BYTES is refused before it is read, and Fastify then closes the
  // connection. Closing a socket that still has unread request data makes the kernel send a
  // reset, which can destroy the 413 before the client reads it. Up to a cap of declared
  // length, keep the connection instead: Node reads and discards the rest of the body after the
  // answer, so the client always gets its problem JSON. Beyond the cap, closing is the defence.
  const drainCap = Math.max(8 * config.BODY_LIMIT_BYTES, 16 * 1024 * 1024);
  fastify.addHook('onSend', (request, reply, payload, done) => {
    if (reply.statusCode === 413 && !request.raw.complete) {
      const declared = Number(request.headers['content-length']);
      if (Number.isSafeInteger(declared) && declared <= drainCap) reply.removeHeader('connection');
    }
    done(null, payload);
  });

  // Production serves no Swagger UI or spec unless SWAGGER_ENABLED=true (it maps the attack
  // surface); the committed openapi/openapi.json documents the API. @nestjs/swagger itself is
  // loaded only here (the API decorators wait for it: libs/common/openapi/api-docs.ts).
  if (config.NODE_ENV !== 'production' || config.SWAGGER_ENABLED) {
    const { SwaggerModule } = await loadSwagger();
    SwaggerModule.setup('docs', app, () => buildOpenApiDocument(app), {
      jsonDocumentUrl: 'docs-json',
      useGlobalPrefix: false,
    });
  }
  // The staff console (dist/console, built by `npm run build`): same process, same origin.
  await registerConsole(fastify);
}
