import { money, percentageOf, subtractMoney } from '#libs/common/money/money.js';
import type { CancellationPolicy } from '../providers/booking-provider.js';

const HOUR_MS = 3_600_000;

/** Whole hours from `now` until 00:00 UTC of the travel start date (negative once started). */
export function hoursBeforeStart(travelStartDate: string, now: Date): number {
  const start = Date.parse(`${travelStartDate}T00:00:00Z`);
  return Math.floor((start - now.getTime()) / HOUR_MS);
}

/** Penalty share (basis points) the policy applies at `hoursBefore`. */
export function penaltyBasisPoints(policy: CancellationPolicy, hoursBefore: number): number {
  if (!policy.refundable) return 10_000;
  const rules = [...policy.rules].sort((a, b) => b.minHoursBeforeStart - a.minHoursBeforeStart);
  const rule = rules.find((candidate) => hoursBefore >= candidate.minHoursBeforeStart);
  return rule ? rule.penaltyBasisPoints : 10_000;
}

/**
 * Refund and penalty of cancelling now: penalty = share of what was charged (integer rounding,
 * half away from zero), refund = the rest. They always add up to the charged amount.
 */
export function cancellationTerms(
  policy: CancellationPolicy,
  chargedAmountMinor: number,
  currency: string,
  travelStartDate: string,
  now: Date,
): { refundAmountMinor: number; penaltyAmountMinor: number } {
  const charged = money(chargedAmountMinor, currency);
  const bps = penaltyBasisPoints(policy, hoursBeforeStart(travelStartDate, now));
  const penalty = percentageOf(charged, bps);
  const refund = subtractMoney(charged, penalty);
  return { refundAmountMinor: refund.amountMinor, penaltyAmountMinor: penalty.amountMinor };
}

/**
 * The last instant a booking cancels without penalty under `policy` (the start minus the hours
 * of the lowest rule in the penalty-free run from the top), or null when it never does.
 */
export function freeCancellationUntil(
  policy: CancellationPolicy,
  travelStartDate: string,
): Date | null {
  if (!policy.refundable) return null;
  const rules = [...policy.rules].sort((a, b) => b.minHoursBeforeStart - a.minHoursBeforeStart);
  let freeFromHours: number | null = null;
  for (const rule of rules) {
    if (rule.penaltyBasisPoints !== 0) break;
    freeFromHours = rule.minHoursBeforeStart;
  }
  if (freeFromHours === null) return null;
  return new Date(Date.parse(`${travelStartDate}T00:00:00Z`) - freeFromHours * HOUR_MS);
}
