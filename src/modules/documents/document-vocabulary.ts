/** Kinds of travel document (the original's `DocumentType`). */
export const DOCUMENT_TYPES = [
  'passport',
  'visa',
  'drivers_license',
  'national_id',
  'travel_card',
  'vaccination_card',
] as const;
export type DocumentType = (typeof DOCUMENT_TYPES)[number];

/** How many entries a visa allows (the original's `visa_entries_allowed`). */
export const VISA_ENTRIES = ['single', 'double', 'multiple'] as const;
export type VisaEntries = (typeof VISA_ENTRIES)[number];

/** Non-visa documents carry no visa fields (per-table CHECK `chk_<table>_visa_fields`). */
export const VISA_FIELDS_CHECK = `"document_type" = 'visa' OR ("visa_country" IS NULL AND "visa_entries" IS NULL AND "visa_type" IS NULL AND "visa_purpose" IS NULL AND "valid_from" IS NULL)`;

/** Review lifecycle; the rules that move between them are data in `document-lifecycle.ts`. */
export const DOCUMENT_STATUSES = [
  'pending',
  'in_review',
  'verified',
  'rejected',
  'expired',
] as const;
export type DocumentStatus = (typeof DOCUMENT_STATUSES)[number];

/**
 * Who a document belongs to: the account holder (`user_documents.user_id`) or one of their
 * travelers (`traveler_documents.traveler_id`). Each kind is plugged in by the module that owns
 * the owner (profiles: `user`, travelers: `traveler`), see `document-owner.ts`.
 */
export const DOCUMENT_KINDS = ['user', 'traveler'] as const;
export type DocumentKind = (typeof DOCUMENT_KINDS)[number];

/** An admin's decision on a document. */
export const REVIEW_DECISIONS = ['verify', 'reject'] as const;
export type ReviewDecision = (typeof REVIEW_DECISIONS)[number];

/**
 * Reason codes an admin gives with a decision; the owner sees the code (never the internal
 * note). `document_valid` is the only code for a verification; a rejection needs one of the
 * others.
 */
export const REVIEW_REASON_CODES = [
  'document_valid',
  'illegible',
  'data_mismatch',
  'invalid_dates',
  'unsupported_document',
  'incomplete',
  'suspected_fraud',
  'other',
] as const;
export type ReviewReasonCode = (typeof REVIEW_REASON_CODES)[number];

export const REJECTION_REASON_CODES: readonly ReviewReasonCode[] = REVIEW_REASON_CODES.filter(
  (code) => code !== 'document_valid',
);

/** Largest accepted `extraData`, as serialised JSON (bytes). */
export const DOCUMENT_EXTRA_DATA_MAX_BYTES = 4096;
