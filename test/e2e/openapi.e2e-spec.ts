import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { buildOpenApiDocument } from '#src/app.setup.js';
import { createTestApp, type TestApp } from '../utils/test-app.js';

describe('openapi/openapi.json', () => {
  let ctx: TestApp;

  beforeAll(async () => {
    ctx = await createTestApp();
  });

  afterAll(async () => {
    await ctx.close();
  });

  it('is what the code generates (run `npm run openapi:generate` after changing routes or DTOs)', () => {
    const committed: unknown = JSON.parse(
      readFileSync(new URL('../../openapi/openapi.json', import.meta.url), 'utf8'),
    );
    const generated: unknown = JSON.parse(JSON.stringify(buildOpenApiDocument(ctx.app)));
    expect(generated).toEqual(committed);
  });

  it('documents every route with an operation id', () => {
    const document = buildOpenApiDocument(ctx.app);
    const operations = Object.values(document.paths).flatMap((item) =>
      Object.values(item as Record<string, { operationId?: string }>),
    );
    expect(operations.length).toBeGreaterThan(0);
    for (const operation of operations) expect(operation.operationId).toMatch(/^\w+_\w+$/);
  });

  it('gives no two operations the same operation id (client generators need them unique)', () => {
    const document = buildOpenApiDocument(ctx.app);
    expect(duplicateOperationIds(document.paths)).toEqual([]);
  });

  it('finds a duplicate operation id when there is one', () => {
    const paths = {
      '/a': { get: { operationId: 'Sessions_list' } },
      '/b': { get: { operationId: 'Sessions_list' }, post: { operationId: 'Sessions_create' } },
    };
    expect(duplicateOperationIds(paths)).toEqual(['Sessions_list']);
  });

  it('declares security on every operation: `[]` exactly on the @Public() ones', () => {
    const document = buildOpenApiDocument(ctx.app);
    const publicPaths: string[] = [];
    for (const [path, item] of Object.entries(document.paths)) {
      for (const [method, operation] of Object.entries(item as Record<string, Operation>)) {
        expect(operation.security).toBeDefined();
        if (operation.security?.length === 0) publicPaths.push(`${method.toUpperCase()} ${path}`);
        else expect(operation.security).toEqual([{ bearer: [] }]);
      }
    }
    expect(publicPaths).toEqual(
      expect.arrayContaining(['POST /api/v1/auth/login', 'GET /api/v1/health/live']),
    );
    expect(publicPaths).not.toContain('GET /api/v1/profile');
  });
});

type Operation = { operationId?: string; security?: Record<string, string[]>[] };

function duplicateOperationIds(paths: Record<string, object>): string[] {
  const seen = new Map<string, number>();
  for (const item of Object.values(paths)) {
    for (const operation of Object.values(item as Record<string, Operation>)) {
      const id = operation.operationId ?? '';
      seen.set(id, (seen.get(id) ?? 0) + 1);
    }
  }
  return [...seen].filter(([, count]) => count > 1).map(([id]) => id);
}
