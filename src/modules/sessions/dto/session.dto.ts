import { IsDateOnly } from '#libs/common/validation/field-validators.js';
import { ApiProperty, ApiPropertyOptional } from '#libs/common/openapi/api-docs.js';
import {
  IsIn,
  IsObject,
  IsOptional,
  IsString,
  MaxLength,
  MinLength,
  ValidateIf,
} from 'class-validator';
import { NoNulCharacters } from './no-nul.js';
import { PageQueryDto } from '#libs/common/pagination/pagination.js';
import type { JsonObject } from '../json-merge-patch.js';
import { SESSION_LIMITS } from '../session-limits.js';
import { SESSION_STATUSES, type SessionStatus } from '../session-status.js';

const JSON_DOCUMENT = { type: 'object', additionalProperties: true } as const;

export class CreateSessionDto {
  @ApiPropertyOptional({ maxLength: 200, example: 'Long weekend in Lisbon' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  @NoNulCharacters()
  title?: string;

  @ApiPropertyOptional({
    maxLength: SESSION_LIMITS.messageContentMaxChars,
    description: 'First user message; stored as the first chat message.',
  })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(SESSION_LIMITS.messageContentMaxChars)
  @NoNulCharacters()
  message?: string;
}

/**
 * JSON merge patch (RFC 7396) of a session. `title: null` clears the title; the three
 * documents are merged member by member (null removes a member, arrays replace), then the
 * result is validated. `sessionData.chatMessages` is append-only (POST …/messages).
 */
export class UpdateSessionDto {
  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 200 })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  @NoNulCharacters()
  title?: string | null;

  @ApiPropertyOptional({ enum: SESSION_STATUSES })
  @ValidateIf((dto: UpdateSessionDto) => dto.status !== undefined)
  @IsIn(SESSION_STATUSES)
  status?: SessionStatus;

  @ApiPropertyOptional(JSON_DOCUMENT)
  @ValidateIf((dto: UpdateSessionDto) => dto.sessionData !== undefined)
  @IsObject()
  sessionData?: JsonObject;

  @ApiPropertyOptional(JSON_DOCUMENT)
  @ValidateIf((dto: UpdateSessionDto) => dto.planData !== undefined)
  @IsObject()
  planData?: JsonObject;

  @ApiPropertyOptional(JSON_DOCUMENT)
  @ValidateIf((dto: UpdateSessionDto) => dto.sessionMetadata !== undefined)
  @IsObject()
  sessionMetadata?: JsonObject;
}

export class ListSessionsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({
    enum: SESSION_STATUSES,
    description: 'Without it, archived sessions are left out.',
  })
  @IsOptional()
  @IsIn(SESSION_STATUSES)
  status?: SessionStatus;

  @ApiPropertyOptional({ description: 'planData.destinationCity, case-insensitive' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  destination?: string;

  @ApiPropertyOptional({ description: 'planData.startDate on or after (YYYY-MM-DD)' })
  @IsOptional()
  @IsDateOnly()
  from?: string;

  @ApiPropertyOptional({ description: 'planData.startDate on or before (YYYY-MM-DD)' })
  @IsOptional()
  @IsDateOnly()
  to?: string;

  @ApiPropertyOptional({
    description: 'JSON object; sessions whose planData contains it (JSONB @>)',
    example: '{"destinationCity":"Lisbon"}',
  })
  @IsOptional()
  @IsString()
  @MaxLength(SESSION_LIMITS.planContainsMaxBytes)
  planContains?: string;
}

export class SessionSummaryDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ enum: SESSION_STATUSES })
  status: SessionStatus;

  @ApiProperty({ type: String, nullable: true })
  title: string | null;

  @ApiProperty(JSON_DOCUMENT)
  planData: JsonObject;

  @ApiProperty(JSON_DOCUMENT)
  sessionMetadata: JsonObject;

  @ApiProperty({ description: 'Also sent as the ETag' })
  version: number;

  @ApiProperty()
  createdAt: string;

  @ApiProperty()
  updatedAt: string;

  @ApiProperty()
  lastActivityAt: string;
}

export class SessionResponseDto extends SessionSummaryDto {
  @ApiProperty({
    ...JSON_DOCUMENT,
    description: '{chatMessages, parsedIntent, searchResults, uiState}',
  })
  sessionData: JsonObject;
}

export class SessionPageDto {
  @ApiProperty({ type: [SessionSummaryDto] })
  items: SessionSummaryDto[];

  @ApiProperty({ type: String, nullable: true })
  nextCursor: string | null;
}
