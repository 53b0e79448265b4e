import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { getMetadataStorage } from 'class-validator';
import { EnvironmentVariables } from './environment.js';

describe('.env.example', () => {
  it('documents every key of the environment schema', () => {
    const documented = readFileSync(new URL('../../.env.example', import.meta.url), 'utf8');
    const keys = new Set(
      getMetadataStorage()
        .getTargetValidationMetadatas(EnvironmentVariables, '', true, false)
        .map((metadata) => metadata.propertyName),
    );
    const missing = [...keys].filter((key) => !new RegExp(`^#? ?${key}=`, 'm').test(documented));
    expect(missing).toEqual([]);
  });
});
