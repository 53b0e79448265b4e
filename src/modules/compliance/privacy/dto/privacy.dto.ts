import { ApiProperty, ApiPropertyOptional } from '#libs/common/openapi/api-docs.js';

import { IsBoolean, IsIn, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { IsZonedDateTime } from '#libs/common/validation/field-validators.js';
import { PageQueryDto } from '#libs/common/pagination/pagination.js';
import { CONSENT_PURPOSES, type ConsentPurpose } from '#modules/compliance/consent-purposes.js';
import {
  PRIVACY_REQUEST_STATUSES,
  PRIVACY_REQUEST_TYPES,
  type PrivacyRequestStatus,
  type PrivacyRequestType,
} from '../privacy-request-states.js';

export class DeleteAccountDto {
  @ApiPropertyOptional({
    description:
      'The current password. Accounts without a password (OpenID Connect only) omit it and need an access token issued in the last 10 minutes.',
  })
  @IsOptional()
  @IsString()
  @MaxLength(1024)
  password?: string;
}

export class RetentionInfoDto {
  @ApiProperty({ example: 'consent_ledger' })
  policy: string;

  @ApiProperty({ example: 'P10Y' })
  period: string;

  @ApiProperty()
  reason: string;
}

export class ErasureCategoryDto {
  @ApiProperty({ example: 'sessions.sessions' })
  category: string;

  @ApiProperty({ example: 'sessions' })
  contributor: string;

  @ApiProperty()
  description: string;

  @ApiProperty({ enum: ['delete', 'pseudonymise'] })
  action: 'delete' | 'pseudonymise';

  @ApiProperty({ description: 'Rows deleted, or kept under the pseudonym' })
  rows: number;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  keptUntil: string | null;

  @ApiProperty({ type: RetentionInfoDto, nullable: true })
  retention: RetentionInfoDto | null;
}

export class ErasureReportDto {
  @ApiProperty({ description: 'false for the preview (nothing was changed)' })
  executed: boolean;

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  privacyRequestId: string | null;

  @ApiProperty({
    type: String,
    format: 'uuid',
    nullable: true,
    description:
      'The pseudonym the kept records carry from now on (quote it to prove your consent history later).',
  })
  pseudonym: string | null;

  @ApiProperty({ format: 'date-time' })
  at: string;

  @ApiProperty({ type: [ErasureCategoryDto] })
  categories: ErasureCategoryDto[];
}

export class PrivacyRequestsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: PRIVACY_REQUEST_TYPES })
  @IsOptional()
  @IsIn(PRIVACY_REQUEST_TYPES)
  type?: PrivacyRequestType;

  @ApiPropertyOptional({ enum: PRIVACY_REQUEST_STATUSES })
  @IsOptional()
  @IsIn(PRIVACY_REQUEST_STATUSES)
  status?: PrivacyRequestStatus;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  subjectId?: string;

  @ApiPropertyOptional({
    enum: ['true', 'false'],
    description:
      'true: only open requests past their deadline (the extended one when extended); false: all others',
  })
  @IsOptional()
  @IsIn(['true', 'false'])
  overdue?: 'true' | 'false';
}

export class ConsentRecordsQueryDto {
  @ApiPropertyOptional({ enum: CONSENT_PURPOSES })
  @IsOptional()
  @IsIn(CONSENT_PURPOSES)
  purpose?: ConsentPurpose;

  @ApiPropertyOptional({ format: 'date-time', description: 'Inclusive lower bound of occurredAt' })
  @IsOptional()
  @IsZonedDateTime()
  from?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'Exclusive upper bound of occurredAt' })
  @IsOptional()
  @IsZonedDateTime()
  to?: string;

  @ApiPropertyOptional({ enum: ['csv', 'ndjson'], default: 'csv' })
  @IsOptional()
  @IsIn(['csv', 'ndjson'])
  format?: 'csv' | 'ndjson';
}

export class RetentionRunDto {
  @ApiProperty({ description: 'true: report what would be deleted, delete nothing' })
  @IsBoolean()
  dryRun: boolean;
}

export class RetentionPolicyDto {
  @ApiProperty({ example: 'auth_events' })
  category: string;

  @ApiProperty({ example: 365 })
  periodDays: number;

  @ApiProperty({ example: 'P1Y' })
  period: string;

  @ApiProperty()
  from: string;

  @ApiProperty({ enum: ['delete', 'keep'] })
  action: 'delete' | 'keep';

  @ApiProperty()
  reason: string;

  @ApiProperty({ type: [String], description: 'Contributors whose purge tasks apply it' })
  appliedBy: string[];
}

export class RetentionPolicyListDto {
  @ApiProperty({ type: [RetentionPolicyDto] })
  items: RetentionPolicyDto[];

  @ApiProperty({ type: String, nullable: true })
  nextCursor: string | null;
}

export class RetentionCategoryResultDto {
  @ApiProperty()
  category: string;

  @ApiProperty()
  contributor: string;

  @ApiProperty({ enum: ['delete', 'keep'] })
  action: 'delete' | 'keep';

  @ApiProperty({ format: 'date-time' })
  cutoff: string;

  @ApiProperty()
  rows: number;
}

export class RetentionRunResponseDto {
  @ApiProperty()
  dryRun: boolean;

  @ApiProperty({ format: 'date-time' })
  startedAt: string;

  @ApiProperty({ format: 'date-time' })
  finishedAt: string;

  @ApiProperty({ type: [RetentionCategoryResultDto] })
  categories: RetentionCategoryResultDto[];

  @ApiProperty()
  total: number;
}
