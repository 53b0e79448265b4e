import { ApiProperty } from '#libs/common/openapi/api-docs.js';
import { IsBoolean, IsInt, IsString, Max, MaxLength, Min } from 'class-validator';
import { CONSENT_SOURCES, type ConsentSource } from '#libs/common/compliance-ports.js';
import {
  CONSENT_DECISIONS,
  CONSENT_PURPOSES,
  type ConsentDecisionKind,
  type ConsentPurpose,
} from '../consent-purposes.js';

/** Grant and withdraw are the same call. Unknown purpose or version → 422. */
export class RecordConsentDto {
  @ApiProperty({ enum: CONSENT_PURPOSES, enumName: 'ConsentPurpose' })
  @IsString()
  @MaxLength(50)
  purpose: string;

  @ApiProperty({ description: 'Notice version (a grant must name the current one)', example: 1 })
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  version: number;

  @ApiProperty({ description: 'true grants, false withdraws' })
  @IsBoolean()
  granted: boolean;
}

export class ConsentEventResponseDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ enum: CONSENT_PURPOSES, enumName: 'ConsentPurpose' })
  purpose: ConsentPurpose;

  @ApiProperty()
  noticeVersion: number;

  @ApiProperty()
  textSha256: string;

  @ApiProperty({ enum: CONSENT_DECISIONS, enumName: 'ConsentDecision' })
  decision: ConsentDecisionKind;

  @ApiProperty({ format: 'date-time' })
  occurredAt: string;

  @ApiProperty({ enum: CONSENT_SOURCES, enumName: 'ConsentSource' })
  source: ConsentSource;

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  travelerId: string | null;

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  actorId: string | null;

  @ApiProperty({ type: String, nullable: true })
  ip: string | null;

  @ApiProperty({ type: String, nullable: true })
  userAgent: string | null;

  @ApiProperty({ description: 'Position in the subject’s hash chain' })
  seq: number;

  @ApiProperty({ type: String, nullable: true })
  prevHash: string | null;

  @ApiProperty()
  hash: string;
}

export class ConsentEventPageDto {
  @ApiProperty({ type: [ConsentEventResponseDto] })
  items: ConsentEventResponseDto[];

  @ApiProperty({ type: String, nullable: true })
  nextCursor: string | null;
}

export class ConsentStateResponseDto {
  @ApiProperty({ enum: CONSENT_PURPOSES, enumName: 'ConsentPurpose' })
  purpose: ConsentPurpose;

  @ApiProperty({ description: 'Whether a grant counts now (what @RequiresConsent checks)' })
  granted: boolean;

  @ApiProperty({ type: Number, nullable: true, description: 'Current notice version' })
  currentVersion: number | null;

  @ApiProperty({
    description: 'The latest decision is a grant of a version that a re-consent notice replaced',
  })
  reconsentRequired: boolean;

  @ApiProperty({ enum: CONSENT_DECISIONS, enumName: 'ConsentDecision', nullable: true })
  decision: ConsentDecisionKind | null;

  @ApiProperty({ type: Number, nullable: true, description: 'Version the latest decision named' })
  noticeVersion: number | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  decidedAt: string | null;
}

export class ConsentStateListDto {
  @ApiProperty({ type: [ConsentStateResponseDto] })
  items: ConsentStateResponseDto[];

  @ApiProperty({ type: String, nullable: true, description: 'Always null: one item per purpose' })
  nextCursor: string | null;
}

export class ChainBreakDto {
  @ApiProperty({ format: 'uuid' })
  eventId: string;

  @ApiProperty()
  seq: number;

  @ApiProperty()
  expectedSeq: number;

  @ApiProperty({ enum: ['SEQUENCE_GAP', 'PREVIOUS_HASH_MISMATCH', 'HASH_MISMATCH'] })
  reason: string;
}

export class ChainVerificationResponseDto {
  @ApiProperty({ format: 'uuid' })
  subjectId: string;

  @ApiProperty()
  intact: boolean;

  @ApiProperty()
  eventCount: number;

  @ApiProperty({ type: String, nullable: true })
  headHash: string | null;

  @ApiProperty({ type: ChainBreakDto, nullable: true })
  brokenAt: ChainBreakDto | null;

  @ApiProperty({ format: 'date-time' })
  verifiedAt: string;
}
