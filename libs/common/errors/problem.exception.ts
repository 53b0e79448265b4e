import { HttpException } from '@nestjs/common';

export type FieldErrors = Record<string, string[]>;

export interface ProblemExtras {
  /** Field path → messages, for validation failures. */
  errors?: FieldErrors;
  /** Response headers to send with the problem (e.g. Retry-After). */
  headers?: Record<string, string>;
  /** Extra members merged into the problem body (e.g. `purpose`, `version`). */
  [member: string]: unknown;
}

/**
 * An RFC 9457 problem with a stable UPPER_SNAKE `code`. Throw it from anywhere; the global
 * filter renders it as `application/problem+json`.
 */
export class ProblemException extends HttpException {
  constructor(
    status: number,
    readonly code: string,
    readonly detail: string,
    readonly extras: ProblemExtras = {},
  ) {
    super({ code, detail }, status);
  }
}

export const badRequest = (
  code: string,
  detail: string,
  extras?: ProblemExtras,
): ProblemException => new ProblemException(400, code, detail, extras);
export const forbidden = (code: string, detail: string, extras?: ProblemExtras): ProblemException =>
  new ProblemException(403, code, detail, extras);
export const notFound = (code: string, detail: string): ProblemException =>
  new ProblemException(404, code, detail);
export const conflict = (code: string, detail: string, extras?: ProblemExtras): ProblemException =>
  new ProblemException(409, code, detail, extras);
export const unprocessable = (
  code: string,
  detail: string,
  extras?: ProblemExtras,
): ProblemException => new ProblemException(422, code, detail, extras);
