import { ApiProperty, ApiPropertyOptional } from '#libs/common/openapi/api-docs.js';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsLocale,
  IsOptional,
  IsString,
  Length,
  MaxLength,
  ValidateIf,
} from 'class-validator';
import {
  CABIN_CLASSES,
  SEAT_TYPES,
  type CabinClass,
  type SeatType,
} from '#libs/common/travel-vocabulary.js';
import { SEAT_LOCATIONS, type SeatLocation } from '../traveler-preferences.entity.js';

const unlessNull = ValidateIf((_object: object, value: unknown) => value !== null);

/** PUT replaces the whole preference set: omitted fields go back to their defaults. */
export class PutTravelerPreferencesDto {
  @ApiPropertyOptional({ enum: CABIN_CLASSES, nullable: true })
  @IsOptional()
  @unlessNull
  @IsIn(CABIN_CLASSES)
  cabinClass?: CabinClass | null;

  @ApiPropertyOptional({ enum: SEAT_TYPES, nullable: true })
  @IsOptional()
  @unlessNull
  @IsIn(SEAT_TYPES)
  seatType?: SeatType | null;

  @ApiPropertyOptional({ enum: SEAT_LOCATIONS, nullable: true })
  @IsOptional()
  @unlessNull
  @IsIn(SEAT_LOCATIONS)
  seatLocation?: SeatLocation | null;

  @ApiPropertyOptional()
  @IsOptional()
  @IsBoolean()
  extraLegroom?: boolean;

  @ApiPropertyOptional({ example: 'vegetarian', nullable: true })
  @IsOptional()
  @unlessNull
  @IsString()
  @Length(1, 50)
  mealPreference?: string | null;

  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @Length(1, 100, { each: true })
  foodAllergies?: string[];

  @ApiPropertyOptional() @IsOptional() @IsBoolean() wheelchairAssistance?: boolean;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() visualAssistance?: boolean;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() hearingAssistance?: boolean;

  @ApiPropertyOptional({ nullable: true })
  @IsOptional()
  @unlessNull
  @IsString()
  @MaxLength(1000)
  specialAssistanceNotes?: string | null;

  @ApiPropertyOptional({ example: 'en-GB', description: 'BCP 47 language tag', nullable: true })
  @IsOptional()
  @unlessNull
  @IsLocale()
  @MaxLength(35)
  preferredLanguage?: string | null;

  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(30)
  @IsString({ each: true })
  @Length(1, 100, { each: true })
  activityInterests?: string[];
}

export class TravelerPreferencesResponseDto {
  @ApiProperty({ format: 'uuid' }) travelerId: string;
  @ApiProperty({ enum: CABIN_CLASSES, nullable: true }) cabinClass: CabinClass | null;
  @ApiProperty({ enum: SEAT_TYPES, nullable: true }) seatType: SeatType | null;
  @ApiProperty({ enum: SEAT_LOCATIONS, nullable: true }) seatLocation: SeatLocation | null;
  @ApiProperty() extraLegroom: boolean;
  @ApiProperty({ nullable: true, type: String }) mealPreference: string | null;
  @ApiProperty({ type: [String] }) foodAllergies: string[];
  @ApiProperty() wheelchairAssistance: boolean;
  @ApiProperty() visualAssistance: boolean;
  @ApiProperty() hearingAssistance: boolean;
  @ApiProperty({ nullable: true, type: String }) specialAssistanceNotes: string | null;
  @ApiProperty({ nullable: true, type: String }) preferredLanguage: string | null;
  @ApiProperty({ type: [String] }) activityInterests: string[];
  @ApiProperty({ nullable: true, type: String }) updatedAt: string | null;
}
