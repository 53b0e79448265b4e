import { ApiProperty, ApiPropertyOptional } from '#libs/common/openapi/api-docs.js';
import { IsIn, IsObject, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';
import { NoNulCharacters } from './no-nul.js';
import { PageQueryDto } from '#libs/common/pagination/pagination.js';
import type { JsonObject } from '../json-merge-patch.js';
import { SESSION_LIMITS } from '../session-limits.js';
import { MESSAGE_ROLES, type MessageRole } from '../session-status.js';

export class AppendMessageDto {
  @ApiProperty({ enum: MESSAGE_ROLES })
  @IsIn(MESSAGE_ROLES)
  role: MessageRole;

  @ApiProperty({ maxLength: SESSION_LIMITS.messageContentMaxChars })
  @IsString()
  @MinLength(1)
  @MaxLength(SESSION_LIMITS.messageContentMaxChars)
  @NoNulCharacters()
  content: string;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    description: `Free-form, at most ${SESSION_LIMITS.messageMetadataMaxBytes} bytes`,
  })
  @IsOptional()
  @IsObject()
  metadata?: JsonObject;
}

export class ListMessagesQueryDto extends PageQueryDto {}

export class MessageResponseDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ description: '1-based position in the session transcript' })
  seq: number;

  @ApiProperty({ enum: MESSAGE_ROLES })
  role: MessageRole;

  @ApiProperty()
  content: string;

  @ApiPropertyOptional({ type: 'object', additionalProperties: true })
  metadata?: JsonObject;

  @ApiProperty()
  createdAt: string;
}

export class MessagePageDto {
  @ApiProperty({ type: [MessageResponseDto] })
  items: MessageResponseDto[];

  @ApiProperty({ type: String, nullable: true })
  nextCursor: string | null;
}
