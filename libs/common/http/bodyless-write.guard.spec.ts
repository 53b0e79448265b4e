import { describe, expect, it } from '@jest/globals';
import { Body, Controller, Delete, Param, Post, Req } from '@nestjs/common';
import { handlerTakesBody, unexpectedBodyErrors } from './bodyless-write.guard.js';

@Controller('things')
class ThingsController {
  @Post()
  create(@Body() body: unknown): unknown {
    return body;
  }

  @Post(':id/rename')
  rename(@Param('id') id: string, @Body('name') name: string): string {
    return `${id}${name}`;
  }

  @Delete(':id')
  remove(@Param('id') id: string, @Req() request: unknown): unknown {
    return [id, request];
  }

  @Post(':id/archive')
  archive(): void {}
}

describe('handlerTakesBody (reads Nest parameter metadata)', () => {
  it.each([
    ['create', true],
    ['rename', true],
    ['remove', false],
    ['archive', false],
  ])('%s → %s', (handler, expected) => {
    expect(handlerTakesBody(ThingsController, handler)).toBe(expected);
  });
});

describe('unexpectedBodyErrors', () => {
  it.each([[undefined], [null], [''], [{}]])('accepts an empty body: %j', (body) => {
    expect(unexpectedBodyErrors(body)).toBeUndefined();
  });

  it('names every field like forbidNonWhitelisted does', () => {
    expect(unexpectedBodyErrors({ roles: ['admin'], status: 'x' })).toEqual({
      roles: ['property roles should not exist'],
      status: ['property status should not exist'],
    });
  });

  it.each([[[1]], [[]], ['text'], [42], [true]])('refuses a non-object body: %j', (body) => {
    expect(unexpectedBodyErrors(body)).toEqual({ body: ['this route takes no request body'] });
  });
});
