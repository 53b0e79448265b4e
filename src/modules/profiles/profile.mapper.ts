import type {
  ProfileResponseDto,
  TravelPreferencesResponseDto,
} from './dto/profile-response.dto.js';
import type { TravelPreferencesEntity } from './travel-preferences.entity.js';
import type { UserProfileEntity } from './user-profile.entity.js';

export function toProfileResponse(profile: UserProfileEntity): ProfileResponseDto {
  const communication = profile.communicationPreferences;
  return {
    userId: profile.userId,
    firstName: profile.firstName,
    middleName: profile.middleName,
    lastName: profile.lastName,
    dateOfBirth: profile.dateOfBirth,
    gender: profile.gender,
    phone: profile.phone,
    nationality: profile.nationality,
    countryOfResidence: profile.countryOfResidence,
    city: profile.city,
    timezone: profile.timezone,
    preferredLanguage: profile.preferredLanguage,
    preferredCurrency: profile.preferredCurrency,
    communicationPreferences: {
      email: communication.email ?? true,
      sms: communication.sms ?? false,
      push: communication.push ?? false,
    },
    frequentFlyerNumbers: profile.frequentFlyerNumbers,
    hotelLoyaltyNumbers: profile.hotelLoyaltyNumbers,
    travelFrequency: profile.travelFrequency,
    travelPurpose: profile.travelPurpose,
    emergencyContact:
      profile.emergencyContactName && profile.emergencyContactPhone
        ? {
            name: profile.emergencyContactName,
            phone: profile.emergencyContactPhone,
            relationship: profile.emergencyContactRelationship,
          }
        : null,
    version: profile.version,
    createdAt: profile.createdAt.toISOString(),
    updatedAt: profile.updatedAt.toISOString(),
  };
}

export function toTravelPreferencesResponse(
  preferences: TravelPreferencesEntity,
): TravelPreferencesResponseDto {
  const { budgetCurrency, budgetMinMinor, budgetMaxMinor } = preferences;
  return {
    userId: preferences.userId,
    preferredCabinClass: preferences.preferredCabinClass,
    preferredSeatType: preferences.preferredSeatType,
    preferredAirlines: preferences.preferredAirlines,
    avoidedAirlines: preferences.avoidedAirlines,
    preferredAirports: preferences.preferredAirports,
    maxFlightDurationMinutes: preferences.maxFlightDurationMinutes,
    maxLayovers: preferences.maxLayovers,
    preferredHotelClass: preferences.preferredHotelClass,
    preferredHotelChains: preferences.preferredHotelChains,
    roomPreferences: preferences.roomPreferences,
    activityInterests: preferences.activityInterests,
    dietaryRestrictions: preferences.dietaryRestrictions,
    mobilityRequirements: preferences.mobilityRequirements,
    budgetRange:
      budgetCurrency !== null && budgetMinMinor !== null && budgetMaxMinor !== null
        ? {
            min: { amountMinor: Number(budgetMinMinor), currency: budgetCurrency },
            max: { amountMinor: Number(budgetMaxMinor), currency: budgetCurrency },
          }
        : null,
    priceAlertsEnabled: preferences.priceAlertsEnabled,
    dealNotificationsEnabled: preferences.dealNotificationsEnabled,
    bookingRemindersEnabled: preferences.bookingRemindersEnabled,
    version: preferences.version,
    createdAt: preferences.createdAt.toISOString(),
    updatedAt: preferences.updatedAt.toISOString(),
  };
}
