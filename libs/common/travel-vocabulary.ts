import { registerAppOnlyEnum } from './enum-registry.js';

/**
 * Travel vocabularies shared by profiles, travelers and bookings: the one definition of each,
 * used by the entities (Postgres enum types), the DTOs and `/meta/enums`. Taken from the
 * original's comment vocabularies (§1.2). `middle` is a real seat type (aisle, window, middle).
 */
export const GENDERS = ['male', 'female', 'other', 'prefer_not_to_say'] as const;
export type Gender = (typeof GENDERS)[number];

export const CABIN_CLASSES = ['economy', 'premium_economy', 'business', 'first'] as const;
export type CabinClass = (typeof CABIN_CLASSES)[number];

export const SEAT_TYPES = ['aisle', 'window', 'middle', 'any'] as const;
export type SeatType = (typeof SEAT_TYPES)[number];

export const TRAVEL_FREQUENCIES = [
  'rarely',
  'occasionally',
  'frequently',
  'very_frequently',
] as const;
export type TravelFrequency = (typeof TRAVEL_FREQUENCIES)[number];

export const TRAVEL_PURPOSES = ['leisure', 'business', 'mixed'] as const;
export type TravelPurpose = (typeof TRAVEL_PURPOSES)[number];

/** Dietary needs (airline special-meal categories and common restrictions). */
export const DIETARY_NEEDS = [
  'vegetarian',
  'vegan',
  'halal',
  'kosher',
  'hindu',
  'gluten_free',
  'lactose_free',
  'low_sodium',
  'diabetic',
  'nut_allergy',
  'shellfish_allergy',
  'seafood_free',
  'child_meal',
] as const;
export type DietaryNeed = (typeof DIETARY_NEEDS)[number];

/** Mobility and assistance needs (the IATA SSR categories in plain words). */
export const MOBILITY_NEEDS = [
  'wheelchair_to_aircraft',
  'wheelchair_steps',
  'wheelchair_to_seat',
  'own_manual_wheelchair',
  'own_powered_wheelchair',
  'walking_aid',
  'visual_impairment',
  'hearing_impairment',
  'cognitive_assistance',
  'service_animal',
  'stretcher',
] as const;
export type MobilityNeed = (typeof MOBILITY_NEEDS)[number];

export const BED_TYPES = ['single', 'double', 'queen', 'king', 'twin'] as const;
export type BedType = (typeof BED_TYPES)[number];

// Stored as user_profile_travel_frequency / user_profile_travel_purpose; listed under their
// vocabulary names too. Dietary, mobility and bed types live in text[] and JSONB columns.
registerAppOnlyEnum('travel_frequency', TRAVEL_FREQUENCIES);
registerAppOnlyEnum('travel_purpose', TRAVEL_PURPOSES);
registerAppOnlyEnum('dietary_need', DIETARY_NEEDS);
registerAppOnlyEnum('mobility_need', MOBILITY_NEEDS);
registerAppOnlyEnum('bed_type', BED_TYPES);
