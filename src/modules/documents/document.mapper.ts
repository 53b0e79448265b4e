import type { DocumentFileEntity } from './files/document-file.entity.js';
import { toDocumentFileResponse } from './files/document-file.dto.js';
import type { DocumentReviewEntity } from './document-review.entity.js';
import type { DocumentKind } from './document-vocabulary.js';
import type {
  AdminDocumentDetailResponseDto,
  AdminDocumentResponseDto,
  DocumentResponseDto,
  DocumentReviewResponseDto,
} from './dto/document-response.dto.js';
import type { TravelDocumentBase } from './travel-document.base.js';

const iso = (value: Date): string => value.toISOString();
const isoOrNull = (value: Date | null): string | null => (value ? value.toISOString() : null);

/**
 * The owner's view. Built field by field from an allow-list: the ciphertext, the blind index
 * and staff fields never reach a response; the number only as its stored masked form.
 */
export function toDocumentResponse(document: TravelDocumentBase): DocumentResponseDto {
  return {
    id: document.id,
    type: document.documentType,
    numberMasked: document.numberMasked,
    issuingCountry: document.issuingCountry,
    issuingAuthority: document.issuingAuthority,
    nationality: document.nationality,
    holderName: document.holderName,
    dateOfBirth: document.dateOfBirth,
    issueDate: document.issueDate,
    expiryDate: document.expiryDate,
    extraData: document.extraData,
    visa:
      document.documentType === 'visa' && document.visaCountry && document.visaEntries
        ? {
            country: document.visaCountry,
            entries: document.visaEntries,
            validFrom: document.validFrom ?? '',
            visaType: document.visaType,
            purpose: document.visaPurpose,
          }
        : null,
    status: document.status,
    statusChangedAt: iso(document.statusChangedAt),
    reviewReasonCode: document.reviewReasonCode,
    reviewedAt: isoOrNull(document.reviewedAt),
    version: document.version,
    createdAt: iso(document.createdAt),
    updatedAt: iso(document.updatedAt),
  };
}

export function toAdminDocumentResponse(
  kind: DocumentKind,
  ownerId: string,
  accountHolderId: string | null,
  document: TravelDocumentBase,
): AdminDocumentResponseDto {
  return {
    ...toDocumentResponse(document),
    kind,
    ownerId,
    accountHolderId,
    claimedBy: document.claimedBy,
    claimedAt: isoOrNull(document.claimedAt),
    reviewedBy: document.reviewedBy,
  };
}

export function toReviewResponse(review: DocumentReviewEntity): DocumentReviewResponseDto {
  return {
    id: review.id,
    decision: review.decision,
    reasonCode: review.reasonCode,
    note: review.note,
    reviewerId: review.reviewerId,
    fromStatus: review.fromStatus,
    createdAt: iso(review.createdAt),
  };
}

export function toAdminDocumentDetail(
  summary: AdminDocumentResponseDto,
  reviews: readonly DocumentReviewEntity[],
  files: readonly DocumentFileEntity[] = [],
): AdminDocumentDetailResponseDto {
  return {
    ...summary,
    reviews: reviews.map(toReviewResponse),
    files: files.map(toDocumentFileResponse),
  };
}
