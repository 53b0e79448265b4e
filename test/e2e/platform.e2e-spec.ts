import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Body, Controller, Module, Post } from '@nestjs/common';
import { IsInt, IsString, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { Type } from 'class-transformer';
import { Public } from '#libs/common/auth/decorators.js';
import { createTestApp, type TestApp } from '../utils/test-app.js';

class ProbeItemDto {
  @IsString()
  @MaxLength(10)
  name: string;
}

class ProbeDto {
  @IsString()
  title: string;

  @IsInt()
  @Min(1)
  @Max(5)
  rating: number;

  @ValidateNested({ each: true })
  @Type(() => ProbeItemDto)
  items: ProbeItemDto[];
}

@Controller('probe')
class ProbeController {
  @Public()
  @Post()
  echo(@Body() body: ProbeDto): ProbeDto {
    return body;
  }

  @Public()
  @Post('boom')
  boom(): never {
    throw new Error('secret internal detail');
  }
}

@Module({ controllers: [ProbeController] })
class ProbeModule {}

const PROBLEM = /^application\/problem\+json/;

const signalListeners = (): number =>
  process.listenerCount('SIGTERM') + process.listenerCount('SIGINT');

describe('platform', () => {
  let ctx: TestApp;
  let signalListenersBefore: number;

  beforeAll(async () => {
    signalListenersBefore = signalListeners();
    ctx = await createTestApp({
      imports: [ProbeModule],
      env: { BODY_LIMIT_BYTES: '2048', CORS_ORIGINS: 'https://app.pathavana.test' },
    });
  });

  afterAll(async () => {
    await ctx.close();
  });

  it('installs no signal handlers: SIGTERM belongs to main.ts (503, grace, drain, then the database)', () => {
    // Nest's enableShutdownHooks() closed the app on the same SIGTERM at once and re-sent the
    // signal to the process: no grace period, and an embedded PostgreSQL was left running.
    expect(signalListeners()).toBe(signalListenersBefore);
  });

  it('answers liveness and readiness with the database reachable', async () => {
    const live = await ctx.http().get('/api/v1/health/live');
    expect(live.status).toBe(200);
    const ready = await ctx.http().get('/api/v1/health/ready');
    expect(ready.status).toBe(200);
    expect(ready.body.info.database.status).toBe('up');
  });

  it('echoes an incoming X-Request-Id and generates one otherwise', async () => {
    const given = await ctx.http().get('/api/v1/health/live').set('X-Request-Id', 'abc-123');
    expect(given.headers['x-request-id']).toBe('abc-123');
    const generated = await ctx.http().get('/api/v1/health/live');
    expect(generated.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    const hostile = await ctx.http().get('/api/v1/health/live').set('X-Request-Id', 'a b<script>');
    expect(hostile.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('serves Swagger UI at /docs and a valid OpenAPI 3 document at /docs-json', async () => {
    const ui = await ctx.http().get('/docs');
    expect(ui.status).toBe(200);
    expect(ui.text).toContain('swagger-ui');
    const spec = await ctx.http().get('/docs-json');
    expect(spec.status).toBe(200);
    expect(spec.body.openapi).toMatch(/^3\./);
    expect(spec.body.paths['/api/v1/health/ready']).toBeDefined();
    expect(spec.body.components.securitySchemes.bearer).toBeDefined();
  });

  it('accepts a valid body', async () => {
    const response = await ctx
      .http()
      .post('/api/v1/probe')
      .send({ title: 't', rating: 3, items: [{ name: 'a' }] });
    expect(response.status).toBe(201);
    expect(response.body).toEqual({ title: 't', rating: 3, items: [{ name: 'a' }] });
  });

  it('answers a bad body with 400 problem details and a field map', async () => {
    const response = await ctx
      .http()
      .post('/api/v1/probe')
      .send({ title: 5, rating: 9, items: [{ name: 'far too long a name' }] });
    expect(response.status).toBe(400);
    expect(response.headers['content-type']).toMatch(PROBLEM);
    expect(response.body).toMatchObject({
      type: '/problems/validation-failed',
      title: 'Bad Request',
      status: 400,
      code: 'VALIDATION_FAILED',
    });
    expect(response.body.requestId).toBe(response.headers['x-request-id']);
    expect(Object.keys(response.body.errors).sort()).toEqual(['items.0.name', 'rating', 'title']);
  });

  it('refuses unknown fields, also nested ones', async () => {
    const response = await ctx
      .http()
      .post('/api/v1/probe')
      .send({ title: 't', rating: 3, items: [{ name: 'a', admin: true }], roles: ['admin'] });
    expect(response.status).toBe(400);
    expect(response.body.code).toBe('VALIDATION_FAILED');
    expect(Object.keys(response.body.errors).sort()).toEqual(['items.0.admin', 'roles']);
  });

  it('answers malformed JSON with 400 MALFORMED_JSON', async () => {
    const response = await ctx
      .http()
      .post('/api/v1/probe')
      .set('Content-Type', 'application/json')
      .send('{"title": ');
    expect(response.status).toBe(400);
    expect(response.headers['content-type']).toMatch(PROBLEM);
    expect(response.body.code).toBe('MALFORMED_JSON');
    expect(response.body.requestId).toEqual(expect.any(String));
  });

  it('answers a wrong content type with 415', async () => {
    const response = await ctx
      .http()
      .post('/api/v1/probe')
      .set('Content-Type', 'application/xml')
      .send('<title/>');
    expect(response.status).toBe(415);
    expect(response.headers['content-type']).toMatch(PROBLEM);
    expect(response.body.code).toBe('UNSUPPORTED_MEDIA_TYPE');
  });

  it('answers an oversize body with 413', async () => {
    const response = await ctx
      .http()
      .post('/api/v1/probe')
      .send({ title: 'x'.repeat(5000), rating: 1, items: [] });
    expect(response.status).toBe(413);
    expect(response.headers['content-type']).toMatch(PROBLEM);
    expect(response.body.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('answers an unknown route with 404 problem details', async () => {
    const response = await ctx.http().get('/api/v1/no-such-thing?token=secret');
    expect(response.status).toBe(404);
    expect(response.headers['content-type']).toMatch(PROBLEM);
    expect(response.body.code).toBe('ROUTE_NOT_FOUND');
    expect(response.body.detail).not.toContain('secret');
  });

  it('turns unexpected errors into 500 INTERNAL_ERROR without leaking details', async () => {
    const response = await ctx.http().post('/api/v1/probe/boom');
    expect(response.status).toBe(500);
    expect(response.body.code).toBe('INTERNAL_ERROR');
    expect(JSON.stringify(response.body)).not.toContain('secret internal detail');
    expect(response.body.requestId).toBe(response.headers['x-request-id']);
  });

  it('sends security headers', async () => {
    const response = await ctx.http().get('/api/v1/health/live');
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['content-security-policy']).toContain("default-src 'self'");
  });

  it('allows CORS only for configured origins', async () => {
    const allowed = await ctx
      .http()
      .options('/api/v1/probe')
      .set('Origin', 'https://app.pathavana.test')
      .set('Access-Control-Request-Method', 'POST');
    expect(allowed.headers['access-control-allow-origin']).toBe('https://app.pathavana.test');
    const refused = await ctx
      .http()
      .options('/api/v1/probe')
      .set('Origin', 'https://evil.example')
      .set('Access-Control-Request-Method', 'POST');
    expect(refused.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('lists enums publicly', async () => {
    const enums = await ctx.http().get('/api/v1/meta/enums');
    expect(enums.status).toBe(200);
    expect(enums.body.role).toEqual(['user', 'admin', 'compliance']);
  });
});
