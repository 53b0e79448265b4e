import { Inject, Injectable, Logger } from '@nestjs/common';
import { registerConstraint } from '#libs/common/errors/constraint-codes.js';
import { unprocessable } from '#libs/common/errors/problem.exception.js';
import { validationProblem } from '#libs/common/http/validation.js';
import { SavedItemsService } from '#modules/sessions/saved-items.service.js';
import { SessionsService } from '#modules/sessions/sessions.service.js';
import {
  TRAVEL_DOCUMENT_CHECK,
  type TravelDocumentCheck,
} from '#modules/travelers/travel-document-check.js';
import { todayUtc } from '#libs/common/time/calendar-date.js';
import { TravelersService } from '#modules/travelers/travelers.service.js';
import { BookingProviderRegistry } from '../booking-provider.registry.js';
import { newBookingReference } from '../booking-reference.js';
import { parseDetails, type ParsedDetails, travelWindow } from '../booking-request.js';
import { BookingsRepository } from '../bookings.repository.js';
import { daysBetween } from '../calendar-date.js';
import { fingerprint } from '../canonical-json.js';
import type { CreateBookingDto, ResolvedCreateBooking } from '../dto/create-booking.dto.js';
import { UQ_BOOKING_REFERENCE } from '../entities/booking.entity.js';
import type {
  ProviderBookingRequest,
  ProviderBookingResult,
} from '../providers/booking-provider.js';
import { SANDBOX_PROVIDER } from '../providers/sandbox.provider.js';
import { bookingView } from '../queries/booking-view.js';
import { BookingWriter } from './booking-writer.js';
import { IdempotencyService, type StoredResponse } from './idempotency.service.js';
import type { PreparedBooking } from './prepared-booking.js';

registerConstraint(
  UQ_BOOKING_REFERENCE,
  409,
  'BOOKING_REFERENCE_TAKEN',
  'Booking reference collision; retry the request.',
);

export const CREATE_BOOKING_SCOPE = 'POST /bookings';

/**
 * Creating a booking: idempotency claim, checks and price, the provider call, then one
 * transaction (`BookingWriter`) that records it with the stored answer.
 */
@Injectable()
export class BookingCreationService {
  private readonly logger = new Logger(BookingCreationService.name);

  constructor(
    private readonly bookings: BookingsRepository,
    private readonly writer: BookingWriter,
    private readonly travelers: TravelersService,
    private readonly sessions: SessionsService,
    private readonly savedItems: SavedItemsService,
    private readonly providers: BookingProviderRegistry,
    private readonly idempotency: IdempotencyService,
    @Inject(TRAVEL_DOCUMENT_CHECK) private readonly documentCheck: TravelDocumentCheck,
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
      const request = await this.resolveTravelers(userId, dto);
      const prepared = await this.prepare(userId, request);
      const reference = newBookingReference();
      const result = await prepared.provider.book(prepared.request, prepared.quote, {
        reference,
        outcome: dto.providerOptions?.outcome,
        resolveTo: dto.providerOptions?.resolveTo,
        resolveAfterSeconds: dto.providerOptions?.resolveAfterSeconds,
      });
      booked = { prepared, result, reference };
      return await this.bookings.transaction(async (bookings, manager) => {
        const booking = await this.writer.write(
          { bookings, manager },
          { userId, dto: request, prepared, reference, result },
        );
        const view = await bookingView(bookings, booking.id, userId);
        const body = JSON.stringify(view);
        await this.idempotency.complete(manager, claim, {
          status: 201,
          body,
          bookingId: booking.id,
        });
        return { status: 201, body, version: view.version, replayed: false };
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
      return !(await this.bookings.existsWithReference(reference));
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

  /** Exactly one of travelerIds / travelerGroupId; a group becomes its active members' ids. */
  private async resolveTravelers(
    userId: string,
    dto: CreateBookingDto,
  ): Promise<ResolvedCreateBooking> {
    if (dto.travelerGroupId === undefined) {
      return { ...dto, travelerIds: dto.travelerIds ?? [] };
    }
    if (dto.travelerIds !== undefined) {
      throw validationProblem({
        travelerGroupId: ['send either travelerIds or travelerGroupId, not both'],
      });
    }
    const travelerIds = await this.travelers.travelerIdsOfGroup(userId, dto.travelerGroupId);
    if (travelerIds.length > 9) {
      throw validationProblem({
        travelerGroupId: [
          'a booking takes at most 9 travelers; this group has more active members',
        ],
      });
    }
    return { ...dto, travelerIds };
  }

  /** A traveler with a visa for the destination needs one valid on the travel dates. */
  private async assertVisasValid(
    userId: string,
    travelerIds: readonly string[],
    country: string,
    window: { travelStartDate: string; travelEndDate: string },
  ): Promise<void> {
    const invalid = await this.documentCheck.travelersWithoutValidVisa(
      userId,
      travelerIds,
      country.toUpperCase(),
      window.travelStartDate,
      window.travelEndDate,
    );
    if (invalid.length === 0) return;
    throw unprocessable(
      'VISA_NOT_VALID',
      `A traveler's visa for ${country.toUpperCase()} is not valid on the travel dates.`,
      {
        errors: Object.fromEntries(
          invalid.map((id) => [`travelerIds.${travelerIds.indexOf(id)}`, ['VISA_NOT_VALID']]),
        ),
      },
    );
  }

  private async prepare(userId: string, dto: ResolvedCreateBooking): Promise<PreparedBooking> {
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
    // Providers and fares need every traveler's age: a traveler without a birth date cannot be
    // booked (the snapshot would freeze the gap into the booking).
    const undated = snapshots
      .map((snapshot, index) => [snapshot, index] as const)
      .filter(([snapshot]) => !snapshot.dateOfBirth);
    if (undated.length > 0) {
      throw unprocessable(
        'TRAVELER_BIRTH_DATE_REQUIRED',
        'Every traveler on a booking needs a date of birth; add it to the traveler first.',
        {
          errors: Object.fromEntries(
            undated.map(([, index]) => [`travelerIds.${index}`, ['TRAVELER_BIRTH_DATE_REQUIRED']]),
          ),
        },
      );
    }
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
    if (parsed.bookingType === 'flight' && parsed.details.destinationCountry) {
      await this.assertVisasValid(userId, dto.travelerIds, parsed.details.destinationCountry, {
        travelStartDate,
        travelEndDate,
      });
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
}
