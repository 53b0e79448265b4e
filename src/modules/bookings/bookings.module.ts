import { Module } from '@nestjs/common';
import { SessionsModule } from '#modules/sessions/sessions.module.js';
import { TravelersModule } from '#modules/travelers/travelers.module.js';
import { BookingProviderRegistry } from './booking-provider.registry.js';
import {
  AdminBookingsController,
  BookingsByOwnerController,
  BookingsController,
} from './bookings.controller.js';
import { BookingsRepository } from './bookings.repository.js';
import { BookingCancellationService } from './cancellation/booking-cancellation.service.js';
import { CancellationQuotesRepository } from './cancellation/cancellation-quotes.repository.js';
import { CancellationReconciler } from './cancellation/cancellation-reconciler.js';
import { BookingCreationService } from './creation/booking-creation.service.js';
import { BookingWriter } from './creation/booking-writer.js';
import { IdempotencyKeysRepository } from './creation/idempotency-keys.repository.js';
import { IdempotencyService } from './creation/idempotency.service.js';
import { BookingsPersonalDataContributor } from './privacy/bookings-personal-data.contributor.js';
import { BOOKING_PROVIDERS, type BookingProvider } from './providers/booking-provider.js';
import { SandboxBookingProvider } from './providers/sandbox.provider.js';
import { AdminBookingsService } from './queries/admin-bookings.service.js';
import { BookingQueriesService } from './queries/booking-queries.service.js';

/**
 * Bookings through provider adapters. Depends on travelers (snapshots, bookability and
 * TRAVEL_DOCUMENT_CHECK, which it requires) and sessions (ownership), through their services.
 * A new provider: one class implementing BookingProvider, added to BOOKING_PROVIDERS below.
 *
 * Rooms: `creation/` (POST /bookings with its Idempotency-Key), `cancellation/` (quote, cancel,
 * reconciliation), `queries/` (the owner's reads and the support desk), `entities/` (one table
 * each). SQL lives in the repositories (`bookings.repository.ts`, and the quote and idempotency
 * key ones in their rooms); services own the rules. Exports services only.
 */
@Module({
  imports: [TravelersModule, SessionsModule],
  controllers: [BookingsController, BookingsByOwnerController, AdminBookingsController],
  providers: [
    BookingsRepository,
    CancellationQuotesRepository,
    IdempotencyKeysRepository,
    BookingCreationService,
    BookingWriter,
    IdempotencyService,
    BookingCancellationService,
    CancellationReconciler,
    BookingQueriesService,
    AdminBookingsService,
    BookingProviderRegistry,
    SandboxBookingProvider,
    BookingsPersonalDataContributor,
    {
      provide: BOOKING_PROVIDERS,
      useFactory: (...adapters: BookingProvider[]): BookingProvider[] => adapters,
      inject: [SandboxBookingProvider],
    },
  ],
  exports: [
    BookingCreationService,
    BookingCancellationService,
    BookingQueriesService,
    AdminBookingsService,
  ],
})
export class BookingsModule {}
