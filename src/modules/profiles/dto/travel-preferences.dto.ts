import { ApiProperty, ApiPropertyOptional } from '#libs/common/openapi/api-docs.js';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { MoneyDto } from '#libs/common/money/money.js';
import {
  BED_TYPES,
  CABIN_CLASSES,
  DIETARY_NEEDS,
  MOBILITY_NEEDS,
  SEAT_TYPES,
  type BedType,
  type CabinClass,
  type DietaryNeed,
  type MobilityNeed,
  type SeatType,
} from '#libs/common/travel-vocabulary.js';

const upperEach = ({ value }: { value: unknown }): unknown =>
  Array.isArray(value)
    ? value.map((item: unknown) => (typeof item === 'string' ? item.toUpperCase() : item))
    : value;

export class RoomPreferencesDto {
  @ApiPropertyOptional({ enum: BED_TYPES })
  @IsOptional()
  @IsIn(BED_TYPES)
  bedType?: BedType;

  @ApiPropertyOptional()
  @IsOptional()
  @IsBoolean()
  smoking?: boolean;

  @ApiPropertyOptional()
  @IsOptional()
  @IsBoolean()
  highFloor?: boolean;

  @ApiPropertyOptional()
  @IsOptional()
  @IsBoolean()
  accessible?: boolean;
}

export class BudgetRangeDto {
  @ApiProperty({ type: MoneyDto })
  @ValidateNested()
  @Type(() => MoneyDto)
  min: MoneyDto;

  @ApiProperty({ type: MoneyDto })
  @ValidateNested()
  @Type(() => MoneyDto)
  max: MoneyDto;
}

/**
 * PUT replaces the preferences (absent fields go back to their defaults); PATCH changes only
 * the fields sent. `null` resets a field.
 */
export class TravelPreferencesDto {
  @ApiPropertyOptional({ enum: CABIN_CLASSES, nullable: true })
  @IsOptional()
  @IsIn(CABIN_CLASSES)
  preferredCabinClass?: CabinClass | null;

  @ApiPropertyOptional({ enum: SEAT_TYPES, nullable: true })
  @IsOptional()
  @IsIn(SEAT_TYPES)
  preferredSeatType?: SeatType | null;

  @ApiPropertyOptional({ type: [String], example: ['AF', 'KL'], description: 'IATA airline codes' })
  @IsOptional()
  @Transform(upperEach)
  @IsArray()
  @ArrayMaxSize(20)
  @ArrayUnique()
  @Matches(/^[A-Z0-9]{2}$/, { each: true, message: 'each airline must be a 2-character IATA code' })
  preferredAirlines?: string[] | null;

  @ApiPropertyOptional({ type: [String], example: ['FR'], description: 'IATA airline codes' })
  @IsOptional()
  @Transform(upperEach)
  @IsArray()
  @ArrayMaxSize(20)
  @ArrayUnique()
  @Matches(/^[A-Z0-9]{2}$/, { each: true, message: 'each airline must be a 2-character IATA code' })
  avoidedAirlines?: string[] | null;

  @ApiPropertyOptional({ type: [String], example: ['CDG'], description: 'IATA airport codes' })
  @IsOptional()
  @Transform(upperEach)
  @IsArray()
  @ArrayMaxSize(20)
  @ArrayUnique()
  @Matches(/^[A-Z]{3}$/, { each: true, message: 'each airport must be a 3-letter IATA code' })
  preferredAirports?: string[] | null;

  @ApiPropertyOptional({ minimum: 30, maximum: 4320, nullable: true })
  @IsOptional()
  @IsInt()
  @Min(30)
  @Max(4320)
  maxFlightDurationMinutes?: number | null;

  @ApiPropertyOptional({ minimum: 0, maximum: 5, default: 1 })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(5)
  maxLayovers?: number | null;

  @ApiPropertyOptional({ minimum: 1, maximum: 5, nullable: true, description: 'Stars' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(5)
  preferredHotelClass?: number | null;

  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @ArrayUnique()
  @IsString({ each: true })
  @MinLength(1, { each: true })
  @MaxLength(64, { each: true })
  preferredHotelChains?: string[] | null;

  @ApiPropertyOptional({ type: RoomPreferencesDto, nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => RoomPreferencesDto)
  roomPreferences?: RoomPreferencesDto | null;

  @ApiPropertyOptional({ type: [String], example: ['museums', 'hiking'] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(30)
  @ArrayUnique()
  @IsString({ each: true })
  @MinLength(1, { each: true })
  @MaxLength(50, { each: true })
  activityInterests?: string[] | null;

  @ApiPropertyOptional({ enum: DIETARY_NEEDS, isArray: true })
  @IsOptional()
  @IsArray()
  @ArrayUnique()
  @IsIn(DIETARY_NEEDS, { each: true })
  dietaryRestrictions?: DietaryNeed[] | null;

  @ApiPropertyOptional({ enum: MOBILITY_NEEDS, isArray: true })
  @IsOptional()
  @IsArray()
  @ArrayUnique()
  @IsIn(MOBILITY_NEEDS, { each: true })
  mobilityRequirements?: MobilityNeed[] | null;

  @ApiPropertyOptional({
    type: BudgetRangeDto,
    nullable: true,
    description: 'Same currency for both; 0 ≤ min ≤ max',
  })
  @IsOptional()
  @ValidateNested()
  @Type(() => BudgetRangeDto)
  budgetRange?: BudgetRangeDto | null;

  @ApiPropertyOptional({ default: true })
  @IsOptional()
  @IsBoolean()
  priceAlertsEnabled?: boolean | null;

  @ApiPropertyOptional({ default: true })
  @IsOptional()
  @IsBoolean()
  dealNotificationsEnabled?: boolean | null;

  @ApiPropertyOptional({ default: true })
  @IsOptional()
  @IsBoolean()
  bookingRemindersEnabled?: boolean | null;
}
