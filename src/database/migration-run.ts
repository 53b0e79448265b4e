import { runMigrations } from '#libs/database/migrate.js';
import { prepareDatabase } from '../bootstrap.js';
import { loadConfig } from '../config/app-config.js';

/** `npm run migration:run`: applies pending migrations (what start-up does too). */
const database = await prepareDatabase(loadConfig());
try {
  const applied = await runMigrations(database.config.DATABASE_URL);
  process.stdout.write(applied.length ? `Applied: ${applied.join(', ')}\n` : 'Nothing to apply.\n');
} finally {
  await database.stop();
}
