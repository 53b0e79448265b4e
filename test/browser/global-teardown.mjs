import e2eTeardown from '../utils/global-teardown.mjs';

export default async function globalTeardown() {
  // The e2e project's teardown cleans up when it owns the setup.
  if (globalThis.__pathavanaBrowserOwnsSetup) await e2eTeardown();
}
