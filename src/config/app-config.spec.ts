import { existsSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { loadConfig } from './app-config.js';
import { ConfigError } from './environment.js';

const KEY = Buffer.alloc(32, 7).toString('base64');
const SECRET = 'x'.repeat(40);

describe('loadConfig', () => {
  it('applies defaults and converts numbers', () => {
    const config = loadConfig({ NODE_ENV: 'test', PORT: '8080' });
    expect(config.PORT).toBe(8080);
    expect(config.LOGIN_MAX_FAILURES).toBe(5);
    expect(config.REFRESH_REUSE_GRACE_SECONDS).toBe(10);
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('refuses bad values with a message naming every bad key', () => {
    expect(() =>
      loadConfig({
        NODE_ENV: 'test',
        PORT: 'eighty',
        DATABASE_URL: 'mysql://x',
        LOG_LEVEL: 'loud',
      }),
    ).toThrow(ConfigError);
    try {
      loadConfig({ NODE_ENV: 'test', PORT: 'eighty', DATABASE_URL: 'mysql://x' });
    } catch (error) {
      expect((error as Error).message).toMatch(/PORT/);
      expect((error as Error).message).toMatch(/DATABASE_URL/);
    }
  });

  it('gates image work at one fewer than the cores (at least 1) unless configured', () => {
    expect(loadConfig({ NODE_ENV: 'test' }).DOCUMENT_IMAGE_CONCURRENCY).toBe(
      Math.max(1, availableParallelism() - 1),
    );
    expect(
      loadConfig({ NODE_ENV: 'test', DOCUMENT_IMAGE_CONCURRENCY: '3' }).DOCUMENT_IMAGE_CONCURRENCY,
    ).toBe(3);
    expect(() => loadConfig({ NODE_ENV: 'test', DOCUMENT_IMAGE_CONCURRENCY: '0' })).toThrow(
      /DOCUMENT_IMAGE_CONCURRENCY/,
    );
  });

  it('admits as many uploads at once as cores, waiting 30 s at most, unless configured', () => {
    const defaults = loadConfig({ NODE_ENV: 'test' });
    expect(defaults.DOCUMENT_UPLOADS_AT_ONCE).toBe(availableParallelism());
    expect(defaults.DOCUMENT_UPLOAD_WAIT_SECONDS).toBe(30);
    const set = loadConfig({
      NODE_ENV: 'test',
      DOCUMENT_UPLOADS_AT_ONCE: '6',
      DOCUMENT_UPLOAD_WAIT_SECONDS: '5',
    });
    expect([set.DOCUMENT_UPLOADS_AT_ONCE, set.DOCUMENT_UPLOAD_WAIT_SECONDS]).toEqual([6, 5]);
    expect(() => loadConfig({ NODE_ENV: 'test', DOCUMENT_UPLOADS_AT_ONCE: '0' })).toThrow(
      /DOCUMENT_UPLOADS_AT_ONCE/,
    );
  });

  it('reads booleans from their text, and refuses anything else', () => {
    expect(loadConfig({ NODE_ENV: 'test' }).MIGRATE_ON_START).toBe(true);
    expect(loadConfig({ NODE_ENV: 'test', MIGRATE_ON_START: 'false' }).MIGRATE_ON_START).toBe(
      false,
    );
    expect(loadConfig({ NODE_ENV: 'test', MIGRATE_ON_START: 'TRUE' }).MIGRATE_ON_START).toBe(true);
    expect(() => loadConfig({ NODE_ENV: 'test', MIGRATE_ON_START: 'maybe' })).toThrow(
      /MIGRATE_ON_START/,
    );
  });

  it('refuses to start in production without its secrets', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(
      /JWT_SECRET or JWT_SECRETS, DATA_ENCRYPTION_KEY or DATA_ENCRYPTION_KEYS, DATABASE_URL/,
    );
    expect(() =>
      loadConfig({
        NODE_ENV: 'production',
        JWT_SECRET: SECRET,
        DATA_ENCRYPTION_KEY: KEY,
        DATABASE_URL: 'postgres://db/app',
      }),
    ).not.toThrow();
  });

  it('refuses a short JWT secret and a key that is not 32 bytes', () => {
    expect(() => loadConfig({ NODE_ENV: 'test', JWT_SECRET: 'short' })).toThrow(/JWT_SECRET/);
    expect(() =>
      loadConfig({ NODE_ENV: 'test', DATA_ENCRYPTION_KEY: Buffer.alloc(16).toString('base64') }),
    ).toThrow(/32 bytes/);
  });

  it('generates development secrets once and keeps them under VAR_DIR', () => {
    const varDir = mkdtempSync(join(tmpdir(), 'config-'));
    const first = loadConfig({ NODE_ENV: 'development', VAR_DIR: varDir });
    const second = loadConfig({ NODE_ENV: 'development', VAR_DIR: varDir });
    expect(second.JWT_SECRET).toBe(first.JWT_SECRET);
    expect(second.DATA_ENCRYPTION_KEY).toBe(first.DATA_ENCRYPTION_KEY);
    const file = join(varDir, 'secrets.json');
    expect(existsSync(file)).toBe(true);
    expect(statSync(file).mode & 0o077).toBe(0);
    expect(JSON.parse(readFileSync(file, 'utf8')).JWT_SECRET).toBe(first.JWT_SECRET);
  });

  it('gives tests fresh secrets without writing files', () => {
    const varDir = mkdtempSync(join(tmpdir(), 'config-'));
    const a = loadConfig({ NODE_ENV: 'test', VAR_DIR: varDir });
    const b = loadConfig({ NODE_ENV: 'test', VAR_DIR: varDir });
    expect(a.JWT_SECRET).not.toBe(b.JWT_SECRET);
    expect(existsSync(join(varDir, 'secrets.json'))).toBe(false);
  });
});
