import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DiscoveryModule, DiscoveryService } from '@nestjs/core';
import { cliUsage, findCliCommands } from '#platform/cli-commands.js';
import { SeedDemoCommand } from '#src/demo/seed-demo.command.js';
import { login } from '../factories/users.js';
import { createTestApp, type TestApp } from '../utils/test-app.js';

describe('operator CLI', () => {
  let ctx: TestApp;

  beforeAll(async () => {
    ctx = await createTestApp({ imports: [DiscoveryModule] });
  });

  afterAll(async () => {
    await ctx.close();
  });

  it('discovers every @CliCommand provider of the app', () => {
    const commands = findCliCommands(ctx.app.get(DiscoveryService));
    expect(commands.map((command) => command.metadata.name).sort()).toEqual([
      'keys:rotate',
      'seed:demo',
      'users:create',
    ]);
    expect(cliUsage(commands)).toContain('users:create --email E --password P --role');
  });

  it('seed:demo creates a usable demo account once, through the real services', async () => {
    const seed = ctx.app.get(SeedDemoCommand);
    const report = await seed.run({ password: 'demo passphrase for tests' });
    expect(report).toContain('demo@pathavana.test');
    expect(await seed.run({})).toMatch(/already exists .*nothing changed/);

    const demo = await login(ctx, 'demo@pathavana.test', 'demo passphrase for tests');
    const travelers = await ctx.http().get('/api/v1/travelers').set(demo.authHeader);
    expect(travelers.body.items).toHaveLength(2);
    // The consents were recorded, so the consent-guarded sessions route answers.
    const sessions = await ctx.http().get('/api/v1/sessions').set(demo.authHeader);
    expect(sessions.status).toBe(200);
    expect(sessions.body.items.map((session: { title: string }) => session.title)).toEqual([
      'Long weekend in Lisbon',
    ]);
  });
});
