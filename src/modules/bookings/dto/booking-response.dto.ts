import { ApiProperty, ApiPropertyOptional } from '#libs/common/openapi/api-docs.js';
import { Transform } from 'class-transformer';
import { IsEmail, IsIn, IsOptional, IsString, IsUUID, MaxLength, MinLength } from 'class-validator';
import { IsDateOnly } from '#libs/common/validation/field-validators.js';
import { PageQueryDto } from '#libs/common/pagination/pagination.js';
import { TRAVELER_TYPES, type TravelerType } from '#modules/travelers/traveler-type.js';
import {
  BOOKING_STATUSES,
  BOOKING_TYPES,
  type BookingStatus,
  type BookingType,
  LEDGER_ENTRY_KINDS,
  type LedgerEntryKind,
  PAYMENT_STATUSES,
  type PaymentStatus,
} from '../booking-states.js';
import {
  BOOKING_EVENT_SOURCES,
  type BookingEventSource,
} from '../entities/booking-event.entity.js';

export class MoneyResponseDto {
  @ApiProperty({ example: 12999, description: 'Integer minor units' })
  amountMinor: number;

  @ApiProperty({ example: 'EUR' })
  currency: string;
}

export class PriceBreakdownDto {
  @ApiProperty({ type: MoneyResponseDto })
  base: MoneyResponseDto;

  @ApiProperty({ type: MoneyResponseDto })
  taxes: MoneyResponseDto;

  @ApiProperty({ type: MoneyResponseDto })
  fees: MoneyResponseDto;
}

/** Sums over the ledger: what was charged, refunded and kept as penalty; net = charged − refunded. */
export class LedgerTotalsDto {
  @ApiProperty({ type: MoneyResponseDto })
  charged: MoneyResponseDto;

  @ApiProperty({ type: MoneyResponseDto })
  refunded: MoneyResponseDto;

  @ApiProperty({ type: MoneyResponseDto })
  penalties: MoneyResponseDto;

  @ApiProperty({ type: MoneyResponseDto })
  net: MoneyResponseDto;
}

export class BookingDocumentSnapshotDto {
  @ApiProperty()
  documentType: string;

  @ApiProperty({ nullable: true, type: String })
  issuingCountry: string | null;

  @ApiProperty({ example: '•••••1234' })
  numberMasked: string;

  @ApiProperty({ nullable: true, type: String })
  expiresOn: string | null;
}

export class BookingTravelerDto {
  @ApiProperty({ format: 'uuid', nullable: true, type: String })
  travelerId: string | null;

  @ApiProperty()
  isPrimary: boolean;

  @ApiProperty()
  fullName: string;

  @ApiProperty({ nullable: true, type: String, example: '1990-05-01' })
  dateOfBirth: string | null;

  @ApiProperty({ enum: TRAVELER_TYPES, description: 'On the travel date' })
  travelerType: TravelerType;

  @ApiProperty({ type: BookingDocumentSnapshotDto, nullable: true })
  document: BookingDocumentSnapshotDto | null;
}

export class BookingSummaryDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ example: 'PTH-7Q2M9XK4DA' })
  reference: string;

  @ApiProperty({ enum: BOOKING_TYPES })
  bookingType: BookingType;

  @ApiProperty({ enum: BOOKING_STATUSES })
  status: BookingStatus;

  @ApiProperty({ enum: PAYMENT_STATUSES })
  paymentStatus: PaymentStatus;

  @ApiProperty()
  provider: string;

  @ApiProperty({ nullable: true, type: String })
  providerReference: string | null;

  @ApiProperty({ nullable: true, type: String })
  confirmationCode: string | null;

  @ApiProperty({ type: MoneyResponseDto })
  total: MoneyResponseDto;

  @ApiProperty({ type: PriceBreakdownDto })
  breakdown: PriceBreakdownDto;

  @ApiProperty({ example: '2027-03-01' })
  travelStartDate: string;

  @ApiProperty({ example: '2027-03-04' })
  travelEndDate: string;

  @ApiProperty({ format: 'uuid', nullable: true, type: String })
  sessionId: string | null;

  @ApiProperty({ format: 'uuid', nullable: true, type: String })
  savedItemId: string | null;

  @ApiProperty({ nullable: true, type: String, format: 'date-time' })
  bookedAt: string | null;

  @ApiProperty({ nullable: true, type: String, format: 'date-time' })
  cancelledAt: string | null;

  @ApiProperty()
  version: number;

  @ApiProperty({ format: 'date-time' })
  createdAt: string;

  @ApiProperty({ format: 'date-time' })
  updatedAt: string;
}

export class CancellationRuleDto {
  @ApiProperty()
  minHoursBeforeStart: number;

  @ApiProperty({ description: 'Share kept, in basis points (10000 = all)' })
  penaltyBasisPoints: number;
}

export class CancellationPolicyDto {
  @ApiProperty()
  refundable: boolean;

  @ApiProperty({ type: [CancellationRuleDto] })
  rules: CancellationRuleDto[];
}

/** One entry of a booking's timeline. */
export class BookingEventDto {
  @ApiProperty({ format: 'date-time' })
  at: string;

  @ApiProperty({ example: 'booking.confirmed' })
  type: string;

  @ApiProperty({ enum: BOOKING_EVENT_SOURCES })
  source: BookingEventSource;

  @ApiProperty({ type: 'object', additionalProperties: true })
  data: Record<string, unknown>;
}

export class BookingResponseDto extends BookingSummaryDto {
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'The flight, hotel or activity details',
  })
  details: Record<string, unknown>;

  @ApiProperty({ type: [BookingTravelerDto] })
  travelers: BookingTravelerDto[];

  @ApiProperty({ type: CancellationPolicyDto })
  cancellationPolicy: CancellationPolicyDto;

  @ApiProperty({ type: LedgerTotalsDto })
  totals: LedgerTotalsDto;

  @ApiProperty({ nullable: true, type: String })
  cancellationReference: string | null;

  @ApiProperty({
    nullable: true,
    type: String,
    format: 'date-time',
    description: 'Until then cancelling costs nothing (null: never free of charge)',
  })
  freeCancellationUntil: string | null;

  @ApiProperty({
    type: [BookingEventDto],
    description: 'What happened to the booking, oldest first',
  })
  events: BookingEventDto[];
}

/** Support desk view: the owner id and the provider's raw answer as well. */
export class AdminBookingResponseDto extends BookingResponseDto {
  @ApiProperty({ format: 'uuid' })
  userId: string;

  @ApiProperty({ type: 'object', additionalProperties: true })
  providerResponse: Record<string, unknown>;
}

export class BookingPageDto {
  @ApiProperty({ type: [BookingSummaryDto] })
  items: BookingSummaryDto[];

  @ApiProperty({ nullable: true, type: String })
  nextCursor: string | null;
}

export class AdminBookingSummaryDto extends BookingSummaryDto {
  @ApiProperty({ format: 'uuid' })
  userId: string;
}

export class AdminBookingPageDto {
  @ApiProperty({ type: [AdminBookingSummaryDto] })
  items: AdminBookingSummaryDto[];

  @ApiProperty({ nullable: true, type: String })
  nextCursor: string | null;
}

export class LedgerEntryDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ enum: LEDGER_ENTRY_KINDS })
  kind: LedgerEntryKind;

  @ApiProperty({ type: MoneyResponseDto })
  amount: MoneyResponseDto;

  @ApiProperty()
  description: string;

  @ApiProperty({ nullable: true, type: String })
  providerReference: string | null;

  @ApiProperty({ format: 'date-time' })
  createdAt: string;
}

export class LedgerPageDto {
  @ApiProperty({ type: [LedgerEntryDto] })
  items: LedgerEntryDto[];

  @ApiProperty({ nullable: true, type: String })
  nextCursor: string | null;

  @ApiProperty({ type: LedgerTotalsDto })
  totals: LedgerTotalsDto;
}

export class CancellationQuoteDto {
  @ApiProperty({ format: 'uuid' })
  quoteId: string;

  @ApiProperty({ format: 'uuid' })
  bookingId: string;

  @ApiProperty({ type: MoneyResponseDto })
  refund: MoneyResponseDto;

  @ApiProperty({ type: MoneyResponseDto })
  penalty: MoneyResponseDto;

  @ApiProperty({ format: 'date-time' })
  expiresAt: string;
}

export class ListBookingsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: BOOKING_STATUSES })
  @IsOptional()
  @IsIn(BOOKING_STATUSES)
  status?: BookingStatus;

  @ApiPropertyOptional({ enum: BOOKING_TYPES })
  @IsOptional()
  @IsIn(BOOKING_TYPES)
  type?: BookingType;

  @ApiPropertyOptional({ example: '2027-01-01', description: 'Travel start on or after' })
  @IsOptional()
  @IsDateOnly()
  from?: string;

  @ApiPropertyOptional({ example: '2027-12-31', description: 'Travel start on or before' })
  @IsOptional()
  @IsDateOnly()
  to?: string;
}

function trim({ value }: { value: unknown }): unknown {
  return typeof value === 'string' ? value.trim() : value;
}

function trimUpper({ value }: { value: unknown }): unknown {
  return typeof value === 'string' ? value.trim().toUpperCase() : value;
}

export class AdminListBookingsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  userId?: string;

  @ApiPropertyOptional({ enum: BOOKING_STATUSES })
  @IsOptional()
  @IsIn(BOOKING_STATUSES)
  status?: BookingStatus;

  @ApiPropertyOptional({
    description: 'Booking reference, exact match, case-insensitive (e.g. PTH-ABCDE23456).',
    maxLength: 20,
  })
  @IsOptional()
  @Transform(trimUpper)
  @IsString()
  @MinLength(1)
  @MaxLength(20)
  reference?: string;

  @ApiPropertyOptional({
    description: "Provider's confirmation code, exact match.",
    maxLength: 100,
  })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  confirmationCode?: string;

  @ApiPropertyOptional({
    description: "The booking user's email, exact match, case-insensitive.",
    format: 'email',
    maxLength: 254,
  })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(254)
  @IsEmail()
  email?: string;
}

export class LedgerQueryDto extends PageQueryDto {}
