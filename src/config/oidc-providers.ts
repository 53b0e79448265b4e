import { ConfigError } from './environment.js';

/** One configured OpenID Connect provider. */
export interface OidcProviderConfig {
  /** Lower-case name used in routes: `/auth/oauth/<name>/authorize`. */
  name: string;
  issuer: string;
  clientId: string;
  clientSecret: string;
}

export const GOOGLE_ISSUER = 'https://accounts.google.com';

const KEY = /^OIDC_([A-Z0-9]+)_(ISSUER|CLIENT_ID|CLIENT_SECRET)$/;

/**
 * The one place that reads the dynamic `OIDC_<NAME>_ISSUER / _CLIENT_ID / _CLIENT_SECRET`
 * keys (the environment schema class only holds fixed keys). Google needs no issuer
 * (`https://accounts.google.com`). A provider with some but not all keys is a ConfigError.
 */
export function parseOidcProviders(
  raw: Record<string, string | undefined>,
): readonly OidcProviderConfig[] {
  const found = new Map<string, { ISSUER?: string; CLIENT_ID?: string; CLIENT_SECRET?: string }>();
  for (const [key, value] of Object.entries(raw)) {
    const match = KEY.exec(key);
    if (!match || value === undefined || value === '') continue;
    const name = (match[1] as string).toLowerCase();
    const entry = found.get(name) ?? {};
    entry[match[2] as 'ISSUER' | 'CLIENT_ID' | 'CLIENT_SECRET'] = value;
    found.set(name, entry);
  }
  const providers: OidcProviderConfig[] = [];
  for (const [name, entry] of [...found].sort(([a], [b]) => a.localeCompare(b))) {
    const issuer = entry.ISSUER ?? (name === 'google' ? GOOGLE_ISSUER : undefined);
    const missing = [
      issuer ? null : 'ISSUER',
      entry.CLIENT_ID ? null : 'CLIENT_ID',
      entry.CLIENT_SECRET ? null : 'CLIENT_SECRET',
    ].filter((part): part is string => part !== null);
    if (missing.length > 0) {
      throw new ConfigError(
        `OIDC provider "${name}" is missing ${missing.map((part) => `OIDC_${name.toUpperCase()}_${part}`).join(', ')}.`,
      );
    }
    try {
      new URL(issuer as string);
    } catch {
      throw new ConfigError(`OIDC_${name.toUpperCase()}_ISSUER must be a URL.`);
    }
    providers.push({
      name,
      issuer: issuer as string,
      clientId: entry.CLIENT_ID as string,
      clientSecret: entry.CLIENT_SECRET as string,
    });
  }
  return providers;
}
