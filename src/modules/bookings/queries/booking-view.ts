import { notFound, type ProblemException } from '#libs/common/errors/problem.exception.js';
import type { BookingsRepository } from '../bookings.repository.js';
import { ledgerTotals, toBookingDto } from '../bookings.mappers.js';
import type { BookingResponseDto, LedgerTotalsDto } from '../dto/booking-response.dto.js';
import type { BookingEntity } from '../entities/booking.entity.js';

/**
 * How a booking is read back for its owner: by creation (the stored answer), cancellation, the
 * owner's GET and the support desk. Functions over a BookingsRepository, so each caller reads on
 * its own connection or inside its transaction.
 */

export const bookingNotFound = (): ProblemException =>
  notFound('BOOKING_NOT_FOUND', 'No such booking on your account.');

/** The owner's booking, or 404 BOOKING_NOT_FOUND. */
export async function findOwnedBooking(
  bookings: BookingsRepository,
  bookingId: string,
  userId: string,
): Promise<BookingEntity> {
  const booking = await bookings.findOneForOwner(bookingId, userId);
  if (!booking) throw bookingNotFound();
  return booking;
}

/** The booking's ledger totals (charged, refunded, penalty, net). */
export async function bookingTotals(
  bookings: BookingsRepository,
  booking: BookingEntity,
): Promise<LedgerTotalsDto> {
  return ledgerTotals(await bookings.ledgerSums(booking.id), booking.currency);
}

/** The owner's booking as the API answers it (details, travelers, totals), or 404. */
export async function bookingView(
  bookings: BookingsRepository,
  bookingId: string,
  userId: string,
): Promise<BookingResponseDto> {
  const booking = await findOwnedBooking(bookings, bookingId, userId);
  const details = await bookings.details(booking);
  const travelers = await bookings.travelers(bookingId);
  const events = await bookings.timeline(bookingId);
  return toBookingDto(booking, details, travelers, await bookingTotals(bookings, booking), events);
}
