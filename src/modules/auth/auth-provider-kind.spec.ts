import { describe, expect, it } from '@jest/globals';
import { AUTH_PROVIDER_KINDS, externalProviderKind } from './auth-provider-kind.js';

describe('external identity provider kind', () => {
  it.each([
    ['google', 'https://accounts.google.com', 'google'],
    ['corp', 'https://accounts.google.com', 'google'],
    [
      'ms',
      'https://login.microsoftonline.com/9188040d-6c67-4c5b-b112-36a304b66dad/v2.0',
      'microsoft',
    ],
    ['apple', 'https://appleid.apple.com', 'apple'],
    ['fb', 'https://www.facebook.com', 'facebook'],
    ['microsoft', 'https://sso.example.com/realms/main', 'microsoft'],
    ['acme', 'https://sso.example.com/realms/main', 'oidc'],
    ['acme', 'not a url', 'oidc'],
  ])('%s at %s is %s', (name, issuer, kind) => {
    expect(externalProviderKind(name, issuer)).toBe(kind);
  });

  it('keeps the seed vocabulary and adds oidc', () => {
    expect(AUTH_PROVIDER_KINDS).toEqual([
      'local',
      'google',
      'facebook',
      'microsoft',
      'apple',
      'oidc',
    ]);
  });
});
