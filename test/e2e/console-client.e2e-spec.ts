import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from '@jest/globals';

describe("the console's API client types", () => {
  it('console/src/api/schema.d.ts is generated from the committed openapi.json (npm run openapi:generate)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'console-schema-'));
    const out = join(dir, 'schema.d.ts');
    // The same generator as `npm run openapi:client`, with its output redirected: openapi-typescript
    // takes its input and output from a Redocly config (the repository's names the real file).
    const config = join(dir, 'redocly.yaml');
    writeFileSync(
      config,
      `apis:\n  pathavana:\n    root: ${resolve('openapi/openapi.json')}\n    x-openapi-ts:\n      output: ${out}\n`,
    );
    const run = spawnSync(
      process.execPath,
      ['node_modules/openapi-typescript/bin/cli.js', '--redocly', config],
      { encoding: 'utf8' },
    );
    expect(run.status).toBe(0);
    // A stale copy would let the console typecheck against an API that no longer exists.
    expect(readFileSync('console/src/api/schema.d.ts', 'utf8')).toBe(readFileSync(out, 'utf8'));
  });
});
