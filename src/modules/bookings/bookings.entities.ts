import {
  BookingLedgerEntryEntity,
  BookingTravelerEntity,
  CancellationQuoteEntity,
  IdempotencyKeyEntity,
  SessionBookingEntity,
} from './booking-links.entity.js';
import {
  ActivityBookingEntity,
  FlightBookingEntity,
  HotelBookingEntity,
} from './booking-details.entity.js';
import { BookingEntity } from './booking.entity.js';

export const BOOKINGS_ENTITIES = [
  BookingEntity,
  FlightBookingEntity,
  HotelBookingEntity,
  ActivityBookingEntity,
  BookingTravelerEntity,
  SessionBookingEntity,
  BookingLedgerEntryEntity,
  CancellationQuoteEntity,
  IdempotencyKeyEntity,
];
