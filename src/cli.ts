import 'reflect-metadata';
import { DiscoveryModule, DiscoveryService, NestFactory } from '@nestjs/core';
import { type DynamicModule, Module } from '@nestjs/common';
import { parseCliArgs } from '#libs/common/cli/cli-command.js';
import { runMigrations } from '#libs/database/migrate.js';
import { AppModule } from './app.module.js';
import { prepareDatabase } from './bootstrap.js';
import { loadConfig } from './config/app-config.js';
import { cliUsage, findCliCommands } from './platform/cli-commands.js';

@Module({ imports: [DiscoveryModule] })
class CliDiscoveryModule {}

/** `npm run cli -- users:create --email E --password P --role admin` */
async function main(): Promise<void> {
  const [name, ...rest] = process.argv.slice(2);
  const config = loadConfig({ LOG_LEVEL: 'warn', ...process.env });
  const database = await prepareDatabase(config);
  let exitCode = 0;
  try {
    await runMigrations(database.config.DATABASE_URL);
    const root: DynamicModule = {
      module: class CliRootModule {},
      imports: [AppModule.forRoot(database.config), CliDiscoveryModule],
    };
    const app = await NestFactory.createApplicationContext(root, { logger: ['error'] });
    try {
      const commands = findCliCommands(app.get(DiscoveryService));
      const command = commands.find((found) => found.metadata.name === name);
      if (!command) {
        process.stdout.write(`${cliUsage(commands)}\n`);
        exitCode = name && name !== 'help' ? 2 : 0;
      } else {
        process.stdout.write(`${await command.handler.run(parseCliArgs(rest))}\n`);
      }
    } finally {
      await app.close();
    }
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    exitCode = 1;
  } finally {
    await database.stop();
  }
  process.exit(exitCode);
}

await main();
