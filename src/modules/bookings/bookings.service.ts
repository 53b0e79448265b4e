import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type DataSource, type EntityManager, IsNull, type SelectQueryBuilder } from 'typeorm';
import { AUDIT_LOG, type AuditLog } from '#libs/common/compliance-ports.js';
import type { AuthenticatedUser } from '#libs/common/auth/authenticated-user.js';
import { registerConstraint } from '#libs/common/errors/constraint-codes.js';
import {
  conflict,
  notFound,
  ProblemException,
  unprocessable,
} from '#libs/common/errors/problem.exception.js';
import { preconditionFailed } from '#libs/common/http/version-etag.js';
import { validationProblem } from '#libs/common/http/validation.js';
import { keysetPage, mapPage, type Page } from '#libs/common/pagination/pagination.js';
import { SavedItemsService } from '#modules/sessions/saved-items.service.js';
import { SessionsService } from '#modules/sessions/sessions.service.js';
import {
  TRAVEL_DOCUMENT_CHECK,
  type TravelDocumentCheck,
} from '#modules/travelers/travel-document-check.js';
import { todayUtc } from '#libs/common/time/calendar-date.js';
import { type TravelerSnapshot, TravelersService } from '#modules/travelers/travelers.service.js';
import { BookingProviderRegistry } from './booking-provider.registry.js';
import { newBookingReference } from './booking-reference.js';
import { parseDetails, type ParsedDetails, travelWindow } from './booking-request.js';
import {
  BookingLedgerEntryEntity,
  BookingTravelerEntity,
  CancellationQuoteEntity,
  type DocumentSnapshot,
  SessionBookingEntity,
} from './booking-links.entity.js';
import {
  ActivityBookingEntity,
  FlightBookingEntity,
  HotelBookingEntity,
} from './booking-details.entity.js';
import {
  type BookingStatus,
  moveBooking,
  type PaymentStatus,
  walkPayment,
} from './booking-states.js';
import {
  CANCELLATION_CLAIM_LEASE_MS,
  cancellationRunning,
  claimLeaseCutoff,
  writeCancellation,
} from './cancellation-record.js';
import { CancellationReconciler } from './cancellation-reconciler.js';
import { BookingEntity, UQ_BOOKING_REFERENCE } from './booking.entity.js';
import {
  type BookingDetailsEntity,
  ledgerTotals,
  toBookingDto,
  toBookingSummary,
  toLedgerEntryDto,
} from './bookings.mappers.js';
import { daysBetween } from './calendar-date.js';
import { fingerprint } from './canonical-json.js';
import type {
  AdminBookingResponseDto,
  AdminBookingSummaryDto,
  AdminListBookingsQueryDto,
  BookingResponseDto,
  BookingSummaryDto,
  CancellationQuoteDto,
  LedgerPageDto,
  LedgerQueryDto,
  LedgerTotalsDto,
  ListBookingsQueryDto,
} from './dto/booking-response.dto.js';
import type { CreateBookingDto } from './dto/create-booking.dto.js';
import { IdempotencyService, type StoredResponse } from './idempotency.service.js';
import type {
  BookingProvider,
  ProviderBookingRequest,
  ProviderBookingResult,
  ProviderCancellationResult,
  ProviderQuote,
} from './providers/booking-provider.js';
import { SANDBOX_PROVIDER } from './providers/sandbox.provider.js';

registerConstraint(
  UQ_BOOKING_REFERENCE,
  409,
  'BOOKING_REFERENCE_TAKEN',
  'Booking reference collision; retry the request.',
);

export const CREATE_BOOKING_SCOPE = 'POST /bookings';
/** A cancellation quote is valid for 15 minutes. */
export const CANCELLATION_QUOTE_TTL_MS = 15 * 60 * 1000;

const bookingNotFound = (): ProblemException =>
  notFound('BOOKING_NOT_FOUND', 'No such booking on your account.');

/** Everything checked and priced before the provider is asked to book. */
interface PreparedBooking {
  parsed: ParsedDetails;
  travelStartDate: string;
  travelEndDate: string;
  snapshots: TravelerSnapshot[];
  documents: Map<string, DocumentSnapshot | null>;
  provider: BookingProvider;
  request: ProviderBookingRequest;
  quote: ProviderQuote;
}

/** A cancellation claimed (quote marked used at `claimedAt`) but not recorded yet. */
interface CancellationClaim {
  kind: 'claimed';
  booking: BookingEntity;
  quote: CancellationQuoteEntity;
  claimedAt: Date;
}

/**
 * What claiming a quote found: claimed now; recorded with this quote by the reconciliation this
 * very request ran (answer the booking); or claimed earlier by a cancel that never recorded, past
 * its lease (settle first).
 */
type ClaimOutcome = CancellationClaim | { kind: 'recorded' } | { kind: 'stale' };

interface LedgerSums {
  charge: number;
  refund: number;
  penalty: number;
}

@Injectable()
export class BookingsService {
  private readonly logger = new Logger(BookingsService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly travelers: TravelersService,
    private readonly sessions: SessionsService,
    private readonly savedItems: SavedItemsService,
    private readonly providers: BookingProviderRegistry,
    private readonly idempotency: IdempotencyService,
    @Inject(TRAVEL_DOCUMENT_CHECK) private readonly documentCheck: TravelDocumentCheck,
    @Inject(AUDIT_LOG) private readonly audit: AuditLog,
    private readonly reconciler: CancellationReconciler,
  ) {}

  /**
   * POST /bookings. Claims the idempotency key first (its own statement), checks and prices
   * everything, asks the provider to book, then ONE transaction writes the booking, its details,
   * travelers, ledger, session link and the stored answer. If anything fails before that
   * transaction commits, the key is released so the client can retry.
   *
   * When the provider booked but no booking row with our reference exists afterwards (the key
   * was taken over by a retry after its lease, a traveler changed meanwhile, the pool timed out
   * before the transaction began, a COMMIT failed), the provider booking has no record here: it
   * is cancelled at the provider (compensation), so the client is not charged for it. Whether
   * the row exists is asked after the failure, so a COMMIT that did land is never compensated.
   */
  async create(userId: string, key: string, dto: CreateBookingDto): Promise<StoredResponse> {
    const claim = await this.idempotency.claim(userId, CREATE_BOOKING_SCOPE, key, fingerprint(dto));
    if (claim.kind === 'replay') return claim.response;
    let booked:
      { prepared: PreparedBooking; result: ProviderBookingResult; reference: string } | undefined;
    try {
      const prepared = await this.prepare(userId, dto);
      const reference = newBookingReference();
      const result = await prepared.provider.book(prepared.request, prepared.quote, {
        reference,
        outcome: dto.providerOptions?.outcome,
      });
      booked = { prepared, result, reference };
      return await this.dataSource.transaction(async (manager) => {
        const booking = await this.write(manager, userId, dto, prepared, reference, result);
        const body = JSON.stringify(await this.load(manager, booking.id, userId));
        await this.idempotency.complete(manager, claim, {
          status: 201,
          body,
          bookingId: booking.id,
        });
        return { status: 201, body, replayed: false };
      });
    } catch (error) {
      if (booked && (await this.unrecorded(booked.reference))) {
        await this.compensate(booked.prepared, booked.result);
      }
      await this.idempotency.release(claim).catch(() => undefined);
      throw error;
    }
  }

  /**
   * True when no booking row carries `reference`; false when one does, or when the database
   * cannot tell (then the provider booking is left alone and logged: cancelling a booking that
   * was recorded would be worse than one to reconcile by hand).
   */
  private async unrecorded(reference: string): Promise<boolean> {
    try {
      return !(await this.dataSource.getRepository(BookingEntity).existsBy({ reference }));
    } catch (error) {
      this.logger.error(
        `Booking ${reference} booked at the provider; whether it was recorded is unknown: ${String(error)}`,
      );
      return false;
    }
  }

  /** Cancels at the provider a booking that was not recorded here; a failure is only logged. */
  private async compensate(
    prepared: PreparedBooking,
    result: ProviderBookingResult,
  ): Promise<void> {
    if (result.status === 'failed' || !result.providerReference) return;
    await prepared.provider
      .cancel({
        providerReference: result.providerReference,
        currency: prepared.quote.currency,
        chargedAmountMinor: prepared.quote.totalAmountMinor,
        travelStartDate: prepared.travelStartDate,
        cancellationPolicy: prepared.quote.cancellationPolicy,
      })
      .catch((error: unknown) => {
        this.logger.error(
          `Compensating cancel of provider booking ${result.providerReference} failed: ${String(error)}`,
        );
      });
  }

  private async prepare(userId: string, dto: CreateBookingDto): Promise<PreparedBooking> {
    const provider = this.providers.get(dto.provider ?? SANDBOX_PROVIDER);
    const parsed = await parseDetails(dto.bookingType, dto.details, dto.travelerIds);
    const { travelStartDate, travelEndDate } = travelWindow(parsed);
    if (travelStartDate < todayUtc()) {
      throw unprocessable('TRAVEL_DATE_IN_PAST', 'The travel date has already passed.', {
        errors: { details: [`travel starts on ${travelStartDate}, before today`] },
      });
    }
    if (dto.savedItemId && !dto.sessionId) {
      throw validationProblem({ sessionId: ['sessionId is required with savedItemId'] });
    }
    if (dto.sessionId) {
      await this.sessions.assertOwned(userId, dto.sessionId);
      if (dto.savedItemId) await this.savedItems.get(userId, dto.sessionId, dto.savedItemId);
    }
    // 404 for a traveler that is not the user's; 422 with reasons for archived travelers and
    // minors without guardian consent.
    const snapshots = await this.travelers.snapshotsForBooking(
      userId,
      dto.travelerIds,
      travelStartDate,
    );
    const documents = await this.documentCheck.validDocumentsOn(
      userId,
      dto.travelerIds,
      travelStartDate,
    );
    if (dto.bookingType === 'flight') {
      const missing = dto.travelerIds
        .map((id, index) => [id, index] as const)
        .filter(([id]) => !documents.get(id));
      if (missing.length > 0) {
        throw unprocessable(
          'TRAVELER_DOCUMENT_REQUIRED',
          'Every traveler on a flight needs a travel document valid on the travel date.',
          {
            errors: Object.fromEntries(
              missing.map(([, index]) => [`travelerIds.${index}`, ['TRAVELER_DOCUMENT_REQUIRED']]),
            ),
          },
        );
      }
    }
    const travelerTypes = snapshots.map((snapshot) => snapshot.travelerType);
    const request: ProviderBookingRequest = {
      bookingType: dto.bookingType,
      currency: dto.currency.toUpperCase(),
      details: dto.details,
      travelerTypes,
      travelStartDate,
      travelEndDate,
      units: this.units(parsed, travelerTypes.length, travelStartDate, travelEndDate),
    };
    const quote = await provider.quote(request);
    return {
      parsed,
      travelStartDate,
      travelEndDate,
      snapshots,
      documents: new Map(dto.travelerIds.map((id) => [id, documents.get(id) ?? null])),
      provider,
      request,
      quote,
    };
  }

  private units(parsed: ParsedDetails, travelers: number, start: string, end: string): number {
    if (parsed.bookingType === 'hotel')
      return daysBetween(start, end) * (parsed.details.roomCount ?? 1);
    return travelers;
  }

  private async write(
    manager: EntityManager,
    userId: string,
    dto: CreateBookingDto,
    prepared: PreparedBooking,
    reference: string,
    result: ProviderBookingResult,
  ): Promise<BookingEntity> {
    // Re-read the travelers inside the transaction: archived or changed since the check → refused.
    const snapshots = await this.travelers.snapshotsForBooking(
      userId,
      dto.travelerIds,
      prepared.travelStartDate,
      manager,
    );
    const { quote } = prepared;
    let status: BookingStatus = 'pending';
    let payment: PaymentStatus = 'pending';
    if (result.status === 'confirmed') {
      status = moveBooking(status, 'confirmed');
      payment = walkPayment(payment, 'processing', 'paid');
    } else if (result.status === 'failed') {
      status = moveBooking(status, 'failed');
      payment = walkPayment(payment, 'processing', 'failed');
    } else {
      payment = walkPayment(payment, 'processing');
    }
    const now = new Date();
    const booking = await manager.getRepository(BookingEntity).save(
      manager.getRepository(BookingEntity).create({
        userId,
        reference,
        bookingType: dto.bookingType,
        status,
        paymentStatus: payment,
        provider: prepared.provider.name,
        providerReference: result.providerReference,
        confirmationCode: result.confirmationCode,
        currency: quote.currency,
        totalAmountMinor: quote.totalAmountMinor,
        baseAmountMinor: quote.baseAmountMinor,
        taxesAmountMinor: quote.taxesAmountMinor,
        feesAmountMinor: quote.feesAmountMinor,
        travelStartDate: prepared.travelStartDate,
        travelEndDate: prepared.travelEndDate,
        cancellationPolicy: quote.cancellationPolicy,
        providerResponse: result.raw,
        sessionId: dto.sessionId ?? null,
        savedItemId: dto.savedItemId ?? null,
        bookedAt: result.status === 'confirmed' ? now : null,
      }),
    );
    await this.writeDetails(manager, booking.id, prepared.parsed, snapshots, prepared);
    await manager.getRepository(BookingTravelerEntity).insert(
      snapshots.map((snapshot, position) => ({
        bookingId: booking.id,
        travelerId: snapshot.travelerId,
        position,
        isPrimary: position === 0,
        fullName: snapshot.fullName,
        dateOfBirth: snapshot.dateOfBirth,
        travelerType: snapshot.travelerType,
        documentSnapshot: prepared.documents.get(snapshot.travelerId) ?? null,
      })),
    );
    if (result.status === 'confirmed') {
      await manager.getRepository(BookingLedgerEntryEntity).insert({
        bookingId: booking.id,
        kind: 'charge',
        amountMinor: quote.totalAmountMinor,
        currency: quote.currency,
        description: `Charge for booking ${reference}`,
        providerReference: result.paymentReference,
      });
    }
    if (dto.sessionId) {
      await manager
        .getRepository(SessionBookingEntity)
        .insert({ sessionId: dto.sessionId, bookingId: booking.id });
    }
    return booking;
  }

  private async writeDetails(
    manager: EntityManager,
    bookingId: string,
    parsed: ParsedDetails,
    snapshots: TravelerSnapshot[],
    prepared: PreparedBooking,
  ): Promise<void> {
    const count = (type: string): number =>
      snapshots.filter((snapshot) => snapshot.travelerType === type).length;
    switch (parsed.bookingType) {
      case 'flight': {
        const { details } = parsed;
        const first = details.segments[0];
        const last = details.segments.at(-1);
        if (!first || !last) throw validationProblem({ 'details.segments': ['required'] });
        const departureAt = new Date(first.departureAt);
        const arrivalAt = new Date(last.arrivalAt);
        await manager.getRepository(FlightBookingEntity).insert({
          bookingId,
          airlineCode: first.airlineCode,
          flightNumber: first.flightNumber,
          originAirport: first.originAirport,
          destinationAirport: last.destinationAirport,
          departureAt,
          arrivalAt,
          cabinClass: details.cabinClass,
          totalDurationMinutes: Math.round((arrivalAt.getTime() - departureAt.getTime()) / 60_000),
          isRoundTrip: details.isRoundTrip ?? false,
          passengerCount: snapshots.length,
          infantCount: count('infant'),
          segments: details.segments.map((segment) => ({ ...segment })),
          seatAssignments: (details.seatAssignments ?? []).map((seat) => ({ ...seat })),
          baggageAllowance: details.baggageAllowance ? { ...details.baggageAllowance } : null,
        });
        return;
      }
      case 'hotel': {
        const { details } = parsed;
        const nights = daysBetween(details.checkInDate, details.checkOutDate);
        const rooms = details.roomCount ?? 1;
        await manager.getRepository(HotelBookingEntity).insert({
          bookingId,
          hotelId: details.hotelId,
          hotelName: details.hotelName,
          hotelChain: details.hotelChain ?? null,
          hotelRating: details.hotelRating ?? null,
          address: details.address ?? null,
          city: details.city,
          country: details.country.toUpperCase(),
          checkInDate: details.checkInDate,
          checkOutDate: details.checkOutDate,
          nightsCount: nights,
          roomType: details.roomType,
          roomCount: rooms,
          guestCount: snapshots.length,
          adultCount: count('adult') + count('senior'),
          childCount: count('child') + count('infant'),
          mealPlan: details.mealPlan ?? null,
          isRefundable: prepared.quote.cancellationPolicy.refundable,
          roomRatePerNightMinor:
            nights * rooms > 0
              ? Math.trunc(prepared.quote.baseAmountMinor / (nights * rooms))
              : null,
          specialRequests: details.specialRequests ?? null,
        });
        return;
      }
      case 'activity': {
        const { details } = parsed;
        await manager.getRepository(ActivityBookingEntity).insert({
          bookingId,
          activityId: details.activityId,
          activityName: details.activityName,
          activityType: details.activityType,
          locationName: details.locationName ?? null,
          city: details.city,
          country: details.country.toUpperCase(),
          activityDate: details.activityDate,
          startTime: details.startTime ?? null,
          durationMinutes: details.durationMinutes ?? null,
          participantCount: snapshots.length,
          adultCount: count('adult'),
          childCount: count('child') + count('infant'),
          seniorCount: count('senior'),
          meetingPoint: details.meetingPoint ?? null,
          language: details.language ?? null,
        });
        return;
      }
    }
  }

  // ---- reads ----

  async list(userId: string, query: ListBookingsQueryDto): Promise<Page<BookingSummaryDto>> {
    const builder = this.bookings().where('booking.user_id = :userId', { userId });
    if (query.status) builder.andWhere('booking.status = :status', { status: query.status });
    if (query.type) builder.andWhere('booking.booking_type = :type', { type: query.type });
    if (query.from) builder.andWhere('booking.travel_start_date >= :from', { from: query.from });
    if (query.to) builder.andWhere('booking.travel_start_date <= :to', { to: query.to });
    return this.page(builder, query);
  }

  async get(userId: string, bookingId: string): Promise<BookingResponseDto> {
    return this.load(this.dataSource.manager, bookingId, userId);
  }

  async ledger(userId: string, bookingId: string, query: LedgerQueryDto): Promise<LedgerPageDto> {
    const booking = await this.findOwned(this.dataSource.manager, bookingId, userId);
    const page = await keysetPage(
      this.dataSource
        .getRepository(BookingLedgerEntryEntity)
        .createQueryBuilder('entry')
        .where('entry.booking_id = :bookingId', { bookingId }),
      { alias: 'entry', limit: query.limit, cursor: query.cursor },
    );
    const totals = await this.totals(this.dataSource.manager, booking);
    return { ...mapPage(page, toLedgerEntryDto), totals };
  }

  /** GET /travelers/:id/bookings: the traveler must be the user's (else 404). */
  async listForTraveler(
    userId: string,
    travelerId: string,
    query: ListBookingsQueryDto,
  ): Promise<Page<BookingSummaryDto>> {
    await this.travelers.findOwned(userId, travelerId);
    const builder = this.bookings()
      .where('booking.user_id = :userId', { userId })
      .andWhere(
        'EXISTS (SELECT 1 FROM "booking_travelers" bt WHERE bt.booking_id = booking.id AND bt.traveler_id = :travelerId)',
        { travelerId },
      );
    return this.page(builder, query);
  }

  /** GET /sessions/:id/bookings: the session must be the user's (else 404). */
  async listForSession(
    userId: string,
    sessionId: string,
    query: ListBookingsQueryDto,
  ): Promise<Page<BookingSummaryDto>> {
    await this.sessions.assertOwned(userId, sessionId);
    const builder = this.bookings()
      .where('booking.user_id = :userId', { userId })
      .andWhere(
        'EXISTS (SELECT 1 FROM "unified_session_bookings" usb WHERE usb.booking_id = booking.id AND usb.session_id = :sessionId)',
        { sessionId },
      );
    return this.page(builder, query);
  }

  // ---- cancellation ----

  async quoteCancellation(userId: string, bookingId: string): Promise<CancellationQuoteDto> {
    const booking = await this.findOwned(this.dataSource.manager, bookingId, userId);
    moveBooking(booking.status, 'cancelled');
    const sums = await this.sums(this.dataSource.manager, booking.id);
    const terms = await this.providers.get(booking.provider).cancelQuote(
      {
        providerReference: booking.providerReference,
        currency: booking.currency,
        chargedAmountMinor: sums.charge - sums.refund,
        travelStartDate: booking.travelStartDate,
        cancellationPolicy: booking.cancellationPolicy,
      },
      new Date(),
    );
    const quote = await this.dataSource.getRepository(CancellationQuoteEntity).save({
      bookingId: booking.id,
      bookingVersion: booking.version,
      refundAmountMinor: terms.refundAmountMinor,
      penaltyAmountMinor: terms.penaltyAmountMinor,
      currency: booking.currency,
      expiresAt: new Date(Date.now() + CANCELLATION_QUOTE_TTL_MS),
    });
    return {
      quoteId: quote.id,
      bookingId: booking.id,
      refund: { amountMinor: quote.refundAmountMinor, currency: quote.currency },
      penalty: { amountMinor: quote.penaltyAmountMinor, currency: quote.currency },
      expiresAt: quote.expiresAt.toISOString(),
    };
  }

  /**
   * Confirms a cancellation with a quote, in three steps so that no transaction stays open
   * across the provider call (a slow provider would hold the booking's row lock and a pooled
   * connection for as long as it takes):
   * 1. claim — booking row locked: the quote must be this booking's, unused, unexpired and made
   *    on the current version, and no other cancellation may be in progress (else 409); the quote
   *    is marked used (the recorded intent) and the transaction commits;
   * 2. the provider cancels, outside any transaction; if it fails, the claim is released;
   * 3. record — booking row locked again: the ledger gets the refund and the penalty (which add
   *    up to what was charged), the booking its new state. Of concurrent cancels only the claim
   *    holder gets here, so the provider cancels once and the ledger refunds once.
   *
   * If step 3 fails after the provider cancelled, the client gets 409 CANCELLATION_IN_PROGRESS
   * (never a 5xx) and the claim is aged past its lease, so a retry with the same quote settles it
   * at once through reconciliation (the provider is asked; the cancellation recorded, or the
   * quote freed and used) and answers 200 with the booking. Once a cancellation is recorded, any
   * further cancel is 409 ILLEGAL_BOOKING_TRANSITION (cancel twice). Without a retry, the
   * scheduled reconciliation settles it.
   */
  async cancel(
    userId: string,
    bookingId: string,
    quoteId: string,
    expectedVersion?: number,
  ): Promise<BookingResponseDto> {
    let outcome = await this.claimCancellation(userId, bookingId, quoteId, expectedVersion, false);
    if (outcome.kind === 'stale') {
      await this.reconciler.reconcile({ bookingId });
      outcome = await this.claimCancellation(userId, bookingId, quoteId, expectedVersion, true);
    }
    if (outcome.kind === 'recorded') return this.load(this.dataSource.manager, bookingId, userId);
    if (outcome.kind === 'stale') throw this.cancellationInProgress();
    const claim = outcome;
    let result: ProviderCancellationResult;
    try {
      result = await this.providers.get(claim.booking.provider).cancel({
        providerReference: claim.booking.providerReference,
        currency: claim.booking.currency,
        chargedAmountMinor: claim.quote.refundAmountMinor + claim.quote.penaltyAmountMinor,
        travelStartDate: claim.booking.travelStartDate,
        cancellationPolicy: claim.booking.cancellationPolicy,
      });
    } catch (error) {
      if (error instanceof ProblemException) {
        // The provider refused: nothing was cancelled; free the quote so the client may retry.
        await this.dataSource
          .getRepository(CancellationQuoteEntity)
          .update({ id: quoteId, usedAt: claim.claimedAt }, { usedAt: null })
          .catch(() => undefined);
        throw error;
      }
      // No answer (timeout, connection lost): the provider may have cancelled and refunded. Only
      // its status can tell, so the claim is settled like a failed record (below).
      this.logger.error(`Provider cancel of booking ${bookingId} gave no answer: ${String(error)}`);
      await this.ageClaim(quoteId, claim);
      throw this.cancellationInProgress();
    }
    try {
      return await this.recordCancellation(userId, claim, result);
    } catch (error) {
      if (error instanceof ProblemException) throw error;
      // The provider cancelled and our record failed (database blip). Age the claim past its
      // lease so a retry or the next reconciliation settles it now rather than in 5 minutes.
      this.logger.error(`Recording cancellation of booking ${bookingId} failed: ${String(error)}`);
      await this.ageClaim(quoteId, claim);
      throw this.cancellationInProgress();
    }
  }

  /**
   * Ages an unrecorded claim past its lease, so a retry with the quote or the next scheduled
   * reconciliation settles it from the provider's status now rather than in 5 minutes.
   */
  private async ageClaim(quoteId: string, claim: CancellationClaim): Promise<void> {
    await this.dataSource
      .getRepository(CancellationQuoteEntity)
      .update(
        { id: quoteId, usedAt: claim.claimedAt, recordedAt: IsNull() },
        { usedAt: new Date(claim.claimedAt.getTime() - CANCELLATION_CLAIM_LEASE_MS) },
      )
      .catch(() => undefined);
  }

  private cancellationInProgress(): ProblemException {
    return conflict(
      'CANCELLATION_IN_PROGRESS',
      'A cancellation of this booking is being processed; retry shortly.',
      { headers: { 'Retry-After': '1' } },
    );
  }

  private async claimCancellation(
    userId: string,
    bookingId: string,
    quoteId: string,
    expectedVersion: number | undefined,
    settledNow: boolean,
  ): Promise<ClaimOutcome> {
    return this.dataSource.transaction(async (manager): Promise<ClaimOutcome> => {
      const booking = await this.lockOwned(manager, bookingId, userId);
      const quotes = manager.getRepository(CancellationQuoteEntity);
      const quote = await quotes.findOneBy({ id: quoteId, bookingId });
      if (!quote) throw notFound('CANCELLATION_QUOTE_NOT_FOUND', 'No such quote for this booking.');
      // Settled by the reconciliation this retry just ran: the retry's cancel took effect. A quote
      // recorded before this request is a second cancel: 409 below (the booking is cancelled).
      if (settledNow && quote.recordedAt) return { kind: 'recorded' };
      if (expectedVersion !== undefined && expectedVersion !== booking.version) {
        throw preconditionFailed(booking.version);
      }
      moveBooking(booking.status, 'cancelled');
      if (quote.usedAt) {
        // This quote's cancel is running (409, retry) or never recorded (settle, then answer).
        if (quote.usedAt > claimLeaseCutoff()) {
          throw this.cancellationInProgress();
        }
        return { kind: 'stale' };
      }
      if (quote.expiresAt.getTime() <= Date.now()) {
        throw conflict('CANCELLATION_QUOTE_EXPIRED', 'This quote has expired; ask for a new one.');
      }
      if (quote.bookingVersion !== booking.version) {
        throw conflict(
          'CANCELLATION_QUOTE_STALE',
          'The booking changed since this quote was made; ask for a new one.',
        );
      }
      // Another quote claimed and not recorded yet: its provider call is running. A claim older
      // than the lease is a crashed request and no longer blocks (step 3 re-checks the state).
      if (await cancellationRunning(manager, bookingId)) throw this.cancellationInProgress();
      const sums = await this.sums(manager, booking.id);
      if (quote.refundAmountMinor + quote.penaltyAmountMinor !== sums.charge - sums.refund) {
        throw conflict(
          'CANCELLATION_QUOTE_STALE',
          'The amounts changed since this quote was made.',
        );
      }
      const claimedAt = new Date();
      await quotes.update({ id: quote.id }, { usedAt: claimedAt });
      return { kind: 'claimed', booking, quote, claimedAt };
    });
  }

  private async recordCancellation(
    userId: string,
    claim: CancellationClaim,
    result: ProviderCancellationResult,
  ): Promise<BookingResponseDto> {
    const { quote } = claim;
    return this.dataSource.transaction(async (manager) => {
      const booking = await this.lockOwned(manager, claim.booking.id, userId);
      // Only a booking still as claimed is recorded (a crashed claim taken over is not twice).
      if (booking.version !== quote.bookingVersion) {
        throw conflict(
          'CANCELLATION_QUOTE_STALE',
          'The booking changed while it was being cancelled.',
        );
      }
      await writeCancellation(manager, booking, quote, result);
      return this.load(manager, booking.id, userId);
    });
  }

  /** The caller's booking, row-locked for the rest of the transaction; 404 when not theirs. */
  private async lockOwned(
    manager: EntityManager,
    bookingId: string,
    userId: string,
  ): Promise<BookingEntity> {
    const booking = await manager
      .getRepository(BookingEntity)
      .createQueryBuilder('booking')
      .setLock('pessimistic_write')
      .where('booking.id = :bookingId AND booking.user_id = :userId', { bookingId, userId })
      .getOne();
    if (!booking) throw bookingNotFound();
    return booking;
  }

  // ---- support desk (admin) ----

  async adminList(
    actor: AuthenticatedUser,
    query: AdminListBookingsQueryDto,
    requestId: string | null,
  ): Promise<Page<AdminBookingSummaryDto>> {
    const builder = this.bookings();
    if (query.userId) builder.andWhere('booking.user_id = :userId', { userId: query.userId });
    if (query.status) builder.andWhere('booking.status = :status', { status: query.status });
    const page = await keysetPage(builder, {
      alias: 'booking',
      limit: query.limit,
      cursor: query.cursor,
    });
    await this.audit.record({
      actorId: actor.id,
      actorRoles: actor.roles,
      action: 'booking.list',
      subjectId: query.userId ?? null,
      resourceType: 'booking',
      resourceId: null,
      requestId,
    });
    return mapPage(page, (booking) => ({ ...toBookingSummary(booking), userId: booking.userId }));
  }

  async adminGet(
    actor: AuthenticatedUser,
    bookingId: string,
    requestId: string | null,
  ): Promise<AdminBookingResponseDto> {
    return this.dataSource.transaction(async (manager) => {
      const booking = await manager.getRepository(BookingEntity).findOneBy({ id: bookingId });
      if (!booking) throw notFound('BOOKING_NOT_FOUND', 'No such booking.');
      const dto = await this.load(manager, booking.id, booking.userId);
      await this.audit.record(
        {
          actorId: actor.id,
          actorRoles: actor.roles,
          action: 'booking.read',
          subjectId: booking.userId,
          resourceType: 'booking',
          resourceId: booking.id,
          requestId,
        },
        manager,
      );
      return { ...dto, userId: booking.userId, providerResponse: booking.providerResponse };
    });
  }

  // ---- helpers ----

  private bookings(): SelectQueryBuilder<BookingEntity> {
    return this.dataSource.getRepository(BookingEntity).createQueryBuilder('booking');
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

  private async findOwned(
    manager: EntityManager,
    bookingId: string,
    userId: string,
  ): Promise<BookingEntity> {
    const booking = await manager.getRepository(BookingEntity).findOneBy({ id: bookingId, userId });
    if (!booking) throw bookingNotFound();
    return booking;
  }

  private async load(
    manager: EntityManager,
    bookingId: string,
    userId: string,
  ): Promise<BookingResponseDto> {
    const booking = await this.findOwned(manager, bookingId, userId);
    const detailsEntity = {
      flight: FlightBookingEntity,
      hotel: HotelBookingEntity,
      activity: ActivityBookingEntity,
    }[booking.bookingType];
    const details = (await manager
      .getRepository(detailsEntity)
      .findOneBy({ bookingId })) as BookingDetailsEntity | null;
    const travelers = await manager
      .getRepository(BookingTravelerEntity)
      .find({ where: { bookingId }, order: { position: 'ASC' } });
    return toBookingDto(booking, details, travelers, await this.totals(manager, booking));
  }

  private async sums(manager: EntityManager, bookingId: string): Promise<LedgerSums> {
    const rows = (await manager.query(
      `SELECT "kind", sum("amount_minor")::text AS "total" FROM "booking_ledger" WHERE "booking_id" = $1 GROUP BY "kind"`,
      [bookingId],
    )) as { kind: keyof LedgerSums; total: string }[];
    const sums: LedgerSums = { charge: 0, refund: 0, penalty: 0 };
    for (const row of rows) {
      const value = Number(row.total);
      if (!Number.isSafeInteger(value)) throw new RangeError(`Ledger sum ${row.total} too large`);
      sums[row.kind] = value;
    }
    return sums;
  }

  private async totals(manager: EntityManager, booking: BookingEntity): Promise<LedgerTotalsDto> {
    return ledgerTotals(await this.sums(manager, booking.id), booking.currency);
  }
}
