/**
 * The kinds of sign-in an account can have: the seed's `AuthProvider` vocabulary (`local`,
 * `google`, `facebook`, `microsoft`, `apple`) plus `oidc` for any other OpenID Connect provider.
 * Stored as the database enum `auth_provider` on `external_identities.provider_kind` (one row per
 * linked identity; `local`, a password, lives in `users.password_hash` and is never an identity
 * row). `provider` next to it stays the configured provider's name (`OIDC_<NAME>_*`).
 */
export const AUTH_PROVIDER_KINDS = [
  'local',
  'google',
  'facebook',
  'microsoft',
  'apple',
  'oidc',
] as const;
export type AuthProviderKind = (typeof AUTH_PROVIDER_KINDS)[number];
/** The kinds an external (OIDC) identity can have. */
export type ExternalProviderKind = Exclude<AuthProviderKind, 'local'>;

/** Issuer hosts of the providers the seed knew by name. */
const ISSUER_HOSTS: Readonly<Record<string, ExternalProviderKind>> = {
  'accounts.google.com': 'google',
  'www.facebook.com': 'facebook',
  'facebook.com': 'facebook',
  'limited.facebook.com': 'facebook',
  'login.microsoftonline.com': 'microsoft',
  'appleid.apple.com': 'apple',
};

const NAMED: readonly string[] = ['google', 'facebook', 'microsoft', 'apple'];

/**
 * The kind of an identity from its issuer (the host a token's `iss` names), else from the
 * configured provider name when it is one of the known kinds, else `oidc`.
 */
export function externalProviderKind(providerName: string, issuer: string): ExternalProviderKind {
  let host: string | undefined;
  try {
    host = new URL(issuer).hostname.toLowerCase();
  } catch {
    host = undefined;
  }
  const byIssuer = host ? ISSUER_HOSTS[host] : undefined;
  if (byIssuer) return byIssuer;
  const name = providerName.toLowerCase();
  return NAMED.includes(name) ? (name as ExternalProviderKind) : 'oidc';
}
