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
});
