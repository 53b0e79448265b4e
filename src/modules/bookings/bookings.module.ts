import { BookingsPersonalDataContributor } from './privacy/bookings-personal-data.contributor.js';
import { Module } from '@nestjs/common';
import { SessionsModule } from '#modules/sessions/sessions.module.js';
import { TravelersModule } from '#modules/travelers/travelers.module.js';
import { BookingProviderRegistry } from './booking-provider.registry.js';
import {
  AdminBookingsController,
  BookingsByOwnerController,
  BookingsController,
} from './bookings.controller.js';
import { BookingsService } from './bookings.service.js';
import { CancellationReconciler } from './cancellation-reconciler.js';
import { IdempotencyService } from './idempotency.service.js';
import { BOOKING_PROVIDERS, type BookingProvider } from './providers/booking-provider.js';
import { SandboxBookingProvider } from './providers/sandbox.provider.js';

/**
 * Bookings through provider adapters. Depends on travelers (snapshots, bookability and
 * TRAVEL_DOCUMENT_CHECK, which it requires) and sessions (ownership), through their services.
 * A new provider: one class implementing BookingProvider, added to BOOKING_PROVIDERS below.
 */
@Module({
  imports: [TravelersModule, SessionsModule],
  controllers: [BookingsController, BookingsByOwnerController, AdminBookingsController],
  providers: [
    BookingsService,
    CancellationReconciler,
    IdempotencyService,
    BookingProviderRegistry,
    SandboxBookingProvider,
    BookingsPersonalDataContributor,
    {
      provide: BOOKING_PROVIDERS,
      useFactory: (...adapters: BookingProvider[]): BookingProvider[] => adapters,
      inject: [SandboxBookingProvider],
    },
  ],
  exports: [BookingsService],
})
export class BookingsModule {}
