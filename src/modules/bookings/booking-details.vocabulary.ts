/** Vocabulary and JSON shapes of the booking details (flight, hotel, activity). */

export const MEAL_PLANS = [
  'room_only',
  'breakfast',
  'half_board',
  'full_board',
  'all_inclusive',
] as const;
export type MealPlan = (typeof MEAL_PLANS)[number];

export const ACTIVITY_TYPES = ['tour', 'attraction', 'experience', 'class', 'transfer'] as const;
export type ActivityType = (typeof ACTIVITY_TYPES)[number];

export interface FlightSegment {
  airlineCode: string;
  flightNumber: string;
  originAirport: string;
  destinationAirport: string;
  departureAt: string;
  arrivalAt: string;
}

export interface SeatAssignment {
  travelerId: string;
  seat: string;
}

export interface BaggageAllowance {
  cabinBags: number;
  checkedBags: number;
}
