import { Body, Controller, Get, Headers, HttpCode, Post, Query, Req, Res } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiHeader,
  ApiOkResponse,
  ApiTags,
  ApiOperation,
} from '#libs/common/openapi/api-docs.js';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AuthenticatedUser } from '#libs/common/auth/authenticated-user.js';
import {
  CurrentUser,
  RequiresConsent,
  RequiresVerifiedEmail,
  Roles,
} from '#libs/common/auth/decorators.js';
import { etagOf, versionFromIfMatch } from '#libs/common/http/version-etag.js';
import type { Page } from '#libs/common/pagination/pagination.js';
import { BookingCancellationService } from './cancellation/booking-cancellation.service.js';
import { BookingCreationService } from './creation/booking-creation.service.js';
import {
  AdminBookingPageDto,
  AdminBookingResponseDto,
  AdminListBookingsQueryDto,
  BookingPageDto,
  BookingResponseDto,
  type BookingSummaryDto,
  CancellationQuoteDto,
  LedgerPageDto,
  LedgerQueryDto,
  ListBookingsQueryDto,
} from './dto/booking-response.dto.js';
import { CancelBookingDto, CreateBookingDto } from './dto/create-booking.dto.js';
import { assertIdempotencyKey } from './creation/idempotency.service.js';
import { AdminBookingsService } from './queries/admin-bookings.service.js';
import { BookingQueriesService } from './queries/booking-queries.service.js';
import { UuidParam } from '#libs/common/http/uuid-param.js';
import { VersionETag } from '#libs/common/http/version-etag.interceptor.js';

const requestIdOf = (request: FastifyRequest): string | null =>
  typeof request.id === 'string' ? request.id : null;

@ApiTags('bookings')
@ApiBearerAuth()
@RequiresVerifiedEmail()
@Controller('bookings')
export class BookingsController {
  constructor(
    private readonly creation: BookingCreationService,
    private readonly bookings: BookingQueriesService,
    private readonly cancellation: BookingCancellationService,
  ) {}

  /**
   * Books through the provider. Requires `Idempotency-Key`: a retry with the same key and body
   * gets the first answer byte for byte (`Idempotent-Replayed: true`).
   */
  @RequiresConsent('travel_booking')
  @Post()
  @ApiHeader({ name: 'Idempotency-Key', required: true, description: '1-255 visible ASCII chars' })
  @ApiCreatedResponse({ type: BookingResponseDto })
  @ApiOperation({ summary: 'Book (idempotent with Idempotency-Key)' })
  async create(
    @CurrentUser() user: AuthenticatedUser,
    @Headers('idempotency-key') key: string | undefined,
    @Body() body: CreateBookingDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<string> {
    const response = await this.creation.create(user.id, assertIdempotencyKey(key), body);
    void reply.status(response.status).type('application/json; charset=utf-8');
    if (response.replayed) void reply.header('Idempotent-Replayed', 'true');
    if (response.version !== null) void reply.header('ETag', etagOf(response.version));
    return response.body;
  }

  @Get()
  @ApiOkResponse({ type: BookingPageDto })
  @ApiOperation({ summary: 'List my bookings' })
  list(
    @CurrentUser() user: AuthenticatedUser,
    @Query() query: ListBookingsQueryDto,
  ): Promise<Page<BookingSummaryDto>> {
    return this.bookings.list(user.id, query);
  }

  @Get(':id')
  @ApiOkResponse({ type: BookingResponseDto })
  @VersionETag()
  @ApiOperation({ summary: 'Get a booking' })
  async get(
    @CurrentUser() user: AuthenticatedUser,
    @UuidParam('id') id: string,
  ): Promise<BookingResponseDto> {
    const booking = await this.bookings.get(user.id, id);
    return booking;
  }

  @Get(':id/ledger')
  @ApiOkResponse({ type: LedgerPageDto })
  @ApiOperation({ summary: "List a booking's ledger entries" })
  ledger(
    @CurrentUser() user: AuthenticatedUser,
    @UuidParam('id') id: string,
    @Query() query: LedgerQueryDto,
  ): Promise<LedgerPageDto> {
    return this.bookings.ledger(user.id, id, query);
  }

  @Post(':id/cancellation-quote')
  @HttpCode(201)
  @ApiCreatedResponse({ type: CancellationQuoteDto })
  @ApiOperation({ summary: 'Quote a cancellation' })
  quote(
    @CurrentUser() user: AuthenticatedUser,
    @UuidParam('id') id: string,
  ): Promise<CancellationQuoteDto> {
    return this.cancellation.quote(user.id, id);
  }

  /** Confirms a cancellation quote. Honours `If-Match` when sent (412 on another version). */
  @Post(':id/cancel')
  @HttpCode(200)
  @ApiHeader({ name: 'If-Match', required: false, description: 'Honoured when sent' })
  @ApiOkResponse({ type: BookingResponseDto })
  @VersionETag()
  @ApiOperation({ summary: 'Cancel a booking' })
  async cancel(
    @CurrentUser() user: AuthenticatedUser,
    @UuidParam('id') id: string,
    @Body() body: CancelBookingDto,
    @Headers('if-match') ifMatch: string | undefined,
  ): Promise<BookingResponseDto> {
    const booking = await this.cancellation.cancel(
      user.id,
      id,
      body.quoteId,
      versionFromIfMatch(ifMatch),
    );
    return booking;
  }
}

/** Bookings seen from a traveler or a session (served here: bookings own the data). */
@ApiTags('bookings')
@ApiBearerAuth()
@Controller()
export class BookingsByOwnerController {
  constructor(private readonly bookings: BookingQueriesService) {}

  @Get('travelers/:id/bookings')
  @ApiOkResponse({ type: BookingPageDto })
  @ApiOperation({ summary: "List a traveler's bookings" })
  forTraveler(
    @CurrentUser() user: AuthenticatedUser,
    @UuidParam('id') id: string,
    @Query() query: ListBookingsQueryDto,
  ): Promise<Page<BookingSummaryDto>> {
    return this.bookings.listForTraveler(user.id, id, query);
  }

  @Get('sessions/:id/bookings')
  @ApiOkResponse({ type: BookingPageDto })
  @ApiOperation({ summary: "List a session's bookings" })
  forSession(
    @CurrentUser() user: AuthenticatedUser,
    @UuidParam('id') id: string,
    @Query() query: ListBookingsQueryDto,
  ): Promise<Page<BookingSummaryDto>> {
    return this.bookings.listForSession(user.id, id, query);
  }
}

/** Support desk: any booking, every read audited. */
@ApiTags('admin')
@ApiBearerAuth()
@Roles('admin')
@Controller('admin/bookings')
export class AdminBookingsController {
  constructor(private readonly bookings: AdminBookingsService) {}

  @Get()
  @ApiOkResponse({ type: AdminBookingPageDto })
  @ApiOperation({ summary: 'List bookings (support desk)' })
  list(
    @CurrentUser() actor: AuthenticatedUser,
    @Query() query: AdminListBookingsQueryDto,
    @Req() request: FastifyRequest,
  ): Promise<AdminBookingPageDto> {
    return this.bookings.list(actor, query, requestIdOf(request));
  }

  @Get(':id')
  @ApiOkResponse({ type: AdminBookingResponseDto })
  @ApiOperation({ summary: 'Get a booking (support desk)' })
  get(
    @CurrentUser() actor: AuthenticatedUser,
    @UuidParam('id') id: string,
    @Req() request: FastifyRequest,
  ): Promise<AdminBookingResponseDto> {
    return this.bookings.get(actor, id, requestIdOf(request));
  }
}
