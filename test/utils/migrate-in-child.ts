import { execFile } from 'node:child_process';

/**
 * Runs the start-up migrator (libs/database/migrate.ts) in a separate Node process and resolves
 * with the migrations it applied. Jest's ESM runtime loads TypeORM's dynamic imports of the .ts
 * migration files unreliably, and a separate process is what an instance starting up is anyway.
 */
export function migrateInChild(url: string): Promise<string[]> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', 'test/utils/migrate-child.mts', url],
      { timeout: 60_000 },
      (error, stdout, stderr) =>
        error
          ? reject(new Error(`${error.message}\n${stderr}`))
          : resolve(JSON.parse(stdout) as string[]),
    );
  });
}
