import type { ActivityBookingEntity } from './entities/activity-booking.entity.js';
import type { BookingEventEntity } from './entities/booking-event.entity.js';
import type { BookingLedgerEntryEntity } from './entities/booking-ledger-entry.entity.js';
import type { BookingTravelerEntity } from './entities/booking-traveler.entity.js';
import type { BookingEntity } from './entities/booking.entity.js';
import type { FlightBookingEntity } from './entities/flight-booking.entity.js';
import type { HotelBookingEntity } from './entities/hotel-booking.entity.js';
import type {
  BookingEventDto,
  BookingResponseDto,
  BookingSummaryDto,
  BookingTravelerDto,
  LedgerEntryDto,
  LedgerTotalsDto,
  MoneyResponseDto,
} from './dto/booking-response.dto.js';

export type BookingDetailsEntity = FlightBookingEntity | HotelBookingEntity | ActivityBookingEntity;

const minor = (amountMinor: number, currency: string): MoneyResponseDto => ({
  amountMinor,
  currency,
});

const iso = (value: Date | null): string | null => (value ? value.toISOString() : null);

export function toBookingSummary(booking: BookingEntity): BookingSummaryDto {
  return {
    id: booking.id,
    reference: booking.reference,
    bookingType: booking.bookingType,
    status: booking.status,
    paymentStatus: booking.paymentStatus,
    provider: booking.provider,
    providerReference: booking.providerReference,
    confirmationCode: booking.confirmationCode,
    total: minor(booking.totalAmountMinor, booking.currency),
    breakdown: {
      base: minor(booking.baseAmountMinor, booking.currency),
      taxes: minor(booking.taxesAmountMinor, booking.currency),
      fees: minor(booking.feesAmountMinor, booking.currency),
    },
    travelStartDate: booking.travelStartDate,
    travelEndDate: booking.travelEndDate,
    sessionId: booking.sessionId,
    savedItemId: booking.savedItemId,
    bookedAt: iso(booking.bookedAt),
    cancelledAt: iso(booking.cancelledAt),
    version: booking.version,
    createdAt: booking.createdAt.toISOString(),
    updatedAt: booking.updatedAt.toISOString(),
  };
}

/** The detail row without its keys and timestamps; instants as ISO strings. */
export function toDetailsDto(details: BookingDetailsEntity | null): Record<string, unknown> {
  if (!details) return {};
  const result: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(details)) {
    if (['bookingId', 'booking', 'createdAt', 'updatedAt'].includes(key)) continue;
    result[key] = value instanceof Date ? value.toISOString() : value;
  }
  return result;
}

export function toBookingTravelerDto(row: BookingTravelerEntity): BookingTravelerDto {
  return {
    travelerId: row.travelerId,
    isPrimary: row.isPrimary,
    fullName: row.fullName,
    dateOfBirth: row.dateOfBirth,
    travelerType: row.travelerType,
    document: row.documentSnapshot,
  };
}

export function toLedgerEntryDto(entry: BookingLedgerEntryEntity): LedgerEntryDto {
  return {
    id: entry.id,
    kind: entry.kind,
    amount: minor(entry.amountMinor, entry.currency),
    description: entry.description,
    providerReference: entry.providerReference,
    createdAt: entry.createdAt.toISOString(),
  };
}

export function ledgerTotals(
  sums: { charge: number; refund: number; penalty: number },
  currency: string,
): LedgerTotalsDto {
  return {
    charged: minor(sums.charge, currency),
    refunded: minor(sums.refund, currency),
    penalties: minor(sums.penalty, currency),
    net: minor(sums.charge - sums.refund, currency),
  };
}

export function toBookingDto(
  booking: BookingEntity,
  details: BookingDetailsEntity | null,
  travelers: BookingTravelerEntity[],
  totals: LedgerTotalsDto,
  events: BookingEventEntity[],
): BookingResponseDto {
  return {
    ...toBookingSummary(booking),
    details: toDetailsDto(details),
    travelers: travelers.map(toBookingTravelerDto),
    cancellationPolicy: booking.cancellationPolicy,
    totals,
    cancellationReference: booking.cancellationReference,
    freeCancellationUntil: iso(booking.freeCancellationUntil),
    events: events.map(toBookingEventDto),
  };
}

/** A timeline row as the owner sees it (`data` carries no document numbers by construction). */
export function toBookingEventDto(event: BookingEventEntity): BookingEventDto {
  return {
    at: event.createdAt.toISOString(),
    type: event.type,
    source: event.source,
    data: event.data,
  };
}
