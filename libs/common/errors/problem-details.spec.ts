import { describe, expect, it } from '@jest/globals';
import { BadRequestException, NotFoundException } from '@nestjs/common';
import { registerConstraint } from './constraint-codes.js';
import { problemBody, renderError } from './problem-details.filter.js';
import { ProblemException } from './problem.exception.js';

const pgError = (code: string, constraint?: string): Error =>
  Object.assign(new Error('db'), { driverError: { code, constraint, message: 'db' } });

describe('renderError', () => {
  it('keeps a ProblemException as it is, headers apart from the body', () => {
    const rendered = renderError(
      new ProblemException(429, 'RATE_LIMITED', 'slow', { headers: { 'Retry-After': '3' }, x: 1 }),
    );
    expect(rendered).toEqual({
      status: 429,
      code: 'RATE_LIMITED',
      detail: 'slow',
      extras: { x: 1 },
      headers: { 'Retry-After': '3' },
    });
  });

  it.each([
    ['23505', undefined, 409, 'CONFLICT'],
    ['23503', undefined, 409, 'REFERENCE_CONFLICT'],
    ['40001', undefined, 409, 'CONCURRENT_UPDATE'],
    ['22P02', undefined, 400, 'INVALID_INPUT'],
    ['57P01', undefined, 503, 'DATABASE_UNAVAILABLE'],
    ['23505', 'uq_spec_thing', 409, 'THING_TAKEN'],
    ['22021', undefined, 400, 'INVALID_INPUT'],
    ['22P05', undefined, 400, 'INVALID_INPUT'],
  ])('maps PostgreSQL %s (%s) to %d %s', (code, constraint, status, problemCode) => {
    registerConstraint('uq_spec_thing', 409, 'THING_TAKEN', 'Thing exists.');
    const rendered = renderError(pgError(code, constraint));
    expect([rendered.status, rendered.code]).toEqual([status, problemCode]);
  });

  it('maps a refused connection to 503 DATABASE_UNAVAILABLE with Retry-After', () => {
    const rendered = renderError(
      Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }),
    );
    expect(rendered.status).toBe(503);
    expect(rendered.headers['Retry-After']).toBe('1');
  });

  it('keeps router-level refusals (bad URL encoding, long parameters) as 4xx problems', () => {
    const badUrl = Object.assign(new Error("'/x/%ff' is not a valid url component"), {
      code: 'FST_ERR_BAD_URL',
      statusCode: 400,
    });
    expect([renderError(badUrl).status, renderError(badUrl).code]).toEqual([400, 'MALFORMED_URL']);
    const long = Object.assign(new Error('too long'), {
      code: 'FST_ERR_MAX_PARAM_LENGTH',
      statusCode: 414,
    });
    expect([renderError(long).status, renderError(long).code]).toEqual([414, 'URI_TOO_LONG']);
  });

  it('maps a connection error from another realm (not instanceof Error) to 503 too', () => {
    const foreign = { name: 'Error', message: 'connect ECONNREFUSED', code: 'ECONNREFUSED' };
    expect(renderError(foreign).status).toBe(503);
    expect(renderError('ECONNREFUSED').status).toBe(500);
  });

  it('hides unknown errors behind 500 INTERNAL_ERROR', () => {
    const rendered = renderError(new TypeError('secret detail'));
    expect(rendered.status).toBe(500);
    expect(rendered.code).toBe('INTERNAL_ERROR');
    expect(rendered.detail).not.toContain('secret');
  });

  it('maps Nest HTTP exceptions and the router 404 without echoing query strings', () => {
    expect(renderError(new BadRequestException('nope')).code).toBe('BAD_REQUEST');
    const routeMiss = renderError(new NotFoundException('Cannot GET /x?token=abc'));
    expect(routeMiss.code).toBe('ROUTE_NOT_FOUND');
    expect(routeMiss.detail).toBe('No route GET /x.');
  });

  it('builds an RFC 9457 body with type, title, code and requestId', () => {
    const body = problemBody(
      renderError(new ProblemException(404, 'SESSION_NOT_FOUND', 'gone')),
      'r1',
    );
    expect(body).toEqual({
      type: '/problems/session-not-found',
      title: 'Not Found',
      status: 404,
      detail: 'gone',
      code: 'SESSION_NOT_FOUND',
      requestId: 'r1',
    });
  });
});
