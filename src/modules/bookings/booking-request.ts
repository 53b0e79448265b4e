import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { validationProblem } from '#libs/common/http/validation.js';
import { flattenValidationErrors } from '#libs/common/http/validation.js';
import type { FieldErrors } from '#libs/common/errors/problem.exception.js';
import { daysBetween } from './calendar-date.js';
import type { BookingType } from './booking-states.js';
import {
  type ActivityDetailsDto,
  DETAILS_BY_TYPE,
  type FlightDetailsDto,
  type HotelDetailsDto,
} from './dto/create-booking.dto.js';

export const MAX_HOTEL_NIGHTS = 60;

export type ParsedDetails =
  | { bookingType: 'flight'; details: FlightDetailsDto }
  | { bookingType: 'hotel'; details: HotelDetailsDto }
  | { bookingType: 'activity'; details: ActivityDetailsDto };

export interface TravelWindow {
  travelStartDate: string;
  travelEndDate: string;
}

/**
 * Validates `details` against the DTO of the booking type (same rules as the global pipe:
 * unknown fields are refused) → 400 with `details.*` paths.
 */
export async function parseDetails(
  bookingType: BookingType,
  details: Record<string, unknown>,
  travelerIds: readonly string[],
): Promise<ParsedDetails> {
  const dtoClass: new () => object = DETAILS_BY_TYPE[bookingType];
  const instance = plainToInstance(dtoClass, details);
  const errors = await validate(instance, { whitelist: true, forbidNonWhitelisted: true });
  const fieldErrors: FieldErrors = flattenValidationErrors(errors, 'details');
  const parsed = { bookingType, details: instance } as ParsedDetails;
  Object.assign(
    fieldErrors,
    Object.keys(fieldErrors).length === 0 ? crossFieldErrors(parsed, travelerIds) : {},
  );
  if (Object.keys(fieldErrors).length > 0) throw validationProblem(fieldErrors);
  return parsed;
}

function crossFieldErrors(parsed: ParsedDetails, travelerIds: readonly string[]): FieldErrors {
  const errors: FieldErrors = {};
  if (parsed.bookingType === 'flight') {
    const { segments, seatAssignments } = parsed.details;
    segments.forEach((segment, index) => {
      if (Date.parse(segment.arrivalAt) <= Date.parse(segment.departureAt)) {
        errors[`details.segments.${index}.arrivalAt`] = ['arrivalAt must be after departureAt'];
      }
      const previous = segments[index - 1];
      if (previous && Date.parse(segment.departureAt) < Date.parse(previous.arrivalAt)) {
        errors[`details.segments.${index}.departureAt`] = [
          'segments must be in order: departure after the previous arrival',
        ];
      }
    });
    (seatAssignments ?? []).forEach((seat, index) => {
      if (!travelerIds.includes(seat.travelerId)) {
        errors[`details.seatAssignments.${index}.travelerId`] = ['must be one of travelerIds'];
      }
    });
  } else if (parsed.bookingType === 'hotel') {
    const nights = daysBetween(parsed.details.checkInDate, parsed.details.checkOutDate);
    if (nights < 1) errors['details.checkOutDate'] = ['checkOutDate must be after checkInDate'];
    if (nights > MAX_HOTEL_NIGHTS) {
      errors['details.checkOutDate'] = [`a stay is at most ${MAX_HOTEL_NIGHTS} nights`];
    }
  }
  return errors;
}

/** Travel start and end as local calendar dates (a flight's departure date as written). */
export function travelWindow(parsed: ParsedDetails): TravelWindow {
  switch (parsed.bookingType) {
    case 'flight': {
      const first = parsed.details.segments[0];
      const last = parsed.details.segments.at(-1);
      const start = (first?.departureAt ?? '').slice(0, 10);
      const arrival = (last?.arrivalAt ?? '').slice(0, 10);
      // Crossing the date line eastwards can land on an earlier local date.
      return { travelStartDate: start, travelEndDate: arrival > start ? arrival : start };
    }
    case 'hotel':
      return {
        travelStartDate: parsed.details.checkInDate,
        travelEndDate: parsed.details.checkOutDate,
      };
    case 'activity':
      return {
        travelStartDate: parsed.details.activityDate,
        travelEndDate: parsed.details.activityDate,
      };
  }
}
