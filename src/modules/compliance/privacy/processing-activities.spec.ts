import { describe, expect, it } from '@jest/globals';
import type { DescribedCategory } from './privacy-contributors.js';
import {
  processingActivities,
  processingActivitiesCsv,
  undeclaredCategories,
} from './processing-activities.js';

const category = (name: string, declared: boolean): DescribedCategory => ({
  category: name,
  contributor: name.split('.')[0] as string,
  description: `About ${name}, with "quotes", commas`,
  tables: [name.replace('.', '_')],
  erasure: 'pseudonymise',
  retentionPolicy: 'bookings',
  ...(declared
    ? {
        processing: {
          purpose: 'Book travel',
          legalBasis: 'GDPR Art. 6(1)(b)',
          retention: '=10 years',
          recipients: ['Booking provider', 'Payment provider'],
        },
      }
    : {}),
});

describe('record of processing activities', () => {
  it('names the categories that declare nothing', () => {
    expect(undeclaredCategories([category('a.x', true), category('b.y', false)])).toEqual(['b.y']);
  });

  it('adds the retention policy of kept categories', () => {
    const [row] = processingActivities([category('a.x', true)]);
    expect(row?.retention).toMatch(/^=10 years; after erasure kept pseudonymised: P10Y/);
    expect(row?.recipients).toEqual(['Booking provider', 'Payment provider']);
  });

  it('writes RFC 4180 CSV with formula cells neutralised', () => {
    const csv = processingActivitiesCsv(processingActivities([category('a.x', true)]));
    const [header, line] = csv.split('\r\n');
    expect(header).toBe(
      'category,contributor,description,purpose,legalBasis,retention,recipients,tables,erasure',
    );
    expect(line).toContain('"About a.x, with ""quotes"", commas"');
    expect(line).toContain(',"\'=10 years');
    expect(line).toContain('Booking provider; Payment provider');
  });
});
