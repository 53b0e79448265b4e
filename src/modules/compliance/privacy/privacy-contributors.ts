import { Injectable, type OnModuleInit } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import {
  type PersonalDataCategory,
  PersonalDataContributor,
} from '#libs/common/privacy/personal-data-contributor.js';
import { retentionPolicy } from '#libs/common/privacy/retention-policies.js';

export interface DiscoveredContributor {
  key: string;
  order: number;
  instance: PersonalDataContributor;
}

export interface DescribedCategory extends PersonalDataCategory {
  contributor: string;
}

/**
 * Finds every provider decorated with `@PersonalDataContributor(...)` in the application (Nest
 * DiscoveryService), checks their descriptions once at boot (unique keys and categories, a
 * retention policy for every kept category) and hands them out in erasure order.
 */
@Injectable()
export class PrivacyContributors implements OnModuleInit {
  private discovered: DiscoveredContributor[] = [];

  constructor(private readonly discovery: DiscoveryService) {}

  onModuleInit(): void {
    const found: DiscoveredContributor[] = [];
    for (const wrapper of this.discovery.getProviders({
      metadataKey: PersonalDataContributor.KEY,
    })) {
      const options = this.discovery.getMetadataByDecorator(PersonalDataContributor, wrapper);
      const instance = wrapper.instance as PersonalDataContributor | undefined;
      if (!options || !instance || found.some((entry) => entry.instance === instance)) continue;
      found.push({ key: options.key, order: options.order ?? 100, instance });
    }
    found.sort((a, b) => a.order - b.order || a.key.localeCompare(b.key));
    this.discovered = found;
    validateContributors(this.discovered);
  }

  all(): readonly DiscoveredContributor[] {
    return this.discovered;
  }

  categories(): DescribedCategory[] {
    return this.discovered.flatMap(({ key, instance }) =>
      instance.describe().categories.map((category) => ({ ...category, contributor: key })),
    );
  }
}

/** Throws on a description the privacy service could not honour (a bug, found at boot). */
export function validateContributors(contributors: readonly DiscoveredContributor[]): void {
  const keys = new Set<string>();
  const categories = new Set<string>();
  for (const { key, instance } of contributors) {
    if (keys.has(key)) throw new Error(`Two personal-data contributors use the key "${key}"`);
    keys.add(key);
    for (const category of instance.describe().categories) {
      if (categories.has(category.category)) {
        throw new Error(`Personal-data category "${category.category}" is described twice`);
      }
      categories.add(category.category);
      if (category.erasure === 'pseudonymise') {
        if (!category.retentionPolicy || !retentionPolicy(category.retentionPolicy)) {
          throw new Error(
            `Category "${category.category}" is kept pseudonymised without a known retention policy`,
          );
        }
      }
    }
  }
}
