import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { validationProblem } from '#libs/common/http/validation.js';
import { type TravelerSnapshot, TravelersService } from '#modules/travelers/travelers.service.js';
import type { ParsedDetails } from '../booking-request.js';
import {
  type BookingStatus,
  moveBooking,
  type PaymentStatus,
  walkPayment,
} from '../booking-states.js';
import { freeCancellationUntil } from '../cancellation/cancellation-policy.js';
import type { BookingsRepository } from '../bookings.repository.js';
import { daysBetween } from '../calendar-date.js';
import type { ResolvedCreateBooking } from '../dto/create-booking.dto.js';
import type { BookingEntity } from '../entities/booking.entity.js';
import type { ProviderBookingResult } from '../providers/booking-provider.js';
import type { PreparedBooking } from './prepared-booking.js';

/** What the provider booked, with everything checked before: what the booking transaction writes. */
export interface NewBookingInput {
  userId: string;
  dto: ResolvedCreateBooking;
  prepared: PreparedBooking;
  reference: string;
  result: ProviderBookingResult;
}

/**
 * Writes a booked booking inside the booking transaction: the booking row with its state and
 * payment state from the provider's answer, its details, traveler snapshots (re-read on the
 * transaction's connection), the charge in the ledger and the session link.
 */
@Injectable()
export class BookingWriter {
  constructor(private readonly travelers: TravelersService) {}

  async write(
    tx: { bookings: BookingsRepository; manager: EntityManager },
    booking: NewBookingInput,
  ): Promise<BookingEntity> {
    const { userId, dto, prepared, reference, result } = booking;
    const { bookings } = tx;
    // Re-read the travelers inside the transaction: archived or changed since the check → refused.
    const snapshots = await this.travelers.snapshotsForBooking(
      userId,
      dto.travelerIds,
      prepared.travelStartDate,
      tx.manager,
    );
    const { quote } = prepared;
    let status: BookingStatus = 'pending';
    let payment: PaymentStatus = 'pending';
    if (result.status === 'confirmed') {
      status = moveBooking(status, 'confirmed');
      payment = walkPayment(payment, 'processing', 'paid');
    } else if (result.status === 'failed') {
      status = moveBooking(status, 'failed');
      payment = walkPayment(payment, 'processing', 'failed');
    } else {
      payment = walkPayment(payment, 'processing');
    }
    const now = new Date();
    const row = await bookings.insertBooking({
      userId,
      reference,
      bookingType: dto.bookingType,
      status,
      paymentStatus: payment,
      provider: prepared.provider.name,
      providerReference: result.providerReference,
      confirmationCode: result.confirmationCode,
      currency: quote.currency,
      totalAmountMinor: quote.totalAmountMinor,
      baseAmountMinor: quote.baseAmountMinor,
      taxesAmountMinor: quote.taxesAmountMinor,
      feesAmountMinor: quote.feesAmountMinor,
      travelStartDate: prepared.travelStartDate,
      travelEndDate: prepared.travelEndDate,
      cancellationPolicy: quote.cancellationPolicy,
      providerResponse: result.raw,
      sessionId: dto.sessionId ?? null,
      savedItemId: dto.savedItemId ?? null,
      bookedAt: result.status === 'confirmed' ? now : null,
      bookingDeadline: result.status === 'pending' ? (result.bookingDeadline ?? null) : null,
      freeCancellationUntil: freeCancellationUntil(
        quote.cancellationPolicy,
        prepared.travelStartDate,
      ),
    });
    await this.writeDetails(bookings, row.id, prepared.parsed, snapshots, prepared);
    await bookings.insertTravelers(
      snapshots.map((snapshot, position) => ({
        bookingId: row.id,
        travelerId: snapshot.travelerId,
        position,
        isPrimary: position === 0,
        fullName: snapshot.fullName,
        dateOfBirth: snapshot.dateOfBirth,
        travelerType: snapshot.travelerType,
        documentSnapshot: prepared.documents.get(snapshot.travelerId) ?? null,
      })),
    );
    if (result.status === 'confirmed') {
      await bookings.insertLedgerEntries([
        {
          bookingId: row.id,
          kind: 'charge',
          amountMinor: quote.totalAmountMinor,
          currency: quote.currency,
          description: `Charge for booking ${reference}`,
          providerReference: result.paymentReference,
        },
      ]);
    }
    if (dto.sessionId) await bookings.linkSession(dto.sessionId, row.id);
    await bookings.insertEvents([
      { bookingId: row.id, type: 'booking.created', source: 'user' },
      ...(status === 'pending'
        ? []
        : [{ bookingId: row.id, type: `booking.${status}`, source: 'provider' as const }]),
    ]);
    return row;
  }

  private async writeDetails(
    bookings: BookingsRepository,
    bookingId: string,
    parsed: ParsedDetails,
    snapshots: TravelerSnapshot[],
    prepared: PreparedBooking,
  ): Promise<void> {
    const count = (type: string): number =>
      snapshots.filter((snapshot) => snapshot.travelerType === type).length;
    switch (parsed.bookingType) {
      case 'flight': {
        const { details } = parsed;
        const first = details.segments[0];
        const last = details.segments.at(-1);
        if (!first || !last) throw validationProblem({ 'details.segments': ['required'] });
        const departureAt = new Date(first.departureAt);
        const arrivalAt = new Date(last.arrivalAt);
        await bookings.insertFlightDetails({
          bookingId,
          airlineCode: first.airlineCode,
          flightNumber: first.flightNumber,
          originAirport: first.originAirport,
          destinationAirport: last.destinationAirport,
          departureAt,
          arrivalAt,
          cabinClass: details.cabinClass,
          totalDurationMinutes: Math.round((arrivalAt.getTime() - departureAt.getTime()) / 60_000),
          isRoundTrip: details.isRoundTrip ?? false,
          passengerCount: snapshots.length,
          infantCount: count('infant'),
          segments: details.segments.map((segment) => ({ ...segment })),
          seatAssignments: (details.seatAssignments ?? []).map((seat) => ({ ...seat })),
          baggageAllowance: details.baggageAllowance ? { ...details.baggageAllowance } : null,
        });
        return;
      }
      case 'hotel': {
        const { details } = parsed;
        const nights = daysBetween(details.checkInDate, details.checkOutDate);
        const rooms = details.roomCount ?? 1;
        await bookings.insertHotelDetails({
          bookingId,
          hotelId: details.hotelId,
          hotelName: details.hotelName,
          hotelChain: details.hotelChain ?? null,
          hotelRating: details.hotelRating ?? null,
          address: details.address ?? null,
          city: details.city,
          country: details.country.toUpperCase(),
          checkInDate: details.checkInDate,
          checkOutDate: details.checkOutDate,
          nightsCount: nights,
          roomType: details.roomType,
          roomCount: rooms,
          guestCount: snapshots.length,
          adultCount: count('adult') + count('senior'),
          childCount: count('child') + count('infant'),
          mealPlan: details.mealPlan ?? null,
          isRefundable: prepared.quote.cancellationPolicy.refundable,
          roomRatePerNightMinor:
            nights * rooms > 0
              ? Math.trunc(prepared.quote.baseAmountMinor / (nights * rooms))
              : null,
          specialRequests: details.specialRequests ?? null,
        });
        return;
      }
      case 'activity': {
        const { details } = parsed;
        await bookings.insertActivityDetails({
          bookingId,
          activityId: details.activityId,
          activityName: details.activityName,
          activityType: details.activityType,
          locationName: details.locationName ?? null,
          city: details.city,
          country: details.country.toUpperCase(),
          activityDate: details.activityDate,
          startTime: details.startTime ?? null,
          durationMinutes: details.durationMinutes ?? null,
          participantCount: snapshots.length,
          adultCount: count('adult'),
          childCount: count('child') + count('infant'),
          seniorCount: count('senior'),
          meetingPoint: details.meetingPoint ?? null,
          language: details.language ?? null,
        });
        return;
      }
    }
  }
}
