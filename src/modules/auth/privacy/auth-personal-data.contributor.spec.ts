import { describe, expect, it } from '@jest/globals';
import type { DataSource } from 'typeorm';
import type { PasswordService } from '../passwords/password.service.js';
import {
  AuthPersonalDataContributor,
  FRESH_TOKEN_SECONDS,
} from './auth-personal-data.contributor.js';

function contributor(passwordHash: string | null) {
  const dataSource = {
    query: async () => [{ password_hash: passwordHash }],
  } as unknown as DataSource;
  const passwords = {
    verify: async (hash: string, password: string) => hash === `hash:${password}`,
  } as unknown as PasswordService;
  return new AuthPersonalDataContributor(dataSource, passwords);
}

const now = () => Math.floor(Date.now() / 1000);
const code = (promise: Promise<void>) =>
  promise.then(
    () => 'OK',
    (error: { response?: { code?: string } }) => error.response?.code ?? 'ERROR',
  );

describe('AuthPersonalDataContributor.confirmIdentity (DELETE /me re-authentication)', () => {
  it.each<[string, string | null, { password?: string; age: number }, string]>([
    ['right password', 'hash:secret', { password: 'secret', age: 3600 }, 'OK'],
    ['wrong password', 'hash:secret', { password: 'nope', age: 0 }, 'REAUTHENTICATION_FAILED'],
    ['no password sent, account has one', 'hash:secret', { age: 0 }, 'REAUTHENTICATION_REQUIRED'],
    ['no password on the account, fresh token', null, { age: 5 }, 'OK'],
    ['no password on the account, token at the limit', null, { age: FRESH_TOKEN_SECONDS }, 'OK'],
    [
      'no password on the account, token too old',
      null,
      { age: FRESH_TOKEN_SECONDS + 1 },
      'REAUTHENTICATION_REQUIRED',
    ],
  ])('%s', async (_name, hash, proof, expected) => {
    const result = await code(
      contributor(hash).confirmIdentity('u', {
        password: proof.password,
        tokenIssuedAt: now() - proof.age,
      }),
    );
    expect(result).toBe(expected);
  });
});
