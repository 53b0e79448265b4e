import { ApiProperty, ApiPropertyOptional } from '#libs/common/openapi/api-docs.js';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  MinLength,
} from 'class-validator';
import { CONSENT_PURPOSES, type ConsentPurpose } from '../consent-purposes.js';

export class ConsentNoticeResponseDto {
  @ApiProperty({ enum: CONSENT_PURPOSES, enumName: 'ConsentPurpose' })
  purpose: ConsentPurpose;

  @ApiProperty({ example: 1 })
  version: number;

  @ApiProperty()
  title: string;

  @ApiProperty()
  text: string;

  @ApiProperty({ description: 'Lower-case hex SHA-256 of the UTF-8 text' })
  textSha256: string;

  @ApiProperty({ type: [String], example: ['sessions'] })
  requiredFor: string[];

  @ApiProperty({ description: 'Grants of earlier versions stopped counting with this version' })
  requiresReconsent: boolean;

  @ApiProperty({ format: 'date-time' })
  publishedAt: string;
}

export class ConsentNoticeListResponseDto {
  @ApiProperty({ type: [ConsentNoticeResponseDto] })
  items: ConsentNoticeResponseDto[];

  @ApiProperty({ type: String, nullable: true, description: 'Always null: one item per purpose' })
  nextCursor: string | null;
}

export class PublishConsentNoticeDto {
  @ApiProperty({ enum: CONSENT_PURPOSES, enumName: 'ConsentPurpose' })
  @IsIn(CONSENT_PURPOSES)
  purpose: ConsentPurpose;

  @ApiProperty({ maxLength: 200 })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  title: string;

  @ApiProperty({ maxLength: 20000 })
  @IsString()
  @MinLength(1)
  @MaxLength(20000)
  text: string;

  @ApiProperty({ description: 'Earlier grants stop counting once this version is published' })
  @IsBoolean()
  requiresReconsent: boolean;

  @ApiPropertyOptional({
    type: [String],
    description: "Features needing this consent; default: the previous version's",
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @Matches(/^[a-z][a-z0-9_-]{0,49}$/, { each: true })
  requiredFor?: string[];
}
