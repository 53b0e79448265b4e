import { ApiProperty, ApiPropertyOptional, PartialType } from '#libs/common/openapi/api-docs.js';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsEmail,
  IsIn,
  IsISO31661Alpha2,
  IsOptional,
  IsString,
  Length,
  Matches,
  MaxLength,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { PageQueryDto } from '#libs/common/pagination/pagination.js';
import { IsDateOnly } from '#libs/common/validation/field-validators.js';
import { GENDERS, type Gender } from '#libs/common/travel-vocabulary.js';
import {
  GUARDIAN_RELATIONSHIPS,
  RELATIONSHIPS_TO_USER,
  TRAVELER_STATUSES,
  type GuardianRelationship,
  type RelationshipToUser,
  type TravelerStatus,
} from '../traveler.entity.js';
import { TRAVELER_TYPES, type TravelerType } from '../traveler-type.js';

const E164 = /^\+[1-9]\d{6,14}$/;
/** Present values must be valid; `null` clears an optional field. */
const unlessNull = ValidateIf((_object: object, value: unknown) => value !== null);

export class FrequentFlyerNumberDto {
  @ApiProperty({ example: 'LH', description: 'IATA airline code' })
  @Matches(/^[A-Z0-9]{2}$/, { message: 'airlineCode must be a two-character IATA code' })
  airlineCode: string;

  @ApiProperty({ example: '992001234567' })
  @IsString()
  @Length(1, 32)
  number: string;
}

export class CreateTravelerDto {
  @ApiProperty({ maxLength: 100 })
  @IsString()
  @Length(1, 100)
  firstName: string;

  @ApiPropertyOptional({ maxLength: 100, nullable: true })
  @IsOptional()
  @unlessNull
  @IsString()
  @Length(1, 100)
  middleName?: string | null;

  @ApiProperty({ maxLength: 100 })
  @IsString()
  @Length(1, 100)
  lastName: string;

  @ApiPropertyOptional({ example: '2015-04-30', nullable: true, format: 'date' })
  @IsOptional()
  @unlessNull
  @IsDateOnly()
  dateOfBirth?: string | null;

  @ApiPropertyOptional({ enum: GENDERS, nullable: true })
  @IsOptional()
  @unlessNull
  @IsIn(GENDERS)
  gender?: Gender | null;

  @ApiPropertyOptional({ example: 'DE', description: 'ISO 3166-1 alpha-2', nullable: true })
  @IsOptional()
  @unlessNull
  @IsISO31661Alpha2()
  nationality?: string | null;

  @ApiPropertyOptional({ example: 'FR', nullable: true })
  @IsOptional()
  @unlessNull
  @IsISO31661Alpha2()
  countryOfResidence?: string | null;

  @ApiPropertyOptional({ nullable: true })
  @IsOptional()
  @unlessNull
  @IsEmail()
  @MaxLength(254)
  email?: string | null;

  @ApiPropertyOptional({ example: '+4915123456789', description: 'E.164', nullable: true })
  @IsOptional()
  @unlessNull
  @Matches(E164, { message: 'phone must be in E.164 format, e.g. +4915123456789' })
  phone?: string | null;

  @ApiPropertyOptional({ nullable: true })
  @IsOptional()
  @unlessNull
  @IsString()
  @Length(1, 200)
  emergencyContactName?: string | null;

  @ApiPropertyOptional({ nullable: true })
  @IsOptional()
  @unlessNull
  @Matches(E164, { message: 'emergencyContactPhone must be in E.164 format' })
  emergencyContactPhone?: string | null;

  @ApiPropertyOptional({ enum: RELATIONSHIPS_TO_USER, nullable: true })
  @IsOptional()
  @unlessNull
  @IsIn(RELATIONSHIPS_TO_USER)
  relationshipToUser?: RelationshipToUser | null;

  @ApiPropertyOptional({ description: 'At most one primary traveler per account' })
  @IsOptional()
  @IsBoolean()
  isPrimary?: boolean;

  @ApiPropertyOptional({ type: [String], maxItems: 20 })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @Length(1, 100, { each: true })
  dietaryRestrictions?: string[];

  @ApiPropertyOptional({ type: [String], maxItems: 20 })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @Length(1, 100, { each: true })
  accessibilityNeeds?: string[];

  @ApiPropertyOptional({ maxLength: 1000, nullable: true })
  @IsOptional()
  @unlessNull
  @IsString()
  @MaxLength(1000)
  specialNeeds?: string | null;

  @ApiPropertyOptional({ type: [FrequentFlyerNumberDto], maxItems: 20 })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => FrequentFlyerNumberDto)
  frequentFlyerNumbers?: FrequentFlyerNumberDto[];
}

export class UpdateTravelerDto extends PartialType(CreateTravelerDto) {
  @ApiPropertyOptional({
    enum: ['active', 'inactive'],
    description: 'Archive with DELETE; `active` restores an archived traveler',
  })
  @IsOptional()
  @IsIn(['active', 'inactive'])
  status?: 'active' | 'inactive';
}

export class ListTravelersQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: TRAVELER_STATUSES, description: 'Default: all but archived' })
  @IsOptional()
  @IsIn(TRAVELER_STATUSES)
  status?: TravelerStatus;
}

export class BookabilityQueryDto {
  @ApiPropertyOptional({ example: '2027-07-01', description: 'Travel date (default today)' })
  @IsOptional()
  @IsDateOnly()
  travelDate?: string;
}

export class GuardianConsentDto {
  @ApiProperty({ description: 'true grants, false withdraws' })
  @IsBoolean()
  granted: boolean;

  @ApiProperty({ maxLength: 200 })
  @IsString()
  @Length(1, 200)
  guardianName: string;

  @ApiProperty({ enum: GUARDIAN_RELATIONSHIPS })
  @IsIn(GUARDIAN_RELATIONSHIPS)
  relationship: GuardianRelationship;
}

export class BookabilityDto {
  @ApiProperty()
  canBeBooked: boolean;

  @ApiProperty({
    type: [String],
    description: 'Why not: TRAVELER_ARCHIVED, TRAVELER_INACTIVE, GUARDIAN_CONSENT_REQUIRED',
  })
  reasons: string[];

  @ApiProperty({ enum: TRAVELER_TYPES, description: 'Type on the travel date' })
  travelerType: TravelerType;

  @ApiProperty({ format: 'date' })
  travelDate: string;
}

export class GuardianConsentResponseDto extends BookabilityDto {
  @ApiProperty()
  travelerId: string;

  @ApiProperty()
  granted: boolean;

  @ApiProperty()
  noticeVersion: number;
}

export class EmergencyContactDto {
  @ApiProperty({ nullable: true, type: String })
  name: string | null;

  @ApiProperty({ nullable: true, type: String })
  phone: string | null;
}

export class TravelerResponseDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() firstName: string;
  @ApiProperty({ nullable: true, type: String }) middleName: string | null;
  @ApiProperty() lastName: string;
  @ApiProperty() fullName: string;
  @ApiProperty({ nullable: true, type: String, format: 'date' }) dateOfBirth: string | null;
  @ApiProperty({ enum: TRAVELER_TYPES, description: 'Derived from the birth date, today' })
  travelerType: TravelerType;
  @ApiProperty() isMinor: boolean;
  @ApiProperty({ enum: GENDERS, nullable: true }) gender: Gender | null;
  @ApiProperty({ nullable: true, type: String }) nationality: string | null;
  @ApiProperty({ nullable: true, type: String }) countryOfResidence: string | null;
  @ApiProperty({ nullable: true, type: String }) email: string | null;
  @ApiProperty({ nullable: true, type: String }) phone: string | null;
  @ApiProperty({ type: EmergencyContactDto }) emergencyContact: EmergencyContactDto;
  @ApiProperty({ enum: RELATIONSHIPS_TO_USER, nullable: true })
  relationshipToUser: RelationshipToUser | null;
  @ApiProperty() isPrimary: boolean;
  @ApiProperty({ enum: TRAVELER_STATUSES }) status: TravelerStatus;
  @ApiProperty({ type: [String] }) dietaryRestrictions: string[];
  @ApiProperty({ type: [String] }) accessibilityNeeds: string[];
  @ApiProperty({ nullable: true, type: String }) specialNeeds: string | null;
  @ApiProperty({ type: [FrequentFlyerNumberDto] }) frequentFlyerNumbers: FrequentFlyerNumberDto[];
  @ApiProperty({ nullable: true, type: String }) guardianName: string | null;
  @ApiProperty({ enum: GUARDIAN_RELATIONSHIPS, nullable: true })
  guardianRelationship: GuardianRelationship | null;
  @ApiProperty() version: number;
  @ApiProperty() createdAt: string;
  @ApiProperty() updatedAt: string;
}

export class TravelerPageDto {
  @ApiProperty({ type: [TravelerResponseDto] }) items: TravelerResponseDto[];
  @ApiProperty({ nullable: true, type: String }) nextCursor: string | null;
}
