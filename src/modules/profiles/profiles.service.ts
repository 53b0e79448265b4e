import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { EntityManager, Repository } from 'typeorm';
import { validationProblem } from '#libs/common/http/validation.js';
import { preconditionFailed } from '#libs/common/http/version-etag.js';
import type { FieldErrors } from '#libs/common/errors/problem.exception.js';
import type {
  ProfileResponseDto,
  TravelPreferencesResponseDto,
} from './dto/profile-response.dto.js';
import type { BudgetRangeDto, TravelPreferencesDto } from './dto/travel-preferences.dto.js';
import type { UpdateProfileDto } from './dto/update-profile.dto.js';
import { toProfileResponse, toTravelPreferencesResponse } from './profile.mapper.js';
import { TravelPreferencesEntity } from './travel-preferences.entity.js';
import { UserProfileEntity } from './user-profile.entity.js';

const PROFILE_DEFAULTS = { timezone: 'UTC', preferredLanguage: 'en', preferredCurrency: 'USD' };

/** Simple profile fields: DTO key = entity column, `null` clears (or resets to the default). */
const PROFILE_FIELDS = [
  'firstName',
  'middleName',
  'lastName',
  'dateOfBirth',
  'gender',
  'phone',
  'nationality',
  'countryOfResidence',
  'city',
  'travelFrequency',
  'travelPurpose',
] as const;

/** What PUT resets to, and PATCH with `null`. */
function preferenceDefaults(): Omit<
  TravelPreferencesEntity,
  'id' | 'userId' | 'version' | 'createdAt' | 'updatedAt'
> {
  return {
    preferredCabinClass: null,
    preferredSeatType: null,
    preferredAirlines: [],
    avoidedAirlines: [],
    preferredAirports: [],
    maxFlightDurationMinutes: null,
    maxLayovers: 1,
    preferredHotelClass: null,
    preferredHotelChains: [],
    roomPreferences: {},
    activityInterests: [],
    dietaryRestrictions: [],
    mobilityRequirements: [],
    budgetMinMinor: null,
    budgetMaxMinor: null,
    budgetCurrency: null,
    priceAlertsEnabled: true,
    dealNotificationsEnabled: true,
    bookingRemindersEnabled: true,
  };
}

const PREFERENCE_FIELDS = [
  'preferredCabinClass',
  'preferredSeatType',
  'preferredAirlines',
  'avoidedAirlines',
  'preferredAirports',
  'maxFlightDurationMinutes',
  'maxLayovers',
  'preferredHotelClass',
  'preferredHotelChains',
  'roomPreferences',
  'activityInterests',
  'dietaryRestrictions',
  'mobilityRequirements',
  'priceAlertsEnabled',
  'dealNotificationsEnabled',
  'bookingRemindersEnabled',
] as const;

/**
 * The user's profile and travel preferences: one row each, created on first read or write
 * (INSERT … ON CONFLICT DO NOTHING, so concurrent first calls are safe).
 */
@Injectable()
export class ProfilesService {
  constructor(
    @InjectRepository(UserProfileEntity) private readonly profiles: Repository<UserProfileEntity>,
    @InjectRepository(TravelPreferencesEntity)
    private readonly preferences: Repository<TravelPreferencesEntity>,
  ) {}

  async getProfile(userId: string): Promise<ProfileResponseDto> {
    return toProfileResponse(await this.ensureProfile(userId, this.profiles.manager));
  }

  async updateProfile(
    userId: string,
    dto: UpdateProfileDto,
    expectedVersion?: number,
  ): Promise<ProfileResponseDto> {
    return this.profiles.manager.transaction(async (manager) => {
      const profile = await this.ensureProfile(userId, manager, true);
      if (expectedVersion !== undefined && expectedVersion !== profile.version) {
        throw preconditionFailed(profile.version, 'profile');
      }
      for (const field of PROFILE_FIELDS) {
        const value = dto[field];
        if (value !== undefined) Object.assign(profile, { [field]: value });
      }
      for (const field of ['timezone', 'preferredLanguage', 'preferredCurrency'] as const) {
        const value = dto[field];
        if (value !== undefined) profile[field] = value ?? PROFILE_DEFAULTS[field];
      }
      if (dto.communicationPreferences !== undefined) {
        profile.communicationPreferences = {
          ...profile.communicationPreferences,
          ...(dto.communicationPreferences ?? {}),
        };
        if (dto.communicationPreferences === null) profile.communicationPreferences = {};
      }
      if (dto.frequentFlyerNumbers !== undefined) {
        profile.frequentFlyerNumbers = dto.frequentFlyerNumbers ?? {};
      }
      if (dto.hotelLoyaltyNumbers !== undefined) {
        profile.hotelLoyaltyNumbers = dto.hotelLoyaltyNumbers ?? {};
      }
      if (dto.emergencyContact !== undefined) {
        profile.emergencyContactName = dto.emergencyContact?.name ?? null;
        profile.emergencyContactPhone = dto.emergencyContact?.phone ?? null;
        profile.emergencyContactRelationship = dto.emergencyContact?.relationship ?? null;
      }
      return toProfileResponse(await manager.save(profile));
    });
  }

  async getPreferences(userId: string): Promise<TravelPreferencesResponseDto> {
    return toTravelPreferencesResponse(
      await this.ensurePreferences(userId, this.preferences.manager),
    );
  }

  /** PUT (`replace`) resets absent fields to their defaults; PATCH changes the fields sent. */
  async savePreferences(
    userId: string,
    dto: TravelPreferencesDto,
    mode: 'replace' | 'merge',
    expectedVersion?: number,
  ): Promise<TravelPreferencesResponseDto> {
    return this.preferences.manager.transaction(async (manager) => {
      const preferences = await this.ensurePreferences(userId, manager, true);
      if (expectedVersion !== undefined && expectedVersion !== preferences.version) {
        throw preconditionFailed(preferences.version, 'preferences');
      }
      const defaults = preferenceDefaults();
      if (mode === 'replace') Object.assign(preferences, defaults);
      for (const field of PREFERENCE_FIELDS) {
        const value = dto[field];
        if (value !== undefined) Object.assign(preferences, { [field]: value ?? defaults[field] });
      }
      if (dto.budgetRange !== undefined) {
        const range = dto.budgetRange;
        preferences.budgetCurrency = range ? range.min.currency : null;
        preferences.budgetMinMinor = range ? String(range.min.amountMinor) : null;
        preferences.budgetMaxMinor = range ? String(range.max.amountMinor) : null;
      }
      assertPreferencesConsistent(
        dto.budgetRange ?? null,
        preferences.preferredAirlines,
        preferences.avoidedAirlines,
      );
      return toTravelPreferencesResponse(await manager.save(preferences));
    });
  }

  private async ensureProfile(
    userId: string,
    manager: EntityManager,
    lock = false,
  ): Promise<UserProfileEntity> {
    await manager
      .createQueryBuilder()
      .insert()
      .into(UserProfileEntity)
      .values({ userId })
      .orIgnore()
      .execute();
    const query = manager
      .getRepository(UserProfileEntity)
      .createQueryBuilder('p')
      .where('p.userId = :userId', { userId });
    if (lock) query.setLock('pessimistic_write');
    return query.getOneOrFail();
  }

  private async ensurePreferences(
    userId: string,
    manager: EntityManager,
    lock = false,
  ): Promise<TravelPreferencesEntity> {
    await manager
      .createQueryBuilder()
      .insert()
      .into(TravelPreferencesEntity)
      .values({ userId })
      .orIgnore()
      .execute();
    const query = manager
      .getRepository(TravelPreferencesEntity)
      .createQueryBuilder('p')
      .where('p.userId = :userId', { userId });
    if (lock) query.setLock('pessimistic_write');
    return query.getOneOrFail();
  }
}

/** Rules across fields (400 with field errors). */
export function assertPreferencesConsistent(
  range: BudgetRangeDto | null,
  preferredAirlines: readonly string[],
  avoidedAirlines: readonly string[],
): void {
  const errors: FieldErrors = {};
  if (range) {
    if (range.min.currency !== range.max.currency) {
      errors['budgetRange.max.currency'] = ['budgetRange.min and max must use the same currency'];
    }
    if (range.min.amountMinor < 0) {
      errors['budgetRange.min.amountMinor'] = ['budgetRange.min must not be negative'];
    }
    if (range.max.amountMinor < range.min.amountMinor) {
      errors['budgetRange.max.amountMinor'] = ['budgetRange.max must not be below min'];
    }
  }
  const preferred = new Set(preferredAirlines);
  const both = avoidedAirlines.filter((code) => preferred.has(code));
  if (both.length > 0) {
    errors.avoidedAirlines = [`airlines both preferred and avoided: ${both.join(', ')}`];
  }
  if (Object.keys(errors).length > 0) throw validationProblem(errors);
}
