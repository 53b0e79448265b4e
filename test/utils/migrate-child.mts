// One "instance" starting up: runs the migrator that main.ts uses and prints what it applied.
import { runMigrations } from '../../libs/database/migrate.js';

const applied = await runMigrations(process.argv[2] as string);
process.stdout.write(JSON.stringify(applied));
