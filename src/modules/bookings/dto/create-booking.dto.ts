import {
  ApiExtraModels,
  ApiProperty,
  ApiPropertyOptional,
  getSchemaPath,
} from '#libs/common/openapi/api-docs.js';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsISO31661Alpha2,
  IsISO4217CurrencyCode,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  Max,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { IsDateOnly } from '#libs/common/validation/field-validators.js';
import { CABIN_CLASSES, type CabinClass } from '#libs/common/travel-vocabulary.js';
import {
  ACTIVITY_TYPES,
  type ActivityType,
  MEAL_PLANS,
  type MealPlan,
} from '../booking-details.vocabulary.js';
import { BOOKING_TYPES, type BookingType } from '../booking-states.js';
import {
  PROVIDER_OUTCOMES,
  PROVIDER_RESOLUTIONS,
  type ProviderOutcome,
  type ProviderResolution,
} from '../providers/booking-provider.js';

/** An instant with an explicit offset (`Z` or `±hh:mm`). */
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2})$/;
const IATA_AIRPORT = /^[A-Z]{3}$/;
const IATA_AIRLINE = /^[A-Z0-9]{2,3}$/;

export class FlightSegmentDto {
  @ApiProperty({ example: 'LH' })
  @Matches(IATA_AIRLINE, { message: 'airlineCode must be an IATA airline code' })
  airlineCode: string;

  @ApiProperty({ example: '400' })
  @Matches(/^[0-9]{1,4}[A-Z]?$/, { message: 'flightNumber must be 1-4 digits' })
  flightNumber: string;

  @ApiProperty({ example: 'FRA' })
  @Matches(IATA_AIRPORT, { message: 'originAirport must be an IATA airport code' })
  originAirport: string;

  @ApiProperty({ example: 'JFK' })
  @Matches(IATA_AIRPORT, { message: 'destinationAirport must be an IATA airport code' })
  destinationAirport: string;

  @ApiProperty({ example: '2027-03-01T10:00:00Z' })
  @Matches(ISO_INSTANT, { message: 'departureAt must be an ISO-8601 instant with offset' })
  departureAt: string;

  @ApiProperty({ example: '2027-03-01T18:30:00Z' })
  @Matches(ISO_INSTANT, { message: 'arrivalAt must be an ISO-8601 instant with offset' })
  arrivalAt: string;
}

export class SeatAssignmentDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID('4')
  travelerId: string;

  @ApiProperty({ example: '12A' })
  @Matches(/^[0-9]{1,3}[A-K]$/, { message: 'seat must look like 12A' })
  seat: string;
}

export class BaggageAllowanceDto {
  @ApiProperty({ minimum: 0, maximum: 5 })
  @IsInt()
  @Min(0)
  @Max(5)
  cabinBags: number;

  @ApiProperty({ minimum: 0, maximum: 5 })
  @IsInt()
  @Min(0)
  @Max(5)
  checkedBags: number;
}

/** The flight part: one or more segments (the first departure is the travel start). */
export class FlightDetailsDto {
  @ApiProperty({ type: [FlightSegmentDto], minItems: 1, maxItems: 8 })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(8)
  @ValidateNested({ each: true })
  @Type(() => FlightSegmentDto)
  segments: FlightSegmentDto[];

  @ApiProperty({ enum: CABIN_CLASSES })
  @IsIn(CABIN_CLASSES)
  cabinClass: CabinClass;

  @ApiPropertyOptional({ default: false })
  @IsOptional()
  @IsBoolean()
  isRoundTrip?: boolean;

  @ApiPropertyOptional({ type: [SeatAssignmentDto] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(9)
  @ValidateNested({ each: true })
  @Type(() => SeatAssignmentDto)
  seatAssignments?: SeatAssignmentDto[];

  @ApiPropertyOptional({
    example: 'US',
    description:
      'The country the flight arrives in (ISO 3166-1 alpha-2): travelers with a visa recorded for it need one valid on the travel dates (422 VISA_NOT_VALID)',
  })
  @IsOptional()
  @IsISO31661Alpha2()
  destinationCountry?: string;

  @ApiPropertyOptional({ type: BaggageAllowanceDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => BaggageAllowanceDto)
  baggageAllowance?: BaggageAllowanceDto;
}

export class HotelDetailsDto {
  @ApiProperty({ maxLength: 100 })
  @IsString()
  @Length(1, 100)
  hotelId: string;

  @ApiProperty({ maxLength: 255 })
  @IsString()
  @Length(1, 255)
  hotelName: string;

  @ApiPropertyOptional({ maxLength: 100 })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  hotelChain?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 5 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(5)
  hotelRating?: number;

  @ApiPropertyOptional({ maxLength: 500 })
  @IsOptional()
  @IsString()
  @Length(1, 500)
  address?: string;

  @ApiProperty({ maxLength: 100 })
  @IsString()
  @Length(1, 100)
  city: string;

  @ApiProperty({ example: 'PT' })
  @IsISO31661Alpha2()
  country: string;

  @ApiProperty({ example: '2027-03-01' })
  @IsDateOnly()
  checkInDate: string;

  @ApiProperty({ example: '2027-03-04' })
  @IsDateOnly()
  checkOutDate: string;

  @ApiProperty({ maxLength: 100, example: 'Double room, sea view' })
  @IsString()
  @Length(1, 100)
  roomType: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 9, default: 1 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(9)
  roomCount?: number;

  @ApiPropertyOptional({ enum: MEAL_PLANS })
  @IsOptional()
  @IsIn(MEAL_PLANS)
  mealPlan?: MealPlan;

  @ApiPropertyOptional({ maxLength: 1000 })
  @IsOptional()
  @IsString()
  @Length(1, 1000)
  specialRequests?: string;
}

export class ActivityDetailsDto {
  @ApiProperty({ maxLength: 100 })
  @IsString()
  @Length(1, 100)
  activityId: string;

  @ApiProperty({ maxLength: 255 })
  @IsString()
  @Length(1, 255)
  activityName: string;

  @ApiProperty({ enum: ACTIVITY_TYPES })
  @IsIn(ACTIVITY_TYPES)
  activityType: ActivityType;

  @ApiPropertyOptional({ maxLength: 255 })
  @IsOptional()
  @IsString()
  @Length(1, 255)
  locationName?: string;

  @ApiProperty({ maxLength: 100 })
  @IsString()
  @Length(1, 100)
  city: string;

  @ApiProperty({ example: 'PT' })
  @IsISO31661Alpha2()
  country: string;

  @ApiProperty({ example: '2027-03-02' })
  @IsDateOnly()
  activityDate: string;

  @ApiPropertyOptional({ example: '09:30', description: 'Local start time HH:MM' })
  @IsOptional()
  @Matches(/^([01]\d|2[0-3]):[0-5]\d$/, { message: 'startTime must be HH:MM' })
  startTime?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 7 * 24 * 60 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(7 * 24 * 60)
  durationMinutes?: number;

  @ApiPropertyOptional({ maxLength: 500 })
  @IsOptional()
  @IsString()
  @Length(1, 500)
  meetingPoint?: string;

  @ApiPropertyOptional({ example: 'en', description: 'BCP 47 language of the guide' })
  @IsOptional()
  @Matches(/^[a-z]{2,3}(-[A-Z]{2})?$/, {
    message: 'language must be a language tag like en or pt-BR',
  })
  language?: string;
}

export class ProviderOptionsDto {
  @ApiPropertyOptional({ enum: PROVIDER_OUTCOMES, default: 'confirm', description: 'Sandbox only' })
  @IsOptional()
  @IsIn(PROVIDER_OUTCOMES)
  outcome?: ProviderOutcome;

  @ApiPropertyOptional({
    enum: PROVIDER_RESOLUTIONS,
    description: 'Sandbox only: how a `pending` booking settles at the status sync',
  })
  @IsOptional()
  @IsIn(PROVIDER_RESOLUTIONS)
  resolveTo?: ProviderResolution;

  @ApiPropertyOptional({
    minimum: 0,
    maximum: 86400,
    default: 0,
    description: 'Sandbox only: seconds before a pending booking settles per `resolveTo`',
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(86400)
  resolveAfterSeconds?: number;
}

export const DETAILS_BY_TYPE = {
  flight: FlightDetailsDto,
  hotel: HotelDetailsDto,
  activity: ActivityDetailsDto,
} as const;

@ApiExtraModels(FlightDetailsDto, HotelDetailsDto, ActivityDetailsDto)
export class CreateBookingDto {
  @ApiProperty({ enum: BOOKING_TYPES })
  @IsIn(BOOKING_TYPES)
  bookingType: BookingType;

  @ApiPropertyOptional({ format: 'uuid', description: 'The planning session this comes from' })
  @IsOptional()
  @IsUUID('4')
  sessionId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'A saved item of that session' })
  @IsOptional()
  @IsUUID('4')
  savedItemId?: string;

  @ApiPropertyOptional({
    type: [String],
    format: 'uuid',
    minItems: 1,
    maxItems: 9,
    description: 'The travelers; required unless travelerGroupId is sent (never both)',
  })
  @ValidateIf((dto: CreateBookingDto) => dto.travelerGroupId === undefined)
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(9)
  @ArrayUnique()
  @IsUUID('4', { each: true })
  travelerIds?: string[];

  @ApiPropertyOptional({
    format: 'uuid',
    description:
      'Shorthand for the active members of one of your traveler groups (instead of travelerIds); they are snapshotted like travelerIds',
  })
  @IsOptional()
  @IsUUID('4')
  travelerGroupId?: string;

  @ApiProperty({ example: 'EUR', description: 'ISO 4217 currency to price in' })
  @IsISO4217CurrencyCode()
  currency: string;

  @ApiPropertyOptional({ example: 'sandbox', default: 'sandbox' })
  @IsOptional()
  @IsString()
  @Length(1, 50)
  provider?: string;

  @ApiProperty({
    description: 'The flight, hotel or activity part, by bookingType',
    oneOf: [
      { $ref: getSchemaPath(FlightDetailsDto) },
      { $ref: getSchemaPath(HotelDetailsDto) },
      { $ref: getSchemaPath(ActivityDetailsDto) },
    ],
  })
  @IsObject()
  details: Record<string, unknown>;

  @ApiPropertyOptional({ type: ProviderOptionsDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => ProviderOptionsDto)
  providerOptions?: ProviderOptionsDto;
}

/** A create request once its travelers are resolved (a group becomes its members' ids). */
export type ResolvedCreateBooking = Omit<CreateBookingDto, 'travelerIds'> & {
  travelerIds: string[];
};

export class CancelBookingDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID('4')
  quoteId: string;
}
