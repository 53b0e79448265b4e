import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';

describe("the console's API client types", () => {
  it('console/src/api/schema.d.ts is generated from the committed openapi.json (npm run openapi:generate)', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'console-schema-')), 'schema.d.ts');
    const run = spawnSync(
      process.execPath,
      ['node_modules/openapi-typescript/bin/cli.js', 'openapi/openapi.json', '-o', out],
      { encoding: 'utf8' },
    );
    expect(run.status).toBe(0);
    // A stale copy would let the console typecheck against an API that no longer exists.
    expect(readFileSync('console/src/api/schema.d.ts', 'utf8')).toBe(readFileSync(out, 'utf8'));
  });
});
