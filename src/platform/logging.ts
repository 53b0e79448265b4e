import type { IncomingMessage } from 'node:http';
import type { Params } from 'nestjs-pino';
import { redactUrl } from '#libs/common/http/redact-url.js';
import type { AppConfig } from '../config/app-config.js';

/**
 * JSON lines with the request id on every line. Only method, URL, status and timing are
 * logged for requests: never bodies, never credentials; secret query values (OAuth `code` and
 * `state`, tokens, signatures) are replaced by `[REDACTED]`.
 */
export function loggerParams(config: AppConfig): Params {
  return {
    pinoHttp: {
      level: config.LOG_LEVEL,
      genReqId: (request: IncomingMessage) => (request as IncomingMessage & { id: string }).id,
      customAttributeKeys: { reqId: 'requestId' },
      redact: { paths: ['req.headers.authorization', 'req.headers.cookie'], remove: true },
      // Our serializers read the raw request/response themselves: pino-http's wrapping would first
      // build the standard serialised request (headers, remote address…) on every request only for
      // `req` below to keep four fields of it (bench/RESULTS.md, issue 22 item 1).
      wrapSerializers: false,
      serializers: {
        req: (request: { id: string; method: string; url: string }) => ({
          id: request.id,
          method: request.method,
          path: request.url.split('?')[0],
          url: redactUrl(request.url),
        }),
        res: (response: { statusCode: number }) => ({ statusCode: response.statusCode }),
      },
    },
  };
}
