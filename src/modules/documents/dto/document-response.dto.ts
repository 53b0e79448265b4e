import { ApiProperty } from '#libs/common/openapi/api-docs.js';
import {
  DOCUMENT_KINDS,
  DOCUMENT_STATUSES,
  DOCUMENT_TYPES,
  REVIEW_DECISIONS,
  REVIEW_REASON_CODES,
  type DocumentKind,
  type DocumentStatus,
  VISA_ENTRIES,
  type DocumentType,
  type VisaEntries,
  type ReviewDecision,
  type ReviewReasonCode,
} from '../document-vocabulary.js';
import { DocumentFileResponseDto } from '../files/document-file.dto.js';

/** What the owner sees: the number masked, the latest decision's reason code, never notes. */
export class VisaResponseDto {
  @ApiProperty({ example: 'US' }) country: string;
  @ApiProperty({ enum: VISA_ENTRIES }) entries: VisaEntries;
  @ApiProperty({ format: 'date' }) validFrom: string;
  @ApiProperty({ nullable: true, type: String }) visaType: string | null;
  @ApiProperty({ nullable: true, type: String }) purpose: string | null;
}

export class DocumentResponseDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ enum: DOCUMENT_TYPES })
  type: DocumentType;

  @ApiProperty({ example: '••••4567', description: 'Masked: only the last 4 characters' })
  numberMasked: string;

  @ApiProperty({ example: 'FR' })
  issuingCountry: string;

  @ApiProperty({ type: String, nullable: true })
  issuingAuthority: string | null;

  @ApiProperty({ type: String, nullable: true, example: 'FR' })
  nationality: string | null;

  @ApiProperty()
  holderName: string;

  @ApiProperty({ type: String, format: 'date', nullable: true })
  dateOfBirth: string | null;

  @ApiProperty({ type: String, format: 'date', nullable: true })
  issueDate: string | null;

  @ApiProperty({ type: String, format: 'date', nullable: true })
  expiryDate: string | null;

  @ApiProperty({ type: 'object', additionalProperties: true })
  extraData: Record<string, unknown>;

  @ApiProperty({ type: VisaResponseDto, nullable: true, description: 'Visas only' })
  visa: VisaResponseDto | null;

  @ApiProperty({ enum: DOCUMENT_STATUSES })
  status: DocumentStatus;

  @ApiProperty({ type: String, format: 'date-time' })
  statusChangedAt: string;

  @ApiProperty({ enum: REVIEW_REASON_CODES, nullable: true })
  reviewReasonCode: ReviewReasonCode | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  reviewedAt: string | null;

  @ApiProperty()
  version: number;

  @ApiProperty({ type: String, format: 'date-time' })
  createdAt: string;

  @ApiProperty({ type: String, format: 'date-time' })
  updatedAt: string;
}

export class DocumentReviewResponseDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ enum: REVIEW_DECISIONS })
  decision: ReviewDecision;

  @ApiProperty({ enum: REVIEW_REASON_CODES })
  reasonCode: ReviewReasonCode;

  @ApiProperty({ type: String, nullable: true, description: 'Internal, staff only' })
  note: string | null;

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  reviewerId: string | null;

  @ApiProperty({ enum: DOCUMENT_STATUSES })
  fromStatus: DocumentStatus;

  @ApiProperty({ type: String, format: 'date-time' })
  createdAt: string;
}

/** What an admin sees in the queue: still masked, plus owner and workflow fields. */
export class AdminDocumentResponseDto extends DocumentResponseDto {
  @ApiProperty({ enum: DOCUMENT_KINDS })
  kind: DocumentKind;

  @ApiProperty({
    format: 'uuid',
    description: 'User id (kind user) or traveler id (kind traveler)',
  })
  ownerId: string;

  @ApiProperty({
    type: String,
    format: 'uuid',
    nullable: true,
    description: 'The account holder the document belongs to',
  })
  accountHolderId: string | null;

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  claimedBy: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  claimedAt: string | null;

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  reviewedBy: string | null;
}

export class AdminDocumentDetailResponseDto extends AdminDocumentResponseDto {
  @ApiProperty({ type: [DocumentReviewResponseDto], description: 'Oldest first' })
  reviews: DocumentReviewResponseDto[];

  @ApiProperty({ type: [DocumentFileResponseDto], description: 'Evidence (scans), oldest first' })
  files: DocumentFileResponseDto[];
}

export class AdminDocumentPageDto {
  @ApiProperty({ type: [AdminDocumentResponseDto] })
  items: AdminDocumentResponseDto[];

  @ApiProperty({ type: String, nullable: true })
  nextCursor: string | null;
}

export class DocumentPageDto {
  @ApiProperty({ type: [DocumentResponseDto] })
  items: DocumentResponseDto[];

  @ApiProperty({ type: String, nullable: true })
  nextCursor: string | null;
}

export class RevealedDocumentNumberDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ enum: DOCUMENT_KINDS })
  kind: DocumentKind;

  @ApiProperty({ description: 'The full number, in clear (audited)' })
  number: string;
}
