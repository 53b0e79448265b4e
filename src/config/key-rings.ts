import { ConfigError } from './environment.js';

/** One data master key as configured: the operator's label and the 32 key bytes (base64). */
export interface DataKeyConfig {
  readonly label: string;
  readonly key: string;
}

/**
 * The data master keys: `active` encrypts (and keys the backup-code and refresh-token hashes),
 * every key decrypts. Ciphertexts carry the key's fingerprint (`keyIdOf`), not its label, so
 * labels can be renamed freely and data from before `DATA_ENCRYPTION_KEYS` keeps reading.
 */
export interface DataKeyRingConfig {
  readonly active: DataKeyConfig;
  /** Every key, the active one first. */
  readonly keys: readonly DataKeyConfig[];
}

export interface KeyRingSecrets {
  JWT_SECRET?: string | undefined;
  JWT_SECRETS?: string | undefined;
  DATA_ENCRYPTION_KEY?: string | undefined;
  DATA_ENCRYPTION_KEYS?: string | undefined;
  DATA_ENCRYPTION_KEY_ID?: string | undefined;
  BLIND_INDEX_KEY?: string | undefined;
}

export interface ResolvedKeyRings {
  /** The secret that signs access tokens (the first of `JWT_SECRETS`, or `JWT_SECRET`). */
  JWT_SECRET: string;
  /** Every secret that verifies access tokens, the signing one first. */
  JWT_SECRETS: readonly string[];
  /** The active data key (base64), kept for code that wants the single key. */
  DATA_ENCRYPTION_KEY: string;
  DATA_KEY_RING: DataKeyRingConfig;
  /** Base64 master of the document-number blind index: never rotates with the data keys. */
  BLIND_INDEX_KEY: string;
}

const LABEL = /^[A-Za-z0-9_-]{1,32}$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const MIN_JWT_SECRET = 32;

/** A 32-byte key in standard base64, or a ConfigError naming `name`. */
export function parseMasterKey(name: string, value: string): string {
  const trimmed = value.trim();
  if (!BASE64.test(trimmed) || Buffer.from(trimmed, 'base64').length !== 32) {
    throw new ConfigError(`${name} must be 32 bytes, base64-encoded.`);
  }
  return trimmed;
}

/** `JWT_SECRETS=new,old` (first signs, all verify) or the single `JWT_SECRET`; not both. */
export function parseJwtSecrets(env: KeyRingSecrets): string[] {
  if (env.JWT_SECRETS !== undefined && env.JWT_SECRETS.trim() !== '') {
    if (env.JWT_SECRET) {
      throw new ConfigError(
        'Set JWT_SECRETS or JWT_SECRET, not both (JWT_SECRETS=new,old rotates; the first signs).',
      );
    }
    const secrets = env.JWT_SECRETS.split(',').map((secret) => secret.trim());
    secrets.forEach((secret, index) => {
      if (secret.length < MIN_JWT_SECRET) {
        throw new ConfigError(
          `JWT_SECRETS entry ${index + 1} must be at least ${MIN_JWT_SECRET} characters ` +
            '(comma-separated, the first signs).',
        );
      }
    });
    if (new Set(secrets).size !== secrets.length) {
      throw new ConfigError('JWT_SECRETS lists a secret twice.');
    }
    return secrets;
  }
  if (!env.JWT_SECRET) throw new ConfigError('JWT_SECRET or JWT_SECRETS is required.');
  return [env.JWT_SECRET];
}

/**
 * `DATA_ENCRYPTION_KEYS=label:base64,label2:base64` with `DATA_ENCRYPTION_KEY_ID=label2` (the
 * active one; optional with one key), or the single `DATA_ENCRYPTION_KEY` (a one-key ring);
 * not both. With `DATA_ENCRYPTION_KEYS`, `BLIND_INDEX_KEY` is required (set it to the former
 * `DATA_ENCRYPTION_KEY` to keep existing duplicate detection); with the single key it defaults
 * to that key, which is what earlier releases used.
 */
export function parseDataKeys(
  env: KeyRingSecrets,
): Pick<ResolvedKeyRings, 'DATA_ENCRYPTION_KEY' | 'DATA_KEY_RING' | 'BLIND_INDEX_KEY'> {
  const blindIndex =
    env.BLIND_INDEX_KEY !== undefined && env.BLIND_INDEX_KEY.trim() !== ''
      ? parseMasterKey('BLIND_INDEX_KEY', env.BLIND_INDEX_KEY)
      : undefined;
  const list = env.DATA_ENCRYPTION_KEYS?.trim() ?? '';
  if (list === '') {
    if (env.DATA_ENCRYPTION_KEY_ID) {
      throw new ConfigError(
        'DATA_ENCRYPTION_KEY_ID names a key of DATA_ENCRYPTION_KEYS, which is not set.',
      );
    }
    if (!env.DATA_ENCRYPTION_KEY) {
      throw new ConfigError('DATA_ENCRYPTION_KEY or DATA_ENCRYPTION_KEYS is required.');
    }
    const key = parseMasterKey('DATA_ENCRYPTION_KEY', env.DATA_ENCRYPTION_KEY);
    const active = { label: 'default', key };
    return {
      DATA_ENCRYPTION_KEY: key,
      DATA_KEY_RING: { active, keys: [active] },
      BLIND_INDEX_KEY: blindIndex ?? key,
    };
  }
  if (env.DATA_ENCRYPTION_KEY) {
    throw new ConfigError(
      'Set DATA_ENCRYPTION_KEYS or DATA_ENCRYPTION_KEY, not both (list the old key in ' +
        'DATA_ENCRYPTION_KEYS to keep it for decryption).',
    );
  }
  const keys: DataKeyConfig[] = list.split(',').map((entry, index) => {
    const separator = entry.indexOf(':');
    const label = entry.slice(0, Math.max(separator, 0)).trim();
    if (separator < 0 || !LABEL.test(label)) {
      throw new ConfigError(
        `DATA_ENCRYPTION_KEYS entry ${index + 1} must be "label:base64key" ` +
          '(label: letters, digits, "_" or "-", at most 32).',
      );
    }
    return {
      label,
      key: parseMasterKey(`DATA_ENCRYPTION_KEYS key "${label}"`, entry.slice(separator + 1)),
    };
  });
  const labels = new Set(keys.map((key) => key.label));
  if (labels.size !== keys.length) throw new ConfigError('DATA_ENCRYPTION_KEYS repeats a label.');
  if (new Set(keys.map((key) => key.key)).size !== keys.length) {
    throw new ConfigError('DATA_ENCRYPTION_KEYS lists the same key twice.');
  }
  const activeLabel =
    env.DATA_ENCRYPTION_KEY_ID?.trim() || (keys.length === 1 ? keys[0]?.label : '');
  if (!activeLabel) {
    throw new ConfigError(
      'DATA_ENCRYPTION_KEY_ID must name the active key of DATA_ENCRYPTION_KEYS.',
    );
  }
  const active = keys.find((key) => key.label === activeLabel);
  if (!active) {
    throw new ConfigError(
      `DATA_ENCRYPTION_KEY_ID "${activeLabel}" is not a label of DATA_ENCRYPTION_KEYS ` +
        `(${[...labels].join(', ')}).`,
    );
  }
  if (!blindIndex) {
    throw new ConfigError(
      'BLIND_INDEX_KEY is required with DATA_ENCRYPTION_KEYS (a key that never rotates; set it ' +
        'to your former DATA_ENCRYPTION_KEY so existing duplicate detection keeps working).',
    );
  }
  return {
    DATA_ENCRYPTION_KEY: active.key,
    DATA_KEY_RING: { active, keys: [active, ...keys.filter((key) => key.label !== active.label)] },
    BLIND_INDEX_KEY: blindIndex,
  };
}

export function resolveKeyRings(env: KeyRingSecrets): ResolvedKeyRings {
  const secrets = parseJwtSecrets(env);
  return { JWT_SECRET: secrets[0] as string, JWT_SECRETS: secrets, ...parseDataKeys(env) };
}

/** The ring as key bytes: the active master first, then the others (decrypt / verify only). */
export function dataMasterKeys(ring: DataKeyRingConfig): { current: Buffer; previous: Buffer[] } {
  return {
    current: Buffer.from(ring.active.key, 'base64'),
    previous: ring.keys
      .filter((key) => key.label !== ring.active.label)
      .map((key) => Buffer.from(key.key, 'base64')),
  };
}
