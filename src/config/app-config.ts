import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Inject } from '@nestjs/common';
import { ConfigError, EnvironmentVariables, parseEnvironment } from './environment.js';
import { type ResolvedKeyRings, resolveKeyRings } from './key-rings.js';
import { type OidcProviderConfig, parseOidcProviders } from './oidc-providers.js';

/** The validated configuration with its secrets resolved. Injected with `@InjectConfig()`. */
export type AppConfig = Readonly<
  Omit<EnvironmentVariables, keyof ResolvedKeyRings> &
    ResolvedKeyRings & {
      /** From the dynamic `OIDC_<NAME>_*` keys (see oidc-providers.ts). */
      OIDC_PROVIDERS: readonly OidcProviderConfig[];
      /** From the dynamic `PROVIDER_WEBHOOK_SECRET_<NAME>` keys: lower-case provider name → secret. */
      PROVIDER_WEBHOOK_SECRETS: Readonly<Record<string, string>>;
    }
>;

export const APP_CONFIG = Symbol('APP_CONFIG');
export const InjectConfig = (): ParameterDecorator => Inject(APP_CONFIG);

type Secrets = { JWT_SECRET: string; DATA_ENCRYPTION_KEY: string };

/** Each entry: the keys of which one is required (the first is named in the message). */
const REQUIRED_IN_PRODUCTION = [
  ['JWT_SECRET', 'JWT_SECRETS'],
  ['DATA_ENCRYPTION_KEY', 'DATA_ENCRYPTION_KEYS'],
  ['DATABASE_URL'],
] as const;

/**
 * Builds the application config from raw environment values.
 * Production refuses to start without its secrets; development generates them once and keeps
 * them under VAR_DIR; tests get fresh random secrets unless they pass their own.
 */
export function loadConfig(raw: Record<string, string | undefined> = process.env): AppConfig {
  const env = parseEnvironment(raw);
  if (env.NODE_ENV === 'production') {
    const missing = REQUIRED_IN_PRODUCTION.filter((keys) => !keys.some((key) => env[key]));
    if (missing.length > 0) {
      throw new ConfigError(
        `Production requires ${missing.map((keys) => keys.join(' or ')).join(', ')}; refusing to start.`,
      );
    }
  }
  const keyRings = resolveKeyRings(resolveSecrets(env));
  const webhookSecrets = parseProviderWebhookSecrets(raw);
  if (env.SANDBOX_PROVIDER_EVENTS_URL && !webhookSecrets.sandbox && !env.PROVIDER_WEBHOOK_SECRET) {
    throw new ConfigError(
      'SANDBOX_PROVIDER_EVENTS_URL needs PROVIDER_WEBHOOK_SECRET or PROVIDER_WEBHOOK_SECRET_SANDBOX to sign with.',
    );
  }
  return Object.freeze({
    ...env,
    ...keyRings,
    OIDC_PROVIDERS: parseOidcProviders(raw),
    PROVIDER_WEBHOOK_SECRETS: webhookSecrets,
  });
}

const PROVIDER_WEBHOOK_SECRET_KEY = /^PROVIDER_WEBHOOK_SECRET_([A-Z0-9_]{1,50})$/;

/** `PROVIDER_WEBHOOK_SECRET_<NAME>=secret` → `{ name: secret }` (a secret under 16 chars refused). */
function parseProviderWebhookSecrets(
  raw: Record<string, string | undefined>,
): Readonly<Record<string, string>> {
  const secrets: Record<string, string> = {};
  for (const [key, value] of Object.entries(raw)) {
    const match = PROVIDER_WEBHOOK_SECRET_KEY.exec(key);
    if (!match?.[1] || value === undefined || value === '') continue;
    if (value.length < 16) throw new ConfigError(`${key} must be at least 16 characters.`);
    secrets[match[1].toLowerCase()] = value;
  }
  return Object.freeze(secrets);
}

/** The configured key material; development and tests generate what is missing. */
function resolveSecrets(env: EnvironmentVariables): EnvironmentVariables {
  const haveJwt = Boolean(env.JWT_SECRET || env.JWT_SECRETS);
  const haveData = Boolean(env.DATA_ENCRYPTION_KEY || env.DATA_ENCRYPTION_KEYS);
  if (haveJwt && haveData) return env;
  const generated: Secrets =
    env.NODE_ENV === 'test' ? generateSecrets() : readOrCreateDevSecrets(env.VAR_DIR);
  return {
    ...env,
    ...(haveJwt ? {} : { JWT_SECRET: generated.JWT_SECRET }),
    ...(haveData ? {} : { DATA_ENCRYPTION_KEY: generated.DATA_ENCRYPTION_KEY }),
  };
}

function generateSecrets(): Secrets {
  return {
    JWT_SECRET: randomBytes(48).toString('base64url'),
    DATA_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
  };
}

function readOrCreateDevSecrets(varDir: string): Secrets {
  const dir = resolve(varDir);
  const file = join(dir, 'secrets.json');
  if (existsSync(file)) {
    return JSON.parse(readFileSync(file, 'utf8')) as Secrets;
  }
  mkdirSync(dir, { recursive: true });
  const secrets = generateSecrets();
  writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  chmodSync(file, 0o600);
  return secrets;
}
