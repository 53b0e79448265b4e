import { Injectable } from '@nestjs/common';
import type { SelectQueryBuilder } from 'typeorm';
import { keysetPage, mapPage, type Page } from '#libs/common/pagination/pagination.js';
import { SessionsService } from '#modules/sessions/sessions.service.js';
import { TravelersService } from '#modules/travelers/travelers.service.js';
import { BookingsRepository } from '../bookings.repository.js';
import { toBookingSummary, toLedgerEntryDto } from '../bookings.mappers.js';
import type {
  BookingResponseDto,
  BookingSummaryDto,
  LedgerPageDto,
  LedgerQueryDto,
  ListBookingsQueryDto,
} from '../dto/booking-response.dto.js';
import type { BookingEntity } from '../entities/booking.entity.js';
import { bookingTotals, bookingView, findOwnedBooking } from './booking-view.js';

/** The owner's reads: their bookings, one booking, its ledger, and bookings by traveler/session. */
@Injectable()
export class BookingQueriesService {
  constructor(
    private readonly bookings: BookingsRepository,
    private readonly travelers: TravelersService,
    private readonly sessions: SessionsService,
  ) {}

  list(userId: string, query: ListBookingsQueryDto): Promise<Page<BookingSummaryDto>> {
    return this.page(this.bookings.listForOwnerQuery(userId, query), query);
  }

  get(userId: string, bookingId: string): Promise<BookingResponseDto> {
    return bookingView(this.bookings, bookingId, userId);
  }

  async ledger(userId: string, bookingId: string, query: LedgerQueryDto): Promise<LedgerPageDto> {
    const booking = await findOwnedBooking(this.bookings, bookingId, userId);
    const page = await keysetPage(this.bookings.ledgerQuery(booking.id), {
      alias: 'entry',
      limit: query.limit,
      cursor: query.cursor,
    });
    const totals = await bookingTotals(this.bookings, booking);
    return { ...mapPage(page, toLedgerEntryDto), totals };
  }

  /** GET /travelers/:id/bookings: the traveler must be the user's (else 404). */
  async listForTraveler(
    userId: string,
    travelerId: string,
    query: ListBookingsQueryDto,
  ): Promise<Page<BookingSummaryDto>> {
    await this.travelers.findOwned(userId, travelerId);
    return this.page(this.bookings.listForTravelerQuery(userId, travelerId), query);
  }

  /** GET /sessions/:id/bookings: the session must be the user's (else 404). */
  async listForSession(
    userId: string,
    sessionId: string,
    query: ListBookingsQueryDto,
  ): Promise<Page<BookingSummaryDto>> {
    await this.sessions.assertOwned(userId, sessionId);
    return this.page(this.bookings.listForSessionQuery(userId, sessionId), query);
  }

  private async page(
    builder: SelectQueryBuilder<BookingEntity>,
    query: ListBookingsQueryDto,
  ): Promise<Page<BookingSummaryDto>> {
    const page = await keysetPage(builder, {
      alias: 'booking',
      limit: query.limit,
      cursor: query.cursor,
    });
    return mapPage(page, toBookingSummary);
  }
}
