import { registerAppOnlyEnum } from '#libs/common/enum-registry.js';

/** Session status vocabulary (the original's `SessionStatus`, enforced as a Postgres enum). */
export const SESSION_STATUSES = [
  'active',
  'planning',
  'searching',
  'booking',
  'completed',
  'abandoned',
  'archived',
] as const;
export type SessionStatus = (typeof SESSION_STATUSES)[number];

/**
 * Allowed status changes, as data. The working states (active, planning, searching, booking)
 * move freely among themselves because a chat goes back and forth; `completed` can only be
 * archived; an `abandoned` trip can be resumed; `archived` is terminal (DELETE archives, and an
 * archived session is read-only). Staying in the same status is not a transition and is
 * always allowed.
 */
export const SESSION_TRANSITIONS: Readonly<Record<SessionStatus, readonly SessionStatus[]>> = {
  active: ['planning', 'searching', 'booking', 'completed', 'abandoned', 'archived'],
  planning: ['active', 'searching', 'booking', 'completed', 'abandoned', 'archived'],
  searching: ['active', 'planning', 'booking', 'completed', 'abandoned', 'archived'],
  booking: ['active', 'planning', 'searching', 'completed', 'abandoned', 'archived'],
  completed: ['archived'],
  abandoned: ['active', 'planning', 'searching', 'archived'],
  archived: [],
};

export function canTransition(from: SessionStatus, to: SessionStatus): boolean {
  return from === to || SESSION_TRANSITIONS[from].includes(to);
}

/** Saved item types (the original's `ItemType`). */
export const SAVED_ITEM_TYPES = [
  'flight',
  'hotel',
  'activity',
  'restaurant',
  'transport',
  'other',
] as const;
export type SavedItemType = (typeof SAVED_ITEM_TYPES)[number];

/** Chat message roles (the original's `MessageRole`). Not a database enum: it lives in JSONB. */
export const MESSAGE_ROLES = ['user', 'assistant', 'system'] as const;
export type MessageRole = (typeof MESSAGE_ROLES)[number];
registerAppOnlyEnum('message_role', MESSAGE_ROLES);
