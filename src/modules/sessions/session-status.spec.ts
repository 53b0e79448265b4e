import { describe, expect, it } from '@jest/globals';
import { canTransition, SESSION_STATUSES, type SessionStatus } from './session-status.js';

// The whole table: every (from, to) pair and whether it is allowed.
const ALLOWED: Record<SessionStatus, SessionStatus[]> = {
  active: ['active', 'planning', 'searching', 'booking', 'completed', 'abandoned', 'archived'],
  planning: ['active', 'planning', 'searching', 'booking', 'completed', 'abandoned', 'archived'],
  searching: ['active', 'planning', 'searching', 'booking', 'completed', 'abandoned', 'archived'],
  booking: ['active', 'planning', 'searching', 'booking', 'completed', 'abandoned', 'archived'],
  completed: ['completed', 'archived'],
  abandoned: ['active', 'planning', 'searching', 'abandoned', 'archived'],
  archived: ['archived'],
};

const cases = SESSION_STATUSES.flatMap((from) =>
  SESSION_STATUSES.map((to) => [from, to, ALLOWED[from].includes(to)] as const),
);

describe('session status transitions', () => {
  it('covers all 49 pairs', () => {
    expect(cases).toHaveLength(49);
  });

  it.each(cases)('%s → %s allowed: %s', (from, to, allowed) => {
    expect(canTransition(from, to)).toBe(allowed);
  });

  it('every status can be archived, and nothing leaves archived', () => {
    for (const status of SESSION_STATUSES) expect(canTransition(status, 'archived')).toBe(true);
    for (const status of SESSION_STATUSES.filter((s) => s !== 'archived')) {
      expect(canTransition('archived', status)).toBe(false);
    }
  });

  it('a completed trip cannot go back to planning or booking', () => {
    expect(canTransition('completed', 'planning')).toBe(false);
    expect(canTransition('completed', 'booking')).toBe(false);
    expect(canTransition('abandoned', 'booking')).toBe(false);
  });
});
