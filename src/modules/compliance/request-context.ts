import type { FastifyRequest } from 'fastify';

/** Where a request came from, for consent proof and audit events. */
export interface RequestOrigin {
  ip: string | null;
  userAgent: string | null;
  requestId: string;
}

export function requestOrigin(request: FastifyRequest): RequestOrigin {
  const userAgent = request.headers['user-agent'];
  return {
    ip: request.ip || null,
    userAgent: typeof userAgent === 'string' && userAgent !== '' ? userAgent : null,
    requestId: String(request.id),
  };
}
