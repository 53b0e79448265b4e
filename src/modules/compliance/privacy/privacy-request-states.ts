import { conflict, type ProblemException } from '#libs/common/errors/problem.exception.js';

export const PRIVACY_REQUEST_TYPES = [
  'access',
  'erasure',
  'rectification',
  'restriction',
  'objection',
  'portability',
] as const;
export type PrivacyRequestType = (typeof PRIVACY_REQUEST_TYPES)[number];

export const PRIVACY_REQUEST_CHANNELS = [
  'self_service',
  'email',
  'letter',
  'phone',
  'web_form',
] as const;
export type PrivacyRequestChannel = (typeof PRIVACY_REQUEST_CHANNELS)[number];

export const PRIVACY_REQUEST_STATUSES = [
  'received',
  'identity_verified',
  'in_progress',
  'completed',
  'rejected',
] as const;
export type PrivacyRequestStatus = (typeof PRIVACY_REQUEST_STATUSES)[number];

/** Statuses in which the request still has to be answered (counts towards overdue). */
export const OPEN_PRIVACY_REQUEST_STATUSES = [
  'received',
  'identity_verified',
  'in_progress',
] as const;

/** The request lifecycle as data: every legal move, nothing else. */
export const PRIVACY_REQUEST_TRANSITIONS: Readonly<
  Record<PrivacyRequestStatus, readonly PrivacyRequestStatus[]>
> = {
  received: ['identity_verified', 'rejected'],
  identity_verified: ['in_progress', 'rejected'],
  in_progress: ['completed', 'rejected'],
  completed: [],
  rejected: [],
};

/** The field a move into a status needs (400 without it). */
export const REQUIRED_FOR: Partial<
  Record<PrivacyRequestStatus, 'reason' | 'outcome' | 'identityMethod'>
> = {
  identity_verified: 'identityMethod',
  completed: 'outcome',
  rejected: 'reason',
};

/** Statuses in which staff may fulfil the request (export, erasure). */
export const FULFILLABLE_STATUSES: readonly PrivacyRequestStatus[] = [
  'identity_verified',
  'in_progress',
];

/** Request types whose subject may get the data export. */
export const EXPORTABLE_TYPES: readonly PrivacyRequestType[] = ['access', 'portability'];

export function canMovePrivacyRequest(
  from: PrivacyRequestStatus,
  to: PrivacyRequestStatus,
): boolean {
  return PRIVACY_REQUEST_TRANSITIONS[from].includes(to);
}

export function illegalTransition(
  from: PrivacyRequestStatus,
  to: PrivacyRequestStatus,
): ProblemException {
  return conflict(
    'ILLEGAL_PRIVACY_REQUEST_TRANSITION',
    `A privacy request cannot move from ${from} to ${to}.`,
    { from, to, allowed: PRIVACY_REQUEST_TRANSITIONS[from] },
  );
}

/** The same instant `months` calendar months later, clamped to the month's last day. */
export function addCalendarMonths(from: Date, months: number): Date {
  const result = new Date(from.getTime());
  const day = result.getUTCDate();
  result.setUTCMonth(result.getUTCMonth() + months, 1);
  const lastDay = new Date(
    Date.UTC(result.getUTCFullYear(), result.getUTCMonth() + 1, 0),
  ).getUTCDate();
  result.setUTCDate(Math.min(day, lastDay));
  return result;
}

/** GDPR Art. 12(3): a request is answered within one month of receipt. */
export const dueDate = (receivedAt: Date): Date => addCalendarMonths(receivedAt, 1);

/** Art. 12(3): extendable by two further months. */
export const extendedDueDate = (dueAt: Date): Date => addCalendarMonths(dueAt, 2);
