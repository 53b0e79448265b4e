import { Injectable } from '@nestjs/common';
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
import { ProfilesRepository } from './profiles.repository.js';
import type { TravelPreferencesEntity } from './travel-preferences.entity.js';

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
 * The rules of the user's profile and travel preferences (one row each, created on first use by
 * ProfilesRepository, which owns the SQL).
 */
@Injectable()
export class ProfilesService {
  constructor(private readonly repository: ProfilesRepository) {}

  async getProfile(userId: string): Promise<ProfileResponseDto> {
    return toProfileResponse(await this.repository.profileFor(userId));
  }

  async updateProfile(
    userId: string,
    dto: UpdateProfileDto,
    expectedVersion?: number,
  ): Promise<ProfileResponseDto> {
    const saved = await this.repository.updateProfile(userId, (profile) => {
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
    });
    return toProfileResponse(saved);
  }

  async getPreferences(userId: string): Promise<TravelPreferencesResponseDto> {
    return toTravelPreferencesResponse(await this.repository.preferencesFor(userId));
  }

  /** PUT (`replace`) resets absent fields to their defaults; PATCH changes the fields sent. */
  async savePreferences(
    userId: string,
    dto: TravelPreferencesDto,
    mode: 'replace' | 'merge',
    expectedVersion?: number,
  ): Promise<TravelPreferencesResponseDto> {
    const saved = await this.repository.updatePreferences(userId, (preferences) => {
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
    });
    return toTravelPreferencesResponse(saved);
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
