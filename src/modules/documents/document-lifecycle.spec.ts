import { describe, expect, it } from '@jest/globals';
import { todayUtc } from '#libs/common/time/calendar-date.js';
import {
  canTransition,
  DOCUMENT_EVENTS,
  DOCUMENT_TRANSITIONS,
  isPastExpiry,
  nextStatus,
  type DocumentEvent,
} from './document-lifecycle.js';
import { DOCUMENT_STATUSES, type DocumentStatus } from './document-vocabulary.js';

/**
 * The whole status × event table, written out by hand: every cell is asserted, so adding a
 * status or an event without deciding its transitions fails here.
 */
const EXPECTED: Record<DocumentStatus, Record<DocumentEvent, DocumentStatus | null>> = {
  pending: {
    claim: 'in_review',
    verify: 'verified',
    reject: 'rejected',
    rectify: 'pending',
    expire: 'expired',
  },
  in_review: {
    claim: null,
    verify: 'verified',
    reject: 'rejected',
    rectify: 'pending',
    expire: 'expired',
  },
  verified: { claim: null, verify: null, reject: null, rectify: 'pending', expire: 'expired' },
  rejected: { claim: null, verify: null, reject: null, rectify: 'pending', expire: 'expired' },
  expired: { claim: null, verify: null, reject: null, rectify: 'pending', expire: null },
};

describe('document lifecycle (transition rules as data)', () => {
  it('the expected table covers every status and every event', () => {
    expect(Object.keys(EXPECTED).sort()).toEqual([...DOCUMENT_STATUSES].sort());
    for (const row of Object.values(EXPECTED)) {
      expect(Object.keys(row).sort()).toEqual([...DOCUMENT_EVENTS].sort());
    }
  });

  const cells = DOCUMENT_STATUSES.flatMap((from) =>
    DOCUMENT_EVENTS.map((event) => [from, event, EXPECTED[from][event]] as const),
  );

  it.each(cells)('%s --%s--> %s', (from, event, expected) => {
    expect(nextStatus(from, event)).toBe(expected);
    expect(canTransition(from, event)).toBe(expected !== null);
  });

  it('an admin can decide straight from pending (no claim needed)', () => {
    expect(DOCUMENT_TRANSITIONS.verify.from).toContain('pending');
    expect(DOCUMENT_TRANSITIONS.reject.from).toContain('pending');
  });

  it('a decided document can only go back to pending through a rectification', () => {
    for (const decided of ['verified', 'rejected'] as const) {
      const reachable = DOCUMENT_EVENTS.filter((event) => canTransition(decided, event)).map(
        (event) => nextStatus(decided, event),
      );
      expect(reachable.sort()).toEqual(['expired', 'pending']);
    }
  });

  it('every transition target is a known status', () => {
    for (const transition of Object.values(DOCUMENT_TRANSITIONS)) {
      expect(DOCUMENT_STATUSES).toContain(transition.to);
      for (const from of transition.from) expect(DOCUMENT_STATUSES).toContain(from);
    }
  });
});

describe('expiry rule', () => {
  it.each([
    ['2026-11-25', '2026-11-26', true],
    ['2026-11-26', '2026-11-26', false], // valid through its expiry date
    ['2026-11-27', '2026-11-26', false],
    ['2025-12-31', '2026-01-01', true],
    ['2030-01-01', '2026-11-26', false],
  ])('expiry %s on %s → past expiry %s', (expiry, today, expected) => {
    expect(isPastExpiry(expiry, today)).toBe(expected);
  });

  it('a document without an expiry date never expires', () => {
    expect(isPastExpiry(null, '2999-12-31')).toBe(false);
  });

  it('today is the UTC calendar date', () => {
    expect(todayUtc(new Date('2026-11-26T23:59:59.999Z'))).toBe('2026-11-26');
    expect(todayUtc(new Date('2026-11-27T00:00:00.000Z'))).toBe('2026-11-27');
    expect(todayUtc(new Date('2026-11-26T23:30:00-02:00'))).toBe('2026-11-27');
  });
});
