import { rmSync } from 'node:fs';

export default async function globalTeardown() {
  if (process.env.PATHAVANA_TEST_TMP) {
    rmSync(process.env.PATHAVANA_TEST_TMP, { recursive: true, force: true });
  }
  await globalThis.__pathavanaEmbedded?.stop();
}
