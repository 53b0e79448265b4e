import { describe, expect, it } from '@jest/globals';
import type {
  PersonalDataCategory,
  PersonalDataContributor,
} from '#libs/common/privacy/personal-data-contributor.js';
import { type DiscoveredContributor, validateContributors } from './privacy-contributors.js';

const contributor = (key: string, categories: PersonalDataCategory[]): DiscoveredContributor => ({
  key,
  order: 100,
  instance: {
    describe: () => ({ categories }),
    export: async () => undefined,
    erase: async () => [],
  } satisfies PersonalDataContributor,
});

const category = (
  name: string,
  extra: Partial<PersonalDataCategory> = {},
): PersonalDataCategory => ({
  category: name,
  description: name,
  tables: [name],
  erasure: 'delete',
  ...extra,
});

describe('validateContributors', () => {
  it('accepts distinct keys and categories, kept categories with a known policy', () => {
    expect(() =>
      validateContributors([
        contributor('a', [category('a.x')]),
        contributor('b', [
          category('b.y', { erasure: 'pseudonymise', retentionPolicy: 'bookings' }),
        ]),
      ]),
    ).not.toThrow();
  });

  it.each<[string, DiscoveredContributor[], RegExp]>([
    ['duplicate key', [contributor('a', []), contributor('a', [])], /key "a"/],
    [
      'duplicate category',
      [contributor('a', [category('x')]), contributor('b', [category('x')])],
      /described twice/,
    ],
    [
      'pseudonymised without a policy',
      [contributor('a', [category('a.x', { erasure: 'pseudonymise' })])],
      /retention policy/,
    ],
    [
      'pseudonymised under an unknown policy',
      [
        contributor('a', [
          category('a.x', { erasure: 'pseudonymise', retentionPolicy: 'forever' }),
        ]),
      ],
      /retention policy/,
    ],
  ])('refuses a %s', (_name, contributors, message) => {
    expect(() => validateContributors(contributors)).toThrow(message);
  });
});
