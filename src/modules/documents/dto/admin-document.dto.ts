import { ApiProperty, ApiPropertyOptional } from '#libs/common/openapi/api-docs.js';
import { Transform } from 'class-transformer';
import { IsIn, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';
import { PageQueryDto } from '#libs/common/pagination/pagination.js';
import { trim } from '#libs/common/validation/field-validators.js';
import {
  DOCUMENT_KINDS,
  DOCUMENT_STATUSES,
  REVIEW_DECISIONS,
  REVIEW_REASON_CODES,
  type DocumentKind,
  type DocumentStatus,
  type ReviewDecision,
  type ReviewReasonCode,
} from '../document-vocabulary.js';

export class AdminDocumentQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: DOCUMENT_STATUSES })
  @IsOptional()
  @IsIn(DOCUMENT_STATUSES)
  status?: DocumentStatus;

  @ApiPropertyOptional({ enum: DOCUMENT_KINDS })
  @IsOptional()
  @IsIn(DOCUMENT_KINDS)
  kind?: DocumentKind;
}

export class ReviewDocumentDto {
  @ApiProperty({ enum: REVIEW_DECISIONS })
  @IsIn(REVIEW_DECISIONS)
  decision: ReviewDecision;

  @ApiPropertyOptional({
    enum: REVIEW_REASON_CODES,
    description:
      'Shown to the owner. Required to reject (any code but document_valid); ' +
      'a verification is always document_valid.',
  })
  @IsOptional()
  @IsIn(REVIEW_REASON_CODES)
  reasonCode?: ReviewReasonCode;

  @ApiPropertyOptional({ maxLength: 2000, description: 'Internal note, never shown to the owner' })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  note?: string;
}

export class RevealDocumentDto {
  @ApiProperty({
    minLength: 3,
    maxLength: 500,
    description: 'Why the full number is needed (audited)',
  })
  @Transform(trim)
  @IsString()
  @MinLength(3)
  @MaxLength(500)
  reason: string;
}
