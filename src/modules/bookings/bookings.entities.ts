import { ActivityBookingEntity } from './entities/activity-booking.entity.js';
import { BookingEventEntity } from './entities/booking-event.entity.js';
import { BookingLedgerEntryEntity } from './entities/booking-ledger-entry.entity.js';
import { BookingTravelerEntity } from './entities/booking-traveler.entity.js';
import { BookingEntity } from './entities/booking.entity.js';
import { CancellationQuoteEntity } from './entities/cancellation-quote.entity.js';
import { FlightBookingEntity } from './entities/flight-booking.entity.js';
import { HotelBookingEntity } from './entities/hotel-booking.entity.js';
import { IdempotencyKeyEntity } from './entities/idempotency-key.entity.js';
import { ProviderEventEntity } from './entities/provider-event.entity.js';
import { SessionBookingEntity } from './entities/session-booking.entity.js';

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
  BookingEventEntity,
  ProviderEventEntity,
];
