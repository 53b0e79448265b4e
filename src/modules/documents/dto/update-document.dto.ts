import { ApiPropertyOptional, OmitType, PartialType } from '#libs/common/openapi/api-docs.js';
import { Transform } from 'class-transformer';
import {
  IsIn,
  IsISO31661Alpha2,
  IsNotEmpty,
  IsString,
  Matches,
  MaxLength,
  ValidateIf,
} from 'class-validator';
import { toUpperCase, trim } from '#libs/common/validation/field-validators.js';
import { DOCUMENT_TYPES, type DocumentType } from '../document-vocabulary.js';
import { CreateDocumentDto, DOCUMENT_NUMBER_PATTERN } from './create-document.dto.js';

const present = (_object: unknown, value: unknown): boolean => value !== undefined;

/**
 * Partial update (rectification). Changing the content of a reviewed document sends it back to
 * `pending`. Optional fields accept `null` to clear them; the required ones (type, number,
 * issuing country, holder name) may be left out but not cleared.
 */
export class UpdateDocumentDto extends PartialType(
  OmitType(CreateDocumentDto, ['type', 'number', 'issuingCountry', 'holderName'] as const),
) {
  @ApiPropertyOptional({ enum: DOCUMENT_TYPES })
  @ValidateIf(present)
  @IsIn(DOCUMENT_TYPES)
  type?: DocumentType;

  @ApiPropertyOptional({ description: 'Stored encrypted; responses show it masked.' })
  @ValidateIf(present)
  @Transform(trim)
  @IsString()
  @Matches(DOCUMENT_NUMBER_PATTERN, {
    message: 'number must be 1–64 letters or digits (inner spaces and dashes allowed)',
  })
  number?: string;

  @ApiPropertyOptional({ example: 'FR', description: 'ISO 3166-1 alpha-2' })
  @ValidateIf(present)
  @Transform(toUpperCase)
  @IsISO31661Alpha2()
  issuingCountry?: string;

  @ApiPropertyOptional({ maxLength: 255 })
  @ValidateIf(present)
  @Transform(trim)
  @IsString()
  @IsNotEmpty()
  @MaxLength(255)
  holderName?: string;
}
