import 'reflect-metadata';
import { runMigrations } from '#libs/database/migrate.js';
import { createApp, prepareDatabase } from './bootstrap.js';
import { loadConfig } from './config/app-config.js';
import { ShutdownState } from './platform/shutdown-state.js';
import { ConfigError } from './config/environment.js';

const log = (message: string): void => {
  process.stdout.write(`${JSON.stringify({ level: 30, time: Date.now(), msg: message })}\n`);
};

async function main(): Promise<void> {
  const database = await prepareDatabase(loadConfig(), log);
  if (database.config.MIGRATE_ON_START) {
    const applied = await runMigrations(database.config.DATABASE_URL);
    if (applied.length > 0) log(`applied migrations: ${applied.join(', ')}`);
  }

  const app = await createApp(database.config);
  let closing = false;
  const { SHUTDOWN_GRACE_SECONDS: grace, SHUTDOWN_TIMEOUT_SECONDS: timeout } = database.config;
  const shutdown = async (signal: string): Promise<void> => {
    if (closing) return;
    closing = true;
    log(`${signal} received: readiness is now 503; draining in ${grace}s`);
    app.get(ShutdownState).beginShutdown();
    // Bounded: whatever hangs, the process is gone before the orchestrator's kill.
    setTimeout(
      () => {
        log(`shutdown took longer than ${grace + timeout}s; exiting`);
        process.exit(1);
      },
      (grace + timeout) * 1000,
    ).unref();
    await new Promise((resolve) => setTimeout(resolve, grace * 1000));
    let code = 0;
    try {
      // Stops accepting, lets in-flight requests finish, runs shutdown hooks, closes the pools.
      await app.close();
    } catch (error) {
      code = 1;
      log(`shutdown: closing the app failed: ${(error as Error)?.stack ?? String(error)}`);
    } finally {
      // The embedded PostgreSQL (development) must not outlive the process, whatever happened.
      await database.stop().catch(() => undefined);
    }
    process.exit(code);
  };
  // `on`, not `once`: a second Ctrl-C during the drain is ignored instead of killing the process
  // with the default handler (the bounded timeout above still ends it).
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => void shutdown(signal));
  }
  await app.listen({ port: database.config.PORT, host: database.config.HOST });
  log(
    `Pathavana API listening on http://${database.config.HOST}:${database.config.PORT} (docs at /docs)`,
  );
}

main().catch((error: unknown) => {
  const message = error instanceof ConfigError ? error.message : (error as Error)?.stack;
  process.stderr.write(`Pathavana API failed to start: ${message}\n`);
  process.exit(1);
});
