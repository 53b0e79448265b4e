import { retentionPolicy } from '#libs/common/privacy/retention-policies.js';
import { csvCell } from './csv-safety.js';
import type { ProcessingActivityDto } from './dto/privacy-requests.dto.js';
import type { DescribedCategory } from './privacy-contributors.js';

/** Categories that declare no Art. 30 record (a bug: the processing-activities test fails). */
export const undeclaredCategories = (categories: readonly DescribedCategory[]): string[] =>
  categories.filter((category) => !category.processing).map((category) => category.category);

/**
 * The record of processing activities (GDPR Art. 30(1)) from the contributors' descriptions: a
 * module with personal data appears here by construction. A category without a declaration is
 * listed with `undeclared` values rather than hidden.
 */
export function processingActivities(
  categories: readonly DescribedCategory[],
): ProcessingActivityDto[] {
  return categories.map((category) => {
    const declared = category.processing;
    const policy = category.retentionPolicy ? retentionPolicy(category.retentionPolicy) : undefined;
    const retention = [
      declared?.retention ?? 'undeclared',
      policy ? `after erasure kept pseudonymised: ${policy.period} (${policy.reason})` : null,
    ]
      .filter(Boolean)
      .join('; ');
    return {
      category: category.category,
      contributor: category.contributor,
      description: category.description,
      purpose: declared?.purpose ?? 'undeclared',
      legalBasis: declared?.legalBasis ?? 'undeclared',
      retention,
      recipients: [...(declared?.recipients ?? [])],
      tables: [...category.tables],
      erasure: category.erasure,
    };
  });
}

const COLUMNS = [
  'category',
  'contributor',
  'description',
  'purpose',
  'legalBasis',
  'retention',
  'recipients',
  'tables',
  'erasure',
] as const;

/** CSV (RFC 4180, formula cells neutralised), recipients and tables joined with `; `. */
export function processingActivitiesCsv(rows: readonly ProcessingActivityDto[]): string {
  const quote = (cell: string) => (/[",\r\n]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell);
  const line = (values: readonly string[]) => values.map((v) => quote(csvCell(v))).join(',');
  return [
    line(COLUMNS),
    ...rows.map((row) =>
      line(
        COLUMNS.map((column) => {
          const value = row[column];
          return Array.isArray(value) ? value.join('; ') : String(value);
        }),
      ),
    ),
  ]
    .map((text) => `${text}\r\n`)
    .join('');
}
