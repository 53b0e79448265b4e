import { ApiProperty, ApiPropertyOptional } from '#libs/common/openapi/api-docs.js';
import {
  IsBoolean,
  IsEmail,
  IsIn,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
  MinLength,
} from 'class-validator';
import { IsZonedDateTime } from '#libs/common/validation/field-validators.js';
import {
  PRIVACY_REQUEST_CHANNELS,
  PRIVACY_REQUEST_STATUSES,
  PRIVACY_REQUEST_TYPES,
  type PrivacyRequestChannel,
  type PrivacyRequestStatus,
  type PrivacyRequestType,
} from '../privacy-request-states.js';

export class CreatePrivacyRequestDto {
  @ApiProperty({ enum: PRIVACY_REQUEST_TYPES })
  @IsIn(PRIVACY_REQUEST_TYPES)
  type: PrivacyRequestType;

  @ApiProperty({ enum: PRIVACY_REQUEST_CHANNELS })
  @IsIn(PRIVACY_REQUEST_CHANNELS)
  channel: PrivacyRequestChannel;

  @ApiPropertyOptional({
    description:
      'The address the request came from; matched to an account (subjectId) when one has it. Give this or subjectId.',
    maxLength: 254,
  })
  @IsOptional()
  @IsEmail()
  @MaxLength(254)
  subjectEmail?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'The account, when staff know it' })
  @IsOptional()
  @IsUUID()
  subjectId?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'Default: now. Not in the future.' })
  @IsOptional()
  @IsZonedDateTime()
  receivedAt?: string;

  @ApiPropertyOptional({ maxLength: 4000, description: 'What the subject asked for, in words' })
  @IsOptional()
  @IsString()
  @MaxLength(4000)
  details?: string;
}

export class TransitionPrivacyRequestDto {
  @ApiProperty({ enum: PRIVACY_REQUEST_STATUSES })
  @IsIn(PRIVACY_REQUEST_STATUSES)
  to: PrivacyRequestStatus;

  @ApiPropertyOptional({ maxLength: 2000, description: 'Required for `rejected`' })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  reason?: string;

  @ApiPropertyOptional({ maxLength: 4000, description: 'Required for `completed`' })
  @IsOptional()
  @IsString()
  @MaxLength(4000)
  outcome?: string;

  @ApiPropertyOptional({
    maxLength: 200,
    description: 'Required for `identity_verified`: how identity was verified',
  })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  identityMethod?: string;
}

export class ExtendPrivacyRequestDto {
  @ApiProperty({ minLength: 1, maxLength: 2000, description: 'Why more time is needed' })
  @IsString()
  @MinLength(1)
  @MaxLength(2000)
  @Matches(/\S/, { message: 'reason must not be blank' })
  reason: string;
}

export class StaffErasureDto {
  @ApiProperty({ description: 'true: report what would be erased, change nothing' })
  @IsBoolean()
  dryRun: boolean;
}

export class PrivacyRequestResponseDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ enum: PRIVACY_REQUEST_TYPES })
  type: PrivacyRequestType;

  @ApiProperty({ enum: PRIVACY_REQUEST_CHANNELS })
  channel: PrivacyRequestChannel;

  @ApiProperty({
    type: String,
    format: 'uuid',
    nullable: true,
    description: 'The user id (the pseudonym after erasure), or null when no account matched',
  })
  subjectId: string | null;

  @ApiProperty({ type: String, nullable: true })
  subjectEmail: string | null;

  @ApiProperty({ type: String, nullable: true })
  details: string | null;

  @ApiProperty({ enum: PRIVACY_REQUEST_STATUSES })
  status: PrivacyRequestStatus;

  @ApiProperty({ format: 'date-time' })
  receivedAt: string;

  @ApiProperty({ format: 'date-time', description: 'receivedAt plus one calendar month' })
  dueAt: string;

  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'dueAt plus two calendar months, once extended',
  })
  extendedDueAt: string | null;

  @ApiProperty({ type: String, nullable: true })
  extensionReason: string | null;

  @ApiProperty({ description: 'Open and past its deadline (the extended one when extended)' })
  overdue: boolean;

  @ApiProperty({ type: String, nullable: true })
  identityMethod: string | null;

  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'When the request was completed or rejected',
  })
  completedAt: string | null;

  @ApiProperty({ type: String, nullable: true })
  outcome: string | null;

  @ApiProperty({ type: String, nullable: true })
  rejectionReason: string | null;

  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'Counts per category (erasure) or sections written (export)',
  })
  result: Record<string, unknown>;
}

export class PrivacyRequestHistoryEntryDto {
  @ApiProperty({ format: 'date-time' })
  at: string;

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  actorId: string | null;

  @ApiProperty({ type: String, nullable: true, enum: PRIVACY_REQUEST_STATUSES })
  from: string | null;

  @ApiProperty({ description: 'The new status, or `extended`' })
  to: string;

  @ApiProperty({ type: String, nullable: true })
  reason: string | null;
}

export class PrivacyRequestDetailDto extends PrivacyRequestResponseDto {
  @ApiProperty({ type: [PrivacyRequestHistoryEntryDto] })
  history: PrivacyRequestHistoryEntryDto[];
}

export class PrivacyRequestPageDto {
  @ApiProperty({ type: [PrivacyRequestResponseDto] })
  items: PrivacyRequestResponseDto[];

  @ApiProperty({ type: String, nullable: true })
  nextCursor: string | null;
}

export class ProcessingActivitiesQueryDto {
  @ApiPropertyOptional({ enum: ['json', 'csv'], default: 'json' })
  @IsOptional()
  @IsIn(['json', 'csv'])
  format?: 'json' | 'csv';
}

export class ProcessingActivityDto {
  @ApiProperty({ example: 'bookings.bookings' })
  category: string;

  @ApiProperty({ example: 'bookings' })
  contributor: string;

  @ApiProperty()
  description: string;

  @ApiProperty()
  purpose: string;

  @ApiProperty({ example: 'GDPR Art. 6(1)(b): performance of a contract' })
  legalBasis: string;

  @ApiProperty()
  retention: string;

  @ApiProperty({ type: [String] })
  recipients: string[];

  @ApiProperty({ type: [String] })
  tables: string[];

  @ApiProperty({ enum: ['delete', 'pseudonymise'] })
  erasure: 'delete' | 'pseudonymise';
}

export class ProcessingActivityListDto {
  @ApiProperty({ type: [ProcessingActivityDto] })
  items: ProcessingActivityDto[];

  @ApiProperty({ type: String, nullable: true })
  nextCursor: string | null;
}
