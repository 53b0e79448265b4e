import { ApiProperty, ApiPropertyOptional } from '#libs/common/openapi/api-docs.js';
import { Transform, Type } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsISO31661Alpha2,
  IsISO4217CurrencyCode,
  IsNotEmpty,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import {
  GENDERS,
  TRAVEL_FREQUENCIES,
  TRAVEL_PURPOSES,
  type Gender,
  type TravelFrequency,
  type TravelPurpose,
} from '#libs/common/travel-vocabulary.js';
import {
  IsBcp47,
  IsDateOnly,
  IsIanaTimeZone,
  IsStringRecord,
  toUpperCase,
  trim,
} from '#libs/common/validation/field-validators.js';

export const E164 = /^\+[1-9]\d{6,14}$/;

export class CommunicationPreferencesDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsBoolean()
  email?: boolean;

  @ApiPropertyOptional()
  @IsOptional()
  @IsBoolean()
  sms?: boolean;

  @ApiPropertyOptional()
  @IsOptional()
  @IsBoolean()
  push?: boolean;
}

export class EmergencyContactDto {
  @ApiProperty({ maxLength: 255 })
  @Transform(trim)
  @IsString()
  @IsNotEmpty()
  @MaxLength(255)
  name: string;

  @ApiProperty({ example: '+33612345678', description: 'E.164' })
  @IsString()
  @Matches(E164, { message: 'phone must be an E.164 number, e.g. +33612345678' })
  phone: string;

  @ApiPropertyOptional({ maxLength: 100, nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  relationship?: string | null;
}

/**
 * PATCH /profile: every field optional; `null` clears an optional field and resets one with a
 * default (timezone, language, currency) to it.
 */
export class UpdateProfileDto {
  @ApiPropertyOptional({ maxLength: 100, nullable: true })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  firstName?: string | null;

  @ApiPropertyOptional({ maxLength: 100, nullable: true })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  middleName?: string | null;

  @ApiPropertyOptional({ maxLength: 100, nullable: true })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  lastName?: string | null;

  @ApiPropertyOptional({ format: 'date', nullable: true })
  @IsOptional()
  @IsDateOnly({ min: '1900-01-01', max: 'today' })
  dateOfBirth?: string | null;

  @ApiPropertyOptional({ enum: GENDERS, nullable: true })
  @IsOptional()
  @IsIn(GENDERS)
  gender?: Gender | null;

  @ApiPropertyOptional({ example: '+33612345678', description: 'E.164', nullable: true })
  @IsOptional()
  @IsString()
  @Matches(E164, { message: 'phone must be an E.164 number, e.g. +33612345678' })
  phone?: string | null;

  @ApiPropertyOptional({ example: 'FR', description: 'ISO 3166-1 alpha-2', nullable: true })
  @IsOptional()
  @Transform(toUpperCase)
  @IsISO31661Alpha2()
  nationality?: string | null;

  @ApiPropertyOptional({ example: 'FR', description: 'ISO 3166-1 alpha-2', nullable: true })
  @IsOptional()
  @Transform(toUpperCase)
  @IsISO31661Alpha2()
  countryOfResidence?: string | null;

  @ApiPropertyOptional({ maxLength: 100, nullable: true })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(100)
  city?: string | null;

  @ApiPropertyOptional({ example: 'Europe/Paris', description: 'IANA time zone (default UTC)' })
  @IsOptional()
  @IsIanaTimeZone()
  timezone?: string | null;

  @ApiPropertyOptional({ example: 'fr-FR', description: 'BCP 47 language tag (default en)' })
  @IsOptional()
  @IsBcp47()
  preferredLanguage?: string | null;

  @ApiPropertyOptional({ example: 'EUR', description: 'ISO 4217 (default USD)' })
  @IsOptional()
  @Transform(toUpperCase)
  @IsISO4217CurrencyCode()
  preferredCurrency?: string | null;

  @ApiPropertyOptional({ type: CommunicationPreferencesDto, nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => CommunicationPreferencesDto)
  communicationPreferences?: CommunicationPreferencesDto | null;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { type: 'string' },
    example: { AF: '1234567890' },
    description: 'IATA airline code → frequent-flyer number',
  })
  @IsOptional()
  @IsStringRecord({
    key: /^[A-Z0-9]{2}$/,
    keyDescription: 'IATA airline codes',
    value: /^[A-Za-z0-9]+$/,
    valueMaxLength: 32,
    maxEntries: 50,
  })
  frequentFlyerNumbers?: Record<string, string> | null;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { type: 'string' },
    example: { marriott: 'MB1234567' },
    description: 'Hotel chain → loyalty number',
  })
  @IsOptional()
  @IsStringRecord({
    key: /^[A-Za-z0-9][A-Za-z0-9 _-]{0,63}$/,
    keyDescription: 'hotel chain names',
    value: /^[A-Za-z0-9-]+$/,
    valueMaxLength: 32,
    maxEntries: 50,
  })
  hotelLoyaltyNumbers?: Record<string, string> | null;

  @ApiPropertyOptional({ enum: TRAVEL_FREQUENCIES, nullable: true })
  @IsOptional()
  @IsIn(TRAVEL_FREQUENCIES)
  travelFrequency?: TravelFrequency | null;

  @ApiPropertyOptional({ enum: TRAVEL_PURPOSES, nullable: true })
  @IsOptional()
  @IsIn(TRAVEL_PURPOSES)
  travelPurpose?: TravelPurpose | null;

  @ApiPropertyOptional({ type: EmergencyContactDto, nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => EmergencyContactDto)
  emergencyContact?: EmergencyContactDto | null;
}
