import {
  Body,
  Controller,
  Get,
  Headers,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Post,
  Query,
  Req,
  Res,
} from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiHeader,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AuthenticatedUser } from '#libs/common/auth/authenticated-user.js';
import {
  CurrentUser,
  RequiresConsent,
  RequiresVerifiedEmail,
  Roles,
} from '#libs/common/auth/decorators.js';
import { etagOf, versionFromIfMatch } from '#libs/common/http/version-etag.js';
import { validationProblem } from '#libs/common/http/validation.js';
import type { Page } from '#libs/common/pagination/pagination.js';
import { BookingsService } from './bookings.service.js';
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
import { assertIdempotencyKey } from './idempotency.service.js';

/** `:id` path parameters: malformed → 400 on that parameter. */
const IdParam = (): ParameterDecorator =>
  Param(
    'id',
    new ParseUUIDPipe({ exceptionFactory: () => validationProblem({ id: ['must be a UUID'] }) }),
  );

const requestIdOf = (request: FastifyRequest): string | null =>
  typeof request.id === 'string' ? request.id : null;

@ApiTags('bookings')
@ApiBearerAuth()
@RequiresVerifiedEmail()
@Controller('bookings')
export class BookingsController {
  constructor(private readonly bookings: BookingsService) {}

  /**
   * Books through the provider. Requires `Idempotency-Key`: a retry with the same key and body
   * gets the first answer byte for byte (`Idempotent-Replayed: true`).
   */
  @RequiresConsent('travel_booking')
  @Post()
  @ApiHeader({ name: 'Idempotency-Key', required: true, description: '1-255 visible ASCII chars' })
  @ApiCreatedResponse({ type: BookingResponseDto })
  async create(
    @CurrentUser() user: AuthenticatedUser,
    @Headers('idempotency-key') key: string | undefined,
    @Body() body: CreateBookingDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<string> {
    const response = await this.bookings.create(user.id, assertIdempotencyKey(key), body);
    void reply.status(response.status).type('application/json; charset=utf-8');
    if (response.replayed) void reply.header('Idempotent-Replayed', 'true');
    const version = (JSON.parse(response.body) as { version?: unknown }).version;
    if (typeof version === 'number') void reply.header('ETag', etagOf(version));
    return response.body;
  }

  @Get()
  @ApiOkResponse({ type: BookingPageDto })
  list(
    @CurrentUser() user: AuthenticatedUser,
    @Query() query: ListBookingsQueryDto,
  ): Promise<Page<BookingSummaryDto>> {
    return this.bookings.list(user.id, query);
  }

  @Get(':id')
  @ApiOkResponse({ type: BookingResponseDto })
  async get(
    @CurrentUser() user: AuthenticatedUser,
    @IdParam() id: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<BookingResponseDto> {
    const booking = await this.bookings.get(user.id, id);
    void reply.header('ETag', etagOf(booking.version));
    return booking;
  }

  @Get(':id/ledger')
  @ApiOkResponse({ type: LedgerPageDto })
  ledger(
    @CurrentUser() user: AuthenticatedUser,
    @IdParam() id: string,
    @Query() query: LedgerQueryDto,
  ): Promise<LedgerPageDto> {
    return this.bookings.ledger(user.id, id, query);
  }

  @Post(':id/cancellation-quote')
  @HttpCode(201)
  @ApiCreatedResponse({ type: CancellationQuoteDto })
  quote(
    @CurrentUser() user: AuthenticatedUser,
    @IdParam() id: string,
  ): Promise<CancellationQuoteDto> {
    return this.bookings.quoteCancellation(user.id, id);
  }

  /** Confirms a cancellation quote. Honours `If-Match` when sent (412 on another version). */
  @Post(':id/cancel')
  @HttpCode(200)
  @ApiHeader({ name: 'If-Match', required: false, description: 'Honoured when sent' })
  @ApiOkResponse({ type: BookingResponseDto })
  async cancel(
    @CurrentUser() user: AuthenticatedUser,
    @IdParam() id: string,
    @Body() body: CancelBookingDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<BookingResponseDto> {
    const booking = await this.bookings.cancel(
      user.id,
      id,
      body.quoteId,
      versionFromIfMatch(ifMatch),
    );
    void reply.header('ETag', etagOf(booking.version));
    return booking;
  }
}

/** Bookings seen from a traveler or a session (served here: bookings own the data). */
@ApiTags('bookings')
@ApiBearerAuth()
@Controller()
export class BookingsByOwnerController {
  constructor(private readonly bookings: BookingsService) {}

  @Get('travelers/:id/bookings')
  @ApiOkResponse({ type: BookingPageDto })
  forTraveler(
    @CurrentUser() user: AuthenticatedUser,
    @IdParam() id: string,
    @Query() query: ListBookingsQueryDto,
  ): Promise<Page<BookingSummaryDto>> {
    return this.bookings.listForTraveler(user.id, id, query);
  }

  @Get('sessions/:id/bookings')
  @ApiOkResponse({ type: BookingPageDto })
  forSession(
    @CurrentUser() user: AuthenticatedUser,
    @IdParam() id: string,
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
  constructor(private readonly bookings: BookingsService) {}

  @Get()
  @ApiOkResponse({ type: AdminBookingPageDto })
  list(
    @CurrentUser() actor: AuthenticatedUser,
    @Query() query: AdminListBookingsQueryDto,
    @Req() request: FastifyRequest,
  ): Promise<AdminBookingPageDto> {
    return this.bookings.adminList(actor, query, requestIdOf(request));
  }

  @Get(':id')
  @ApiOkResponse({ type: AdminBookingResponseDto })
  get(
    @CurrentUser() actor: AuthenticatedUser,
    @IdParam() id: string,
    @Req() request: FastifyRequest,
  ): Promise<AdminBookingResponseDto> {
    return this.bookings.adminGet(actor, id, requestIdOf(request));
  }
}
