import type { DocumentStatus } from './document-vocabulary.js';

/** What can happen to a document. */
export const DOCUMENT_EVENTS = ['claim', 'verify', 'reject', 'rectify', 'expire'] as const;
export type DocumentEvent = (typeof DOCUMENT_EVENTS)[number];

export interface DocumentTransition {
  readonly from: readonly DocumentStatus[];
  readonly to: DocumentStatus;
}

/**
 * The lifecycle as data. Anything not listed is an invalid transition (409).
 * - `claim`: an admin takes a pending document into review.
 * - `verify` / `reject`: an admin decides, straight from `pending` or after a claim.
 * - `rectify`: the owner edits the document's content; whatever was decided no longer applies,
 *   so it goes back to `pending` (an expired document may be rectified too, e.g. a corrected
 *   expiry date; the service refuses content that is still past its expiry).
 * - `expire`: the expiry date has passed (check on read and the scheduled sweep).
 */
export const DOCUMENT_TRANSITIONS: Readonly<Record<DocumentEvent, DocumentTransition>> = {
  claim: { from: ['pending'], to: 'in_review' },
  verify: { from: ['pending', 'in_review'], to: 'verified' },
  reject: { from: ['pending', 'in_review'], to: 'rejected' },
  rectify: { from: ['pending', 'in_review', 'verified', 'rejected', 'expired'], to: 'pending' },
  expire: { from: ['pending', 'in_review', 'verified', 'rejected'], to: 'expired' },
};

export function canTransition(from: DocumentStatus, event: DocumentEvent): boolean {
  return DOCUMENT_TRANSITIONS[event].from.includes(from);
}

/** The status after `event`, or null when the event is not allowed from `from`. */
export function nextStatus(from: DocumentStatus, event: DocumentEvent): DocumentStatus | null {
  return canTransition(from, event) ? DOCUMENT_TRANSITIONS[event].to : null;
}

/**
 * A document is past its expiry once the expiry date is over: it is still valid ON its expiry
 * date, expired from the next day (UTC). No expiry date means it never expires.
 */
export function isPastExpiry(expiryDate: string | null, today: string): boolean {
  return expiryDate !== null && expiryDate < today;
}
