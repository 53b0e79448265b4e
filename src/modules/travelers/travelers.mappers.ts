import type { TravelerPreferencesResponseDto } from './dto/traveler-preferences.dto.js';
import type { TravelerResponseDto } from './dto/traveler.dto.js';
import type { TravelerPreferencesEntity } from './traveler-preferences.entity.js';
import { todayUtc } from '#libs/common/time/calendar-date.js';
import { isMinorOn, travelerTypeOn } from './traveler-type.js';
import type { TravelerEntity } from './traveler.entity.js';

export function fullNameOf(
  traveler: Pick<TravelerEntity, 'firstName' | 'middleName' | 'lastName'>,
): string {
  return [traveler.firstName, traveler.middleName, traveler.lastName].filter(Boolean).join(' ');
}

export function toTravelerDto(traveler: TravelerEntity, today = todayUtc()): TravelerResponseDto {
  return {
    id: traveler.id,
    firstName: traveler.firstName,
    middleName: traveler.middleName,
    lastName: traveler.lastName,
    fullName: fullNameOf(traveler),
    dateOfBirth: traveler.dateOfBirth,
    travelerType: travelerTypeOn(traveler.dateOfBirth, today),
    isMinor: isMinorOn(traveler.dateOfBirth, today),
    gender: traveler.gender,
    nationality: traveler.nationality,
    countryOfResidence: traveler.countryOfResidence,
    email: traveler.email,
    phone: traveler.phone,
    emergencyContact: {
      name: traveler.emergencyContactName,
      phone: traveler.emergencyContactPhone,
    },
    relationshipToUser: traveler.relationshipToUser,
    isPrimary: traveler.isPrimary,
    status: traveler.status,
    dietaryRestrictions: traveler.dietaryRestrictions,
    accessibilityNeeds: traveler.accessibilityNeeds,
    specialNeeds: traveler.specialNeeds,
    frequentFlyerNumbers: traveler.frequentFlyerNumbers,
    guardianName: traveler.guardianName,
    guardianRelationship: traveler.guardianRelationship,
    version: traveler.version,
    createdAt: traveler.createdAt.toISOString(),
    updatedAt: traveler.updatedAt.toISOString(),
  };
}

export function toPreferencesDto(
  travelerId: string,
  preferences: TravelerPreferencesEntity | null,
): TravelerPreferencesResponseDto {
  return {
    travelerId,
    cabinClass: preferences?.cabinClass ?? null,
    seatType: preferences?.seatType ?? null,
    seatLocation: preferences?.seatLocation ?? null,
    extraLegroom: preferences?.extraLegroom ?? false,
    mealPreference: preferences?.mealPreference ?? null,
    foodAllergies: preferences?.foodAllergies ?? [],
    wheelchairAssistance: preferences?.wheelchairAssistance ?? false,
    visualAssistance: preferences?.visualAssistance ?? false,
    hearingAssistance: preferences?.hearingAssistance ?? false,
    specialAssistanceNotes: preferences?.specialAssistanceNotes ?? null,
    preferredLanguage: preferences?.preferredLanguage ?? null,
    activityInterests: preferences?.activityInterests ?? [],
    updatedAt: preferences?.updatedAt.toISOString() ?? null,
  };
}
