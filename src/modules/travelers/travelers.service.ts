import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import {
  CONSENT_RECORDER,
  GUARDIAN_CONSENTS,
  type ConsentRecorder,
  type GuardianConsents,
} from '#libs/common/compliance-ports.js';
import type { ConsentDecision } from '#libs/common/auth/consent-decider.js';
import { registerConstraint } from '#libs/common/errors/constraint-codes.js';
import {
  notFound,
  ProblemException,
  unprocessable,
} from '#libs/common/errors/problem.exception.js';
import { preconditionFailed } from '#libs/common/http/version-etag.js';
import { validationProblem } from '#libs/common/http/validation.js';
import type { RequestOrigin } from '#libs/common/http/request-origin.js';
import { keysetPage, mapPage, type Page } from '#libs/common/pagination/pagination.js';
import type {
  PutTravelerPreferencesDto,
  TravelerPreferencesResponseDto,
} from './dto/traveler-preferences.dto.js';
import type {
  BookabilityDto,
  CreateTravelerDto,
  GuardianConsentDto,
  GuardianConsentResponseDto,
  ListTravelersQueryDto,
  TravelerResponseDto,
  UpdateTravelerDto,
} from './dto/traveler.dto.js';
import { isBookableMember, travelerGroupNotFound } from './groups/traveler-groups.service.js';
import { TravelerGroupsRepository } from './groups/traveler-groups.repository.js';
import { todayUtc } from '#libs/common/time/calendar-date.js';
import { isMinorOn, travelerTypeOn, type TravelerType } from './traveler-type.js';
import { TravelerEntity } from './traveler.entity.js';
import { fullNameOf, toPreferencesDto, toTravelerDto } from './travelers.mappers.js';
import { TravelersRepository } from './travelers.repository.js';

registerConstraint(
  'uq_travelers_user_id_primary',
  409,
  'PRIMARY_TRAVELER_EXISTS',
  'Another traveler is already the primary traveler of this account.',
);

/** Guardian consent covers the processing of a minor's data for bookings. */
export const GUARDIAN_CONSENT_PURPOSE = 'travel_booking';

/** What a booking keeps about a traveler at booking time (later edits do not change it). */
export interface TravelerSnapshot {
  travelerId: string;
  fullName: string;
  dateOfBirth: string | null;
  travelerType: TravelerType;
}

export type BookabilityReason =
  'TRAVELER_ARCHIVED' | 'TRAVELER_INACTIVE' | 'GUARDIAN_CONSENT_REQUIRED';

const travelerNotFound = (): ProblemException =>
  notFound('TRAVELER_NOT_FOUND', 'No such traveler on your account.');

/**
 * The people a user travels with: the rules (archived, versions, bookability, guardian consent);
 * TravelersRepository holds the SQL and the owner filter (another user's traveler is simply not
 * found). Exported for bookings (bookability and snapshots).
 */
@Injectable()
export class TravelersService {
  constructor(
    private readonly travelers: TravelersRepository,
    @Inject(GUARDIAN_CONSENTS) private readonly guardianConsents: GuardianConsents,
    @Inject(CONSENT_RECORDER) private readonly recorder: ConsentRecorder,
    private readonly groups: TravelerGroupsRepository,
  ) {}

  async create(userId: string, dto: CreateTravelerDto): Promise<TravelerResponseDto> {
    const id = await this.travelers.insert(userId, dto);
    return toTravelerDto(await this.findOwned(userId, id));
  }

  async list(userId: string, query: ListTravelersQueryDto): Promise<Page<TravelerResponseDto>> {
    const page = await keysetPage(this.travelers.listQuery(userId, query.status), {
      alias: 'traveler',
      limit: query.limit,
      cursor: query.cursor,
    });
    const today = todayUtc();
    return mapPage(page, (traveler) => toTravelerDto(traveler, today));
  }

  async get(userId: string, travelerId: string): Promise<TravelerResponseDto> {
    return toTravelerDto(await this.findOwned(userId, travelerId));
  }

  /** Partial update. An archived traveler can only be restored (`{status: 'active'}`). */
  async update(
    userId: string,
    travelerId: string,
    dto: UpdateTravelerDto,
    expectedVersion?: number,
  ): Promise<TravelerResponseDto> {
    // PartialType makes every field optional, null included; names cannot be cleared.
    const cleared = (['firstName', 'lastName'] as const).filter((field) => dto[field] === null);
    if (cleared.length > 0) {
      throw validationProblem(
        Object.fromEntries(cleared.map((field) => [field, [`${field} cannot be null`]])),
      );
    }
    const current = await this.findOwned(userId, travelerId);
    if (expectedVersion !== undefined && expectedVersion !== current.version) {
      throw preconditionFailed(current.version);
    }
    if (current.status === 'archived') {
      const keys = Object.keys(dto);
      if (!(keys.length === 1 && dto.status === 'active')) {
        throw new ProblemException(
          409,
          'TRAVELER_ARCHIVED',
          'This traveler is archived; restore it with {"status":"active"} before editing.',
        );
      }
    }
    if (!(await this.travelers.updateIfVersion(userId, travelerId, current.version, dto))) {
      // Someone else updated it between our read and write.
      throw preconditionFailed((await this.findOwned(userId, travelerId)).version);
    }
    return this.get(userId, travelerId);
  }

  /** DELETE archives (kept for booking history); archiving twice is fine. */
  async archive(userId: string, travelerId: string): Promise<void> {
    await this.findOwned(userId, travelerId);
    await this.travelers.archive(userId, travelerId);
  }

  async getPreferences(
    userId: string,
    travelerId: string,
  ): Promise<TravelerPreferencesResponseDto> {
    await this.findOwned(userId, travelerId);
    return toPreferencesDto(travelerId, await this.travelers.findPreferences(travelerId));
  }

  async putPreferences(
    userId: string,
    travelerId: string,
    dto: PutTravelerPreferencesDto,
  ): Promise<TravelerPreferencesResponseDto> {
    const traveler = await this.findOwned(userId, travelerId);
    this.assertEditable(traveler);
    // PUT replaces: every field not sent returns to its default.
    const preferences = await this.travelers.replacePreferences(travelerId, {
      cabinClass: dto.cabinClass ?? null,
      seatType: dto.seatType ?? null,
      seatLocation: dto.seatLocation ?? null,
      extraLegroom: dto.extraLegroom ?? false,
      mealPreference: dto.mealPreference ?? null,
      foodAllergies: dto.foodAllergies ?? [],
      wheelchairAssistance: dto.wheelchairAssistance ?? false,
      visualAssistance: dto.visualAssistance ?? false,
      hearingAssistance: dto.hearingAssistance ?? false,
      specialAssistanceNotes: dto.specialAssistanceNotes ?? null,
      preferredLanguage: dto.preferredLanguage ?? null,
      activityInterests: dto.activityInterests ?? [],
    });
    return toPreferencesDto(travelerId, preferences);
  }

  /** Records a guardian's grant or withdrawal in the consent ledger (the user is the actor). */
  async recordGuardianConsent(
    userId: string,
    travelerId: string,
    dto: GuardianConsentDto,
    origin: RequestOrigin,
  ): Promise<GuardianConsentResponseDto> {
    const traveler = await this.findOwned(userId, travelerId);
    this.assertEditable(traveler);
    const today = todayUtc();
    if (!isMinorOn(traveler.dateOfBirth, today)) {
      throw unprocessable(
        'GUARDIAN_CONSENT_NOT_APPLICABLE',
        'Guardian consent is only needed for travelers under 18 (set their birth date first).',
      );
    }
    const { currentVersion } = await this.guardianConsents.decide(
      userId,
      travelerId,
      GUARDIAN_CONSENT_PURPOSE,
    );
    if (currentVersion === null) {
      throw new ProblemException(503, 'CONSENT_NOTICE_MISSING', 'No consent notice is published.');
    }
    await this.travelers.transaction(async (travelers, manager) => {
      await this.recorder.record(
        {
          subjectId: userId,
          travelerId,
          purpose: GUARDIAN_CONSENT_PURPOSE,
          version: currentVersion,
          granted: dto.granted,
          source: 'guardian',
          ip: origin.ip,
          userAgent: origin.userAgent,
        },
        manager,
      );
      await travelers.setGuardian(userId, travelerId, dto.guardianName, dto.relationship);
    });
    const bookability = await this.bookability(userId, travelerId, today);
    return { travelerId, granted: dto.granted, noticeVersion: currentVersion, ...bookability };
  }

  /** Whether this traveler can be put on a booking for travel on `travelDate`, and why not. */
  async bookability(
    userId: string,
    travelerId: string,
    travelDate = todayUtc(),
  ): Promise<BookabilityDto> {
    const traveler = await this.findOwned(userId, travelerId);
    const reasons = await this.reasonsNotBookable(userId, traveler, travelDate);
    return {
      canBeBooked: reasons.length === 0,
      reasons,
      travelerType: travelerTypeOn(traveler.dateOfBirth, travelDate),
      travelDate,
    };
  }

  /**
   * For bookings: every traveler must be the user's (else 404), and bookable on the travel date
   * (else 422 TRAVELER_NOT_BOOKABLE listing the reasons per traveler). Returns the snapshots a
   * booking keeps. Pass the booking transaction's manager to read consistently.
   */
  async snapshotsForBooking(
    userId: string,
    travelerIds: readonly string[],
    travelDate: string,
    manager?: EntityManager,
  ): Promise<TravelerSnapshot[]> {
    const unique = [...new Set(travelerIds)];
    const repository = manager ? this.travelers.withManager(manager) : this.travelers;
    const travelers = await repository.findManyOwned(userId, unique);
    if (travelers.length !== unique.length) throw travelerNotFound();
    // Every minor's guardian consent in one query, on the caller's (transaction's) connection.
    const minors = travelers.filter((traveler) => isMinorOn(traveler.dateOfBirth, travelDate));
    const consents =
      minors.length > 0
        ? await this.guardianConsents.decideMany(
            userId,
            minors.map((traveler) => traveler.id),
            GUARDIAN_CONSENT_PURPOSE,
            manager,
          )
        : new Map<string, ConsentDecision>();
    const problems: Record<string, string[]> = {};
    for (const traveler of travelers) {
      const reasons = await this.reasonsNotBookable(userId, traveler, travelDate, consents);
      if (reasons.length > 0) problems[`travelerIds.${unique.indexOf(traveler.id)}`] = reasons;
    }
    if (Object.keys(problems).length > 0) {
      throw unprocessable('TRAVELER_NOT_BOOKABLE', 'Some travelers cannot be booked.', {
        errors: problems,
      });
    }
    const byId = new Map(travelers.map((traveler) => [traveler.id, traveler]));
    return unique.map((id) => {
      const traveler = byId.get(id) as TravelerEntity;
      return {
        travelerId: id,
        fullName: fullNameOf(traveler),
        dateOfBirth: traveler.dateOfBirth,
        travelerType: travelerTypeOn(traveler.dateOfBirth, travelDate),
      };
    });
  }

  /**
   * For bookings: the bookable (active) members of the owner's group, oldest member first.
   * Another user's group → 404; a group without bookable members → 422 TRAVELER_GROUP_EMPTY.
   */
  async travelerIdsOfGroup(userId: string, groupId: string): Promise<string[]> {
    if (!(await this.groups.findOwned(userId, groupId))) throw travelerGroupNotFound();
    const members = (await this.groups.members(userId, [groupId])).filter(isBookableMember);
    if (members.length === 0) {
      throw unprocessable('TRAVELER_GROUP_EMPTY', 'This traveler group has no active travelers.', {
        errors: { travelerGroupId: ['TRAVELER_GROUP_EMPTY'] },
      });
    }
    return members.map((member) => member.travelerId);
  }

  /** The owner's traveler, or 404. */
  async findOwned(userId: string, travelerId: string): Promise<TravelerEntity> {
    const traveler = await this.travelers.findOwned(userId, travelerId);
    if (!traveler) throw travelerNotFound();
    return traveler;
  }

  /** The owner's traveler, unless archived (409): what writes under a traveler need. */
  async findEditable(userId: string, travelerId: string): Promise<TravelerEntity> {
    const traveler = await this.findOwned(userId, travelerId);
    this.assertEditable(traveler);
    return traveler;
  }

  /**
   * The owner id of a traveler's documents for the caller: the traveler, once it is the
   * caller's (404 otherwise) and, for a write (`change`), not archived (409).
   */
  async documentOwnerFor(userId: string, travelerId: string, change: boolean): Promise<string> {
    if (change) await this.findEditable(userId, travelerId);
    else await this.findOwned(userId, travelerId);
    return travelerId;
  }

  private assertEditable(traveler: TravelerEntity): void {
    if (traveler.status === 'archived') {
      throw new ProblemException(
        409,
        'TRAVELER_ARCHIVED',
        'This traveler is archived; restore it first.',
      );
    }
  }

  private async reasonsNotBookable(
    userId: string,
    traveler: TravelerEntity,
    travelDate: string,
    consents?: ReadonlyMap<string, ConsentDecision>,
  ): Promise<BookabilityReason[]> {
    const reasons: BookabilityReason[] = [];
    if (traveler.status === 'archived') reasons.push('TRAVELER_ARCHIVED');
    if (traveler.status === 'inactive') reasons.push('TRAVELER_INACTIVE');
    if (isMinorOn(traveler.dateOfBirth, travelDate)) {
      const consent =
        consents?.get(traveler.id) ??
        (await this.guardianConsents.decide(userId, traveler.id, GUARDIAN_CONSENT_PURPOSE));
      if (!consent.granted) reasons.push('GUARDIAN_CONSENT_REQUIRED');
    }
    return reasons;
  }
}
