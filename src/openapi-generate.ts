import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadSwagger } from '#libs/common/openapi/api-docs.js';
import { buildOpenApiDocument } from './app.setup.js';
import { createApp } from './bootstrap.js';
import { loadConfig } from './config/app-config.js';

/**
 * `npm run openapi:generate`: writes openapi/openapi.json from the code (commit it).
 * The module graph is built without connecting to a database.
 */
const OUTPUT = fileURLToPath(new URL('../../openapi/openapi.json', import.meta.url));

const config = loadConfig({
  ...process.env,
  NODE_ENV: 'test',
  LOG_LEVEL: 'silent',
  DATABASE_URL: 'postgres://unused@127.0.0.1:1/unused',
});
const app = await createApp(config, { withoutDatabase: true });
await app.init();
await loadSwagger(); // already loaded by setupApp (NODE_ENV=test serves the docs)
writeFileSync(OUTPUT, `${JSON.stringify(buildOpenApiDocument(app), null, 2)}\n`);
await app.close();
process.stdout.write(`Wrote ${OUTPUT}\n`);
