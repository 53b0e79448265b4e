import {
  type ArgumentsHost,
  Catch,
  type ExceptionFilter,
  HttpException,
  HttpStatus,
  Logger,
  NotFoundException,
} from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { redactUrl } from '../http/redact-url.js';
import { problemFromDatabaseError } from './constraint-codes.js';
import { ProblemException, type FieldErrors } from './problem.exception.js';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  errors?: FieldErrors;
  requestId: string;
  [member: string]: unknown;
}

const DEFAULT_CODES: Record<number, string> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  406: 'NOT_ACCEPTABLE',
  409: 'CONFLICT',
  412: 'PRECONDITION_FAILED',
  413: 'PAYLOAD_TOO_LARGE',
  414: 'URI_TOO_LONG',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  422: 'UNPROCESSABLE',
  428: 'PRECONDITION_REQUIRED',
  429: 'RATE_LIMITED',
  503: 'SERVICE_UNAVAILABLE',
};

/** Fastify's own client errors (body parsing, content type, size) keep their status. */
const FASTIFY_CODES: Record<string, string> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_BODY_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'MALFORMED_JSON',
  FST_ERR_CTP_INVALID_JSON_BODY: 'MALFORMED_JSON',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'BAD_REQUEST',
  FST_ERR_CTP_INVALID_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_BAD_URL: 'MALFORMED_URL',
  FST_ERR_MAX_PARAM_LENGTH: 'URI_TOO_LONG',
};

function titleFor(status: number): string {
  const name = HttpStatus[status] as string | undefined;
  if (!name) return 'Error';
  return name
    .toLowerCase()
    .split('_')
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join(' ');
}

interface Rendered {
  status: number;
  code: string;
  detail: string;
  extras: Record<string, unknown>;
  headers: Record<string, string>;
}

/** Turns any thrown value into RFC 9457 problem details. Unknown errors are 500s, logged. */
export function renderError(exception: unknown): Rendered {
  if (exception instanceof ProblemException) {
    const { headers = {}, ...extras } = exception.extras;
    return {
      status: exception.getStatus(),
      code: exception.code,
      detail: exception.detail,
      extras,
      headers,
    };
  }
  if (exception instanceof NotFoundException && /^Cannot [A-Z]+ /.test(exception.message)) {
    // Nest's router 404: say which path without echoing the query string (it may hold tokens).
    const [, method, url] = /^Cannot ([A-Z]+) (.*)$/.exec(exception.message) ?? [];
    return {
      status: 404,
      code: 'ROUTE_NOT_FOUND',
      detail: `No route ${method} ${(url ?? '').split('?')[0]}.`,
      extras: {},
      headers: {},
    };
  }
  const clientError = fastifyClientError(exception);
  if (clientError) return clientError;
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    const response = exception.getResponse();
    const message =
      typeof response === 'string'
        ? response
        : ((response as { message?: unknown }).message ?? exception.message);
    const headers: Record<string, string> = {};
    return {
      status,
      code: DEFAULT_CODES[status] ?? (status >= 500 ? 'INTERNAL_ERROR' : 'ERROR'),
      detail: Array.isArray(message) ? message.join('; ') : String(message),
      extras: {},
      headers,
    };
  }
  const fromDatabase = problemFromDatabaseError(exception);
  if (fromDatabase) return renderError(fromDatabase);
  return {
    status: 500,
    code: 'INTERNAL_ERROR',
    detail: 'An unexpected error occurred. Quote the requestId when reporting it.',
    extras: {},
    headers: {},
  };
}

/**
 * Fastify's own client errors (bad JSON, size, media type), raw or as wrapped by Nest's adapter
 * (an HttpException whose cause is the Fastify error), keep their status and get a precise code.
 */
function fastifyClientError(exception: unknown): Rendered | undefined {
  const error = (exception instanceof HttpException ? exception.cause : exception) as
    { statusCode?: number; code?: string; message?: string; name?: string } | undefined;
  const status = error?.statusCode;
  if (typeof status !== 'number' || status < 400 || status >= 500) return undefined;
  const code =
    (error?.code ? FASTIFY_CODES[error.code] : undefined) ??
    (error?.name === 'SyntaxError' ? 'MALFORMED_JSON' : (DEFAULT_CODES[status] ?? 'BAD_REQUEST'));
  const detail =
    code === 'MALFORMED_JSON'
      ? 'The request body is not valid JSON.'
      : (error?.message ?? titleFor(status));
  return { status, code, detail, extras: {}, headers: {} };
}

export function problemBody(rendered: Rendered, requestId: string): ProblemBody {
  return {
    type: `/problems/${rendered.code.toLowerCase().replace(/_/g, '-')}`,
    title: titleFor(rendered.status),
    status: rendered.status,
    detail: rendered.detail,
    code: rendered.code,
    ...rendered.extras,
    requestId,
  };
}

@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('ProblemDetails');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    sendProblem(exception, request, reply, this.logger);
  }
}

export function sendProblem(
  exception: unknown,
  request: FastifyRequest,
  reply: FastifyReply,
  logger: Pick<Logger, 'error'>,
): void {
  const rendered = renderError(exception);
  if (rendered.status >= 500) {
    const stack = exception instanceof Error ? exception.stack : String(exception);
    logger.error(
      `${request.method} ${redactUrl(request.url)} failed (requestId ${request.id}): ${stack}`,
    );
  }
  if (reply.sent) return;
  void reply
    .status(rendered.status)
    .headers(rendered.headers)
    .type(PROBLEM_CONTENT_TYPE)
    .send(problemBody(rendered, String(request.id)));
}
