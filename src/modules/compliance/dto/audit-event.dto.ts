import { ApiProperty, ApiPropertyOptional } from '#libs/common/openapi/api-docs.js';
import { IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { IsZonedDateTime } from '#libs/common/validation/field-validators.js';
import { PageQueryDto } from '#libs/common/pagination/pagination.js';

export class AuditEventsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  actorId?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  subjectId?: string;

  @ApiPropertyOptional({ example: 'document.reveal' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  action?: string;

  @ApiPropertyOptional({ example: 'user_document' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  resourceType?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'Inclusive lower bound' })
  @IsOptional()
  @IsZonedDateTime()
  from?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'Exclusive upper bound' })
  @IsOptional()
  @IsZonedDateTime()
  to?: string;
}

export class VerifyChainQueryDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  subjectId: string;
}

export class AuditEventResponseDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ format: 'date-time' })
  occurredAt: string;

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  actorId: string | null;

  @ApiProperty({ type: [String] })
  actorRoles: string[];

  @ApiProperty()
  action: string;

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  subjectId: string | null;

  @ApiProperty({ type: String, nullable: true })
  resourceType: string | null;

  @ApiProperty({ type: String, nullable: true })
  resourceId: string | null;

  @ApiProperty({ type: String, nullable: true })
  reason: string | null;

  @ApiProperty({ type: String, nullable: true })
  requestId: string | null;
}

export class AuditEventPageDto {
  @ApiProperty({ type: [AuditEventResponseDto] })
  items: AuditEventResponseDto[];

  @ApiProperty({ type: String, nullable: true })
  nextCursor: string | null;
}
