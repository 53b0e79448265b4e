import type { TravelerType } from '#modules/travelers/traveler-type.js';
import type { BookingType } from '../booking-states.js';

/**
 * Cancellation rules: the first rule (sorted by `minHoursBeforeStart`, descending) whose bound
 * the time left before the travel start reaches gives the penalty share in basis points. No rule
 * reached (the trip started) or `refundable: false` → the whole amount is kept.
 */
export interface CancellationRule {
  minHoursBeforeStart: number;
  penaltyBasisPoints: number;
}

export interface CancellationPolicy {
  refundable: boolean;
  rules: CancellationRule[];
}

/** What an adapter is asked to price and book (already validated and normalised). */
export interface ProviderBookingRequest {
  bookingType: BookingType;
  currency: string;
  /** The type's details as sent (flight, hotel or activity part). */
  details: Record<string, unknown>;
  travelerTypes: TravelerType[];
  travelStartDate: string;
  travelEndDate: string;
  /** Billable units: passengers, room-nights or participants. */
  units: number;
}

export interface ProviderQuote {
  currency: string;
  baseAmountMinor: number;
  taxesAmountMinor: number;
  feesAmountMinor: number;
  totalAmountMinor: number;
  cancellationPolicy: CancellationPolicy;
}

export const PROVIDER_OUTCOMES = ['confirm', 'fail', 'pending'] as const;
export type ProviderOutcome = (typeof PROVIDER_OUTCOMES)[number];

/** How a sandbox `pending` booking settles when its status is asked (the status sync). */
export const PROVIDER_RESOLUTIONS = ['confirm', 'fail'] as const;
export type ProviderResolution = (typeof PROVIDER_RESOLUTIONS)[number];

/** Options only the sandbox reads (real adapters ignore them). */
export interface ProviderBookOptions {
  reference: string;
  outcome?: ProviderOutcome;
  resolveTo?: ProviderResolution;
  resolveAfterSeconds?: number;
}

export interface ProviderBookingResult {
  status: 'confirmed' | 'pending' | 'failed';
  providerReference: string | null;
  confirmationCode: string | null;
  /** Payment transaction reference when money was taken. */
  paymentReference: string | null;
  failureReason: string | null;
  /** A pending booking not settled by then expires (null: no deadline). */
  bookingDeadline?: Date | null;
  /** The provider's answer, kept as the booking's provider response snapshot. */
  raw: Record<string, unknown>;
}

export interface ProviderCancellationTerms {
  refundAmountMinor: number;
  penaltyAmountMinor: number;
}

export interface ProviderCancellationInput {
  providerReference: string | null;
  currency: string;
  chargedAmountMinor: number;
  travelStartDate: string;
  cancellationPolicy: CancellationPolicy;
}

export interface ProviderCancellationResult {
  cancellationReference: string;
  raw: Record<string, unknown>;
}

/**
 * What the provider holds for a booking: `active` (booked, not cancelled), `cancelled`,
 * `pending` (not settled yet), `failed` (it will never be booked) or `unknown` (it has no such
 * booking). Reconciliation and the status sync decide from this what our records miss.
 */
export interface ProviderBookingStatus {
  state: 'active' | 'cancelled' | 'pending' | 'failed' | 'unknown';
  cancellationReference: string | null;
  /** When `active`: the confirmation code, if the provider gives one. */
  confirmationCode?: string | null;
  raw: Record<string, unknown>;
}

/**
 * The port every booking provider adapter implements. Adding Duffel or Amadeus means one new
 * class implementing this, listed in `BOOKING_PROVIDERS` (bookings.module.ts).
 */
export interface BookingProvider {
  readonly name: string;
  quote(request: ProviderBookingRequest): Promise<ProviderQuote>;
  book(
    request: ProviderBookingRequest,
    quote: ProviderQuote,
    options: ProviderBookOptions,
  ): Promise<ProviderBookingResult>;
  cancelQuote(input: ProviderCancellationInput, now: Date): Promise<ProviderCancellationTerms>;
  /** Cancelling an already cancelled booking answers its cancellation again (idempotent). */
  cancel(input: ProviderCancellationInput): Promise<ProviderCancellationResult>;
  /** The provider's own view of a booking (a read; no side effects). */
  status(providerReference: string, now?: Date): Promise<ProviderBookingStatus>;
}

/** All registered adapters (an array), see BookingProviderRegistry. */
export const BOOKING_PROVIDERS = Symbol('BOOKING_PROVIDERS');
