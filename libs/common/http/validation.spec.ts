import { describe, expect, it } from '@jest/globals';
import { IsObject, IsOptional } from 'class-validator';
import { ProblemException } from '../errors/problem.exception.js';
import {
  createValidationPipe,
  MAX_REQUEST_DEPTH,
  nestsDeeperThan,
  pathOfUnstorableText,
} from './validation.js';

class BodyDto {
  @IsOptional()
  @IsObject()
  doc?: Record<string, unknown>;
}

const nested = (depth: number): string => '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);

describe('nestsDeeperThan', () => {
  it.each([
    [{}, 1, false],
    [{ a: {} }, 1, true],
    [{ a: [1, { b: 2 }] }, 3, false],
    [{ a: [1, { b: {} }] }, 3, true],
    ['text', 0, false],
    [null, 0, false],
  ])('%j deeper than %d: %s', (value, max, expected) => {
    expect(nestsDeeperThan(value, max)).toBe(expected);
  });
});

describe('the global validation pipe', () => {
  const pipe = createValidationPipe();

  it('accepts bodies nested up to the limit', async () => {
    const body = JSON.parse(`{"doc":${nested(MAX_REQUEST_DEPTH - 1)}}`) as unknown;
    await expect(pipe.transform(body, { type: 'body', metatype: BodyDto })).resolves.toBeInstanceOf(
      BodyDto,
    );
  });

  it('refuses a pathologically deep body with 400, not a stack overflow (500)', async () => {
    const body = JSON.parse(`{"doc":${nested(200_000)}}`) as unknown;
    const error = await pipe.transform(body, { type: 'body', metatype: BodyDto }).catch((e) => e);
    expect(error).toBeInstanceOf(ProblemException);
    expect((error as ProblemException).getStatus()).toBe(400);
    expect((error as ProblemException).extras.errors).toEqual({
      body: [`must not nest deeper than ${MAX_REQUEST_DEPTH} levels`],
    });
  });

  it.each([
    [{ doc: { note: 'a\u0000b' } }, 'body', 'doc.note'],
    [{ doc: { ['k\u0000']: 1 } }, 'body', 'doc.k\u0000'],
    [{ doc: [1, ['x', 'y\u0000']] }, 'body', 'doc.1.1'],
    [{ doc: { email: 'a\ud800@example.test' } }, 'body', 'doc.email'],
  ])(
    'refuses NUL characters and lone surrogates in %j with 400 naming the field',
    async (body, type, field) => {
      const error = await pipe
        .transform(body, { type: type as 'body', metatype: BodyDto })
        .catch((e) => e);
      expect((error as ProblemException).getStatus()).toBe(400);
      expect(Object.keys((error as ProblemException).extras.errors as object)).toEqual([field]);
    },
  );

  it('still refuses them in path parameters and queries', async () => {
    for (const type of ['param', 'query'] as const) {
      const error = await pipe
        .transform('a\u0000b', { type, metatype: String, data: 'id' })
        .catch((e) => e);
      expect((error as ProblemException).getStatus()).toBe(400);
    }
  });

  it('hands a custom decorator value (@CurrentUser, built by the server) through untouched', async () => {
    const user = { id: 'u1', roles: ['traveler'], amr: ['pwd'] };
    await expect(pipe.transform(user, { type: 'custom', metatype: Object })).resolves.toBe(user);
  });
});

describe('pathOfUnstorableText', () => {
  it.each([
    [{ a: 'fine', b: ['ok'], c: 'emoji 😀 and ü' }, 'query', undefined],
    ['x\u0000', 'id', 'id'],
    [{ a: { b: 'x\u0000' } }, '', 'a.b'],
    [{ email: '\ud800 lone high surrogate' }, '', 'email'],
    [{ email: 'lone low \udc00' }, '', 'email'],
    [{ ['k\udfff']: 1 }, '', 'k\udfff'],
    [null, '', undefined],
  ])('%j under %j → %s', (value, root, expected) => {
    expect(pathOfUnstorableText(value, root)).toBe(expected);
  });
});
