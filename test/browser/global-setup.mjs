// The browser tier: the e2e tier's database setup (unless that project already ran it in this
// process), then a fresh console build from the current sources into dist/console.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import e2eSetup from '../utils/global-setup.mjs';

export default async function globalSetup() {
  if (!process.env.PATHAVANA_TEST_TMP) {
    await e2eSetup();
    globalThis.__pathavanaBrowserOwnsSetup = true;
  }
  const build = spawnSync(
    process.execPath,
    [
      'node_modules/vite/bin/vite.js',
      'build',
      '--config',
      'console/vite.config.ts',
      '--logLevel',
      'warn',
    ],
    // Jest sets NODE_ENV=test, which would give React's development build: test what ships.
    { stdio: 'inherit', env: { ...process.env, NODE_ENV: 'production' } },
  );
  if (build.status !== 0) throw new Error('building the console failed');
  if (!existsSync('/usr/bin/chromium')) {
    throw new Error('Chromium is missing: apt-get install -y chromium (.ci/run does this)');
  }
}
