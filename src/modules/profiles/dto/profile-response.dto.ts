import { ApiProperty } from '#libs/common/openapi/api-docs.js';
import {
  BED_TYPES,
  CABIN_CLASSES,
  DIETARY_NEEDS,
  GENDERS,
  MOBILITY_NEEDS,
  SEAT_TYPES,
  TRAVEL_FREQUENCIES,
  TRAVEL_PURPOSES,
  type BedType,
  type CabinClass,
  type DietaryNeed,
  type Gender,
  type MobilityNeed,
  type SeatType,
  type TravelFrequency,
  type TravelPurpose,
} from '#libs/common/travel-vocabulary.js';

export class CommunicationPreferencesResponseDto {
  @ApiProperty()
  email: boolean;

  @ApiProperty()
  sms: boolean;

  @ApiProperty()
  push: boolean;
}

export class EmergencyContactResponseDto {
  @ApiProperty()
  name: string;

  @ApiProperty()
  phone: string;

  @ApiProperty({ type: String, nullable: true })
  relationship: string | null;
}

export class ProfileResponseDto {
  @ApiProperty({ format: 'uuid' })
  userId: string;

  @ApiProperty({ type: String, nullable: true })
  firstName: string | null;

  @ApiProperty({ type: String, nullable: true })
  middleName: string | null;

  @ApiProperty({ type: String, nullable: true })
  lastName: string | null;

  @ApiProperty({ type: String, format: 'date', nullable: true })
  dateOfBirth: string | null;

  @ApiProperty({ enum: GENDERS, nullable: true })
  gender: Gender | null;

  @ApiProperty({ type: String, nullable: true })
  phone: string | null;

  @ApiProperty({ type: String, nullable: true })
  nationality: string | null;

  @ApiProperty({ type: String, nullable: true })
  countryOfResidence: string | null;

  @ApiProperty({ type: String, nullable: true })
  city: string | null;

  @ApiProperty()
  timezone: string;

  @ApiProperty()
  preferredLanguage: string;

  @ApiProperty()
  preferredCurrency: string;

  @ApiProperty({ type: CommunicationPreferencesResponseDto })
  communicationPreferences: CommunicationPreferencesResponseDto;

  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' } })
  frequentFlyerNumbers: Record<string, string>;

  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' } })
  hotelLoyaltyNumbers: Record<string, string>;

  @ApiProperty({ enum: TRAVEL_FREQUENCIES, nullable: true })
  travelFrequency: TravelFrequency | null;

  @ApiProperty({ enum: TRAVEL_PURPOSES, nullable: true })
  travelPurpose: TravelPurpose | null;

  @ApiProperty({ type: EmergencyContactResponseDto, nullable: true })
  emergencyContact: EmergencyContactResponseDto | null;

  @ApiProperty()
  version: number;

  @ApiProperty({ type: String, format: 'date-time' })
  createdAt: string;

  @ApiProperty({ type: String, format: 'date-time' })
  updatedAt: string;
}

export class MoneyResponseDto {
  @ApiProperty()
  amountMinor: number;

  @ApiProperty()
  currency: string;
}

export class BudgetRangeResponseDto {
  @ApiProperty({ type: MoneyResponseDto })
  min: MoneyResponseDto;

  @ApiProperty({ type: MoneyResponseDto })
  max: MoneyResponseDto;
}

export class RoomPreferencesResponseDto {
  @ApiProperty({ enum: BED_TYPES, required: false })
  bedType?: BedType;

  @ApiProperty({ required: false })
  smoking?: boolean;

  @ApiProperty({ required: false })
  highFloor?: boolean;

  @ApiProperty({ required: false })
  accessible?: boolean;
}

export class TravelPreferencesResponseDto {
  @ApiProperty({ format: 'uuid' })
  userId: string;

  @ApiProperty({ enum: CABIN_CLASSES, nullable: true })
  preferredCabinClass: CabinClass | null;

  @ApiProperty({ enum: SEAT_TYPES, nullable: true })
  preferredSeatType: SeatType | null;

  @ApiProperty({ type: [String] })
  preferredAirlines: string[];

  @ApiProperty({ type: [String] })
  avoidedAirlines: string[];

  @ApiProperty({ type: [String] })
  preferredAirports: string[];

  @ApiProperty({ type: Number, nullable: true })
  maxFlightDurationMinutes: number | null;

  @ApiProperty()
  maxLayovers: number;

  @ApiProperty({ type: Number, nullable: true })
  preferredHotelClass: number | null;

  @ApiProperty({ type: [String] })
  preferredHotelChains: string[];

  @ApiProperty({ type: RoomPreferencesResponseDto })
  roomPreferences: RoomPreferencesResponseDto;

  @ApiProperty({ type: [String] })
  activityInterests: string[];

  @ApiProperty({ enum: DIETARY_NEEDS, isArray: true })
  dietaryRestrictions: DietaryNeed[];

  @ApiProperty({ enum: MOBILITY_NEEDS, isArray: true })
  mobilityRequirements: MobilityNeed[];

  @ApiProperty({ type: BudgetRangeResponseDto, nullable: true })
  budgetRange: BudgetRangeResponseDto | null;

  @ApiProperty()
  priceAlertsEnabled: boolean;

  @ApiProperty()
  dealNotificationsEnabled: boolean;

  @ApiProperty()
  bookingRemindersEnabled: boolean;

  @ApiProperty()
  version: number;

  @ApiProperty({ type: String, format: 'date-time' })
  createdAt: string;

  @ApiProperty({ type: String, format: 'date-time' })
  updatedAt: string;
}
