import { describe, expect, it } from '@jest/globals';
import type { DiscoveryService } from '@nestjs/core';
import type { DataSource, EntityManager } from 'typeorm';
import type { PersonalDataContributor } from '#libs/common/privacy/personal-data-contributor.js';
import type { PasswordService } from '../passwords/password.service.js';
import {
  AuthPersonalDataContributor,
  FRESH_TOKEN_SECONDS,
} from './auth-personal-data.contributor.js';

const noOtherContributors = { getProviders: () => [] } as unknown as DiscoveryService;

function contributor(passwordHash: string | null, discovery = noOtherContributors) {
  const dataSource = {
    query: async () => [{ password_hash: passwordHash }],
  } as unknown as DataSource;
  const passwords = {
    verify: async (hash: string, password: string) => hash === `hash:${password}`,
  } as unknown as PasswordService;
  return new AuthPersonalDataContributor(dataSource, passwords, discovery);
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

describe('AuthPersonalDataContributor erased_accounts retention', () => {
  async function purgeSql(discovery: DiscoveryService): Promise<string> {
    const task = contributor(null, discovery)
      .retentionTasks()
      .find((candidate) => candidate.category === 'erased_accounts');
    const statements: string[] = [];
    const manager = {
      query: async (sql: string) => {
        statements.push(sql);
        return [{ n: 0 }];
      },
    } as unknown as EntityManager;
    await task?.count(manager, new Date());
    return statements.join('\n');
  }

  it("keeps an account while another contributor's rows reference it (asked, not read)", async () => {
    const holder: Partial<PersonalDataContributor> = {
      referencesAccountSql: (userId) => `EXISTS (SELECT 1 FROM kept_rows WHERE owner = ${userId})`,
    };
    const discovery = {
      getProviders: () => [{ instance: holder }, { instance: {} }],
    } as unknown as DiscoveryService;
    expect(await purgeSql(discovery)).toContain(
      'NOT (EXISTS (SELECT 1 FROM kept_rows WHERE owner = users.id))',
    );
  });

  it('names no table of another module itself', async () => {
    const sql = await purgeSql(noOtherContributors);
    expect(sql).toContain("status = 'deleted'");
    expect(sql).not.toMatch(/bookings/);
  });
});
