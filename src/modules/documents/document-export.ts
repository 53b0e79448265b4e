import { iso, type Queryable } from '#libs/common/privacy/export-rows.js';
import type { DocumentKind } from './document-vocabulary.js';

/**
 * The columns of a travel document in a personal-data export, for a table aliased `alias`
 * (user or traveler documents share them): the masked number only, never the ciphertext or the
 * blind index.
 */
export function documentExportColumns(alias: string): string {
  return [
    'id',
    'document_type',
    'number_masked',
    'issuing_country',
    'issuing_authority',
    'nationality',
    'holder_name',
    'date_of_birth::text AS date_of_birth',
    'issue_date::text AS issue_date',
    'expiry_date::text AS expiry_date',
    'extra_data',
    'visa_country',
    'visa_type',
    'visa_entries',
    'visa_purpose',
    'valid_from::text AS valid_from',
    'status',
    'status_changed_at',
    'review_reason_code',
    'reviewed_at',
    'created_at',
    'updated_at',
  ]
    .map((column) => `${alias}.${column}`)
    .join(', ');
}

/** One exported document, from a row selected with `documentExportColumns`. */
export function toDocumentExportRow(row: Record<string, unknown>): Record<string, unknown> {
  return {
    id: row.id,
    type: row.document_type,
    numberMasked: row.number_masked,
    issuingCountry: row.issuing_country,
    issuingAuthority: row.issuing_authority,
    nationality: row.nationality,
    holderName: row.holder_name,
    dateOfBirth: row.date_of_birth,
    issueDate: row.issue_date,
    expiryDate: row.expiry_date,
    extraData: row.extra_data,
    visa:
      row.visa_country === null
        ? null
        : {
            country: row.visa_country,
            entries: row.visa_entries,
            validFrom: row.valid_from,
            visaType: row.visa_type,
            purpose: row.visa_purpose,
          },
    status: row.status,
    statusChangedAt: iso(row.status_changed_at as Date),
    reviewReasonCode: row.review_reason_code,
    reviewedAt: iso(row.reviewed_at as Date | null),
    createdAt: iso(row.created_at as Date),
    updatedAt: iso(row.updated_at as Date),
  };
}

/**
 * How many review records `document_reviews` (this module's table) holds for these documents of
 * one owner kind: the owner modules report them in an erasure before deleting the documents (the
 * reviews go with them, by trigger). Owner modules ask here instead of reading the table.
 */
export async function countDocumentReviews(
  db: Queryable,
  kind: DocumentKind,
  documentIds: readonly string[],
): Promise<number> {
  if (documentIds.length === 0) return 0;
  const [row] = (await db.query(
    `SELECT count(*)::int AS n FROM document_reviews
      WHERE document_kind = $1 AND document_id = ANY($2::uuid[])`,
    [kind, documentIds],
  )) as { n: number }[];
  return row?.n ?? 0;
}
