import { randomBytes } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { createTestApp } from '../utils/test-app.js';

/** Production serves no Swagger UI or spec unless SWAGGER_ENABLED=true. */
describe('Swagger in production', () => {
  const production = {
    NODE_ENV: 'production',
    JWT_SECRET: randomBytes(32).toString('hex'),
    DATA_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
  };

  it.each([
    ['off by default', {}, 404],
    ['on with SWAGGER_ENABLED=true', { SWAGGER_ENABLED: 'true' }, 200],
  ] as const)('%s', async (_name, env, status) => {
    const ctx = await createTestApp({ env: { ...production, ...env } });
    try {
      expect((await ctx.http().get('/docs-json')).status).toBe(status);
      expect((await ctx.http().get('/docs')).status).toBe(status);
      expect((await ctx.http().get('/api/v1/health/live')).status).toBe(200);
    } finally {
      await ctx.close();
    }
  });
});
