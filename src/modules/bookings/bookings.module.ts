import { Module, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import { type AppConfig, InjectConfig } from '#config/app-config.js';
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
import { BookingNotifier } from './lifecycle/booking-notifier.js';
import { BookingStatusSync } from './lifecycle/booking-status-sync.js';
import { BookingsPersonalDataContributor } from './privacy/bookings-personal-data.contributor.js';
import {
  PROVIDER_EVENTS_ROUTE_SUFFIX,
  ProviderEventsController,
} from './provider-events/provider-events.controller.js';
import { ProviderEventsRepository } from './provider-events/provider-events.repository.js';
import { ProviderEventsService } from './provider-events/provider-events.service.js';
import { keepRawBody } from './provider-events/raw-body.js';
import { BOOKING_PROVIDERS, type BookingProvider } from './providers/booking-provider.js';
import { SandboxEventSender } from './providers/sandbox-event-sender.js';
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
 * `provider-events/`: signed provider events (POST /providers/:provider/events, raw body kept);
 * `lifecycle/`: the status sync, expiry, completion, and the owner's mails (MAIL port).
 */
@Module({
  imports: [TravelersModule, SessionsModule],
  controllers: [
    BookingsController,
    BookingsByOwnerController,
    AdminBookingsController,
    ProviderEventsController,
  ],
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
    SandboxEventSender,
    BookingsPersonalDataContributor,
    ProviderEventsRepository,
    ProviderEventsService,
    BookingNotifier,
    BookingStatusSync,
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
export class BookingsModule implements OnModuleInit {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    @InjectConfig() private readonly config: AppConfig,
  ) {}

  /** Provider events are signed over their raw bytes: that route keeps them. */
  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter?.getInstance<FastifyInstance>();
    if (!fastify) return;
    keepRawBody(fastify, PROVIDER_EVENTS_ROUTE_SUFFIX, this.config.BODY_LIMIT_BYTES);
  }
}
