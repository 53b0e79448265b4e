import { ApiProperty, ApiPropertyOptional } from '#libs/common/openapi/api-docs.js';
import { Transform, Type } from 'class-transformer';
import {
  IsIn,
  IsISO31661Alpha2,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  ValidateNested,
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
  VISA_ENTRIES,
  type DocumentType,
  type VisaEntries,
} from '../document-vocabulary.js';

/** Letters, digits, and inner spaces or dashes (ignored by the duplicate check). */
export const DOCUMENT_NUMBER_PATTERN = /^[A-Za-z0-9](?:[A-Za-z0-9 -]{0,62}[A-Za-z0-9])?$/;

/** What a visa adds (required with type `visa`, refused with any other type). */
export class VisaDetailsDto {
  @ApiProperty({ example: 'US', description: 'The country the visa is for (ISO 3166-1 alpha-2)' })
  @Transform(toUpperCase)
  @IsISO31661Alpha2()
  country: string;

  @ApiProperty({ enum: VISA_ENTRIES })
  @IsIn(VISA_ENTRIES)
  entries: VisaEntries;

  @ApiProperty({ format: 'date', description: 'First day of validity; the last is expiryDate' })
  @IsDateOnly({ min: '1900-01-01', max: '2199-12-31' })
  validFrom: string;

  @ApiPropertyOptional({ maxLength: 50, example: 'B-2', nullable: true })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @IsNotEmpty()
  @MaxLength(50)
  visaType?: string | null;

  @ApiPropertyOptional({ maxLength: 100, example: 'tourism', nullable: true })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  purpose?: string | null;
}

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
    type: VisaDetailsDto,
    nullable: true,
    description: 'Required with type visa, refused with other types (400)',
  })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => VisaDetailsDto)
  visa?: VisaDetailsDto | null;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    description: `Type-specific extras (e.g. visa entries), at most ${DOCUMENT_EXTRA_DATA_MAX_BYTES} bytes of JSON`,
  })
  @IsOptional()
  @IsJsonObject(DOCUMENT_EXTRA_DATA_MAX_BYTES)
  extraData?: Record<string, unknown>;
}
