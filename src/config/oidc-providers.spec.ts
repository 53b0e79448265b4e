import { describe, expect, it } from '@jest/globals';
import { GOOGLE_ISSUER, parseOidcProviders } from './oidc-providers.js';

describe('parseOidcProviders', () => {
  it('finds Google by client id/secret alone and any other issuer by its three keys', () => {
    expect(
      parseOidcProviders({
        OIDC_GOOGLE_CLIENT_ID: 'g',
        OIDC_GOOGLE_CLIENT_SECRET: 'gs',
        OIDC_ACME_ISSUER: 'https://id.acme.test',
        OIDC_ACME_CLIENT_ID: 'a',
        OIDC_ACME_CLIENT_SECRET: 'as',
        UNRELATED: 'x',
      }),
    ).toEqual([
      { name: 'acme', issuer: 'https://id.acme.test', clientId: 'a', clientSecret: 'as' },
      { name: 'google', issuer: GOOGLE_ISSUER, clientId: 'g', clientSecret: 'gs' },
    ]);
  });

  it('ignores empty values and refuses incomplete or malformed providers', () => {
    expect(parseOidcProviders({ OIDC_X_ISSUER: '' })).toEqual([]);
    expect(() => parseOidcProviders({ OIDC_ACME_CLIENT_ID: 'a' })).toThrow(/OIDC_ACME_ISSUER/);
    expect(() =>
      parseOidcProviders({
        OIDC_ACME_ISSUER: 'not a url',
        OIDC_ACME_CLIENT_ID: 'a',
        OIDC_ACME_CLIENT_SECRET: 's',
      }),
    ).toThrow(/must be a URL/);
  });
});
