import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  IsIn,
  IsISO31661Alpha2,
  IsNotEmpty,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
} from 'class-validator';
import {
  IsDateOnly,
  IsJsonObject,
  toUpperCase,
  trim,
} from '#libs/common/validation/field-validators.js';
import {
  DOCUMENT_EXTRA_DATA_MAX_BYTES,
  DOCUMENT_TYPES,
  type DocumentType,
} from '../document-vocabulary.js';

/** Letters, digits, and inner spaces or dashes (ignored by the duplicate check). */
export const DOCUMENT_NUMBER_PATTERN = /^[A-Za-z0-9](?:[A-Za-z0-9 -]{0,62}[A-Za-z0-9])?$/;

export class CreateDocumentDto {
  @ApiProperty({ enum: DOCUMENT_TYPES })
  @IsIn(DOCUMENT_TYPES)
  type: DocumentType;

  @ApiProperty({
    example: 'X1234567',
    description: 'Stored encrypted; every response shows it masked (last 4).',
  })
  @Transform(trim)
  @IsString()
  @Matches(DOCUMENT_NUMBER_PATTERN, {
    message: 'number must be 1–64 letters or digits (inner spaces and dashes allowed)',
  })
  number: string;

  @ApiProperty({ example: 'FR', description: 'ISO 3166-1 alpha-2' })
  @Transform(toUpperCase)
  @IsISO31661Alpha2()
  issuingCountry: string;

  @ApiPropertyOptional({ maxLength: 255, nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(255)
  issuingAuthority?: string | null;

  @ApiPropertyOptional({ example: 'FR', description: 'ISO 3166-1 alpha-2', nullable: true })
  @IsOptional()
  @Transform(toUpperCase)
  @IsISO31661Alpha2()
  nationality?: string | null;

  @ApiProperty({ example: 'Camille Martin', description: 'Full name as printed' })
  @Transform(trim)
  @IsString()
  @IsNotEmpty()
  @MaxLength(255)
  holderName: string;

  @ApiPropertyOptional({ format: 'date', nullable: true })
  @IsOptional()
  @IsDateOnly({ min: '1900-01-01', max: 'today' })
  dateOfBirth?: string | null;

  @ApiPropertyOptional({ format: 'date', nullable: true })
  @IsOptional()
  @IsDateOnly({ min: '1900-01-01', max: 'today' })
  issueDate?: string | null;

  @ApiPropertyOptional({
    format: 'date',
    nullable: true,
    description: 'Past dates are refused with 422 DOCUMENT_EXPIRED',
  })
  @IsOptional()
  @IsDateOnly({ min: '1900-01-01', max: '2199-12-31' })
  expiryDate?: string | null;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    description: `Type-specific extras (e.g. visa entries), at most ${DOCUMENT_EXTRA_DATA_MAX_BYTES} bytes of JSON`,
  })
  @IsOptional()
  @IsJsonObject(DOCUMENT_EXTRA_DATA_MAX_BYTES)
  extraData?: Record<string, unknown>;
}
