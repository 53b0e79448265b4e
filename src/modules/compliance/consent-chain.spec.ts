import { describe, expect, it } from '@jest/globals';
import {
  chainHash,
  GENESIS_HASH,
  verifyChain,
  type ChainedEventFields,
  type StoredChainEvent,
} from './consent-chain.js';

function field(seq: number, overrides: Partial<ChainedEventFields> = {}): ChainedEventFields {
  return {
    id: `00000000-0000-4000-8000-00000000000${seq}`,
    seq,
    travelerId: null,
    actorId: null,
    purpose: 'travel_planning',
    noticeVersion: 1,
    textSha256: 'a'.repeat(64),
    decision: seq % 2 === 1 ? 'granted' : 'withdrawn',
    occurredAt: new Date(Date.UTC(2026, 0, 1, 0, 0, seq)),
    ip: '127.0.0.1',
    userAgent: 'jest',
    source: 'api',
    ...overrides,
  };
}

function chain(length: number): StoredChainEvent[] {
  const events: StoredChainEvent[] = [];
  for (let seq = 1; seq <= length; seq += 1) {
    const prevHash = events.at(-1)?.hash ?? null;
    const fields = field(seq);
    events.push({ ...fields, prevHash, hash: chainHash(prevHash, fields) });
  }
  return events;
}

describe('consent hash chain', () => {
  it('hashes deterministically and depends on the previous hash', () => {
    const fields = field(1);
    expect(chainHash(null, fields)).toMatch(/^[0-9a-f]{64}$/);
    expect(chainHash(null, fields)).toBe(chainHash(null, { ...fields }));
    expect(chainHash(null, fields)).toBe(chainHash(GENESIS_HASH, fields));
    expect(chainHash('b'.repeat(64), fields)).not.toBe(chainHash(null, fields));
  });

  it.each<[keyof ChainedEventFields, unknown]>([
    ['id', '00000000-0000-4000-8000-0000000000ff'],
    ['seq', 2],
    ['travelerId', '00000000-0000-4000-8000-0000000000aa'],
    ['actorId', '00000000-0000-4000-8000-0000000000bb'],
    ['purpose', 'marketing'],
    ['noticeVersion', 2],
    ['textSha256', 'c'.repeat(64)],
    ['decision', 'withdrawn'],
    ['occurredAt', new Date(Date.UTC(2026, 0, 1, 0, 0, 1, 1))],
    ['ip', '10.0.0.1'],
    ['userAgent', 'other'],
    ['source', 'registration'],
  ])('changes when %s changes', (key, value) => {
    const fields = field(1);
    expect(chainHash(null, { ...fields, [key]: value })).not.toBe(chainHash(null, fields));
  });

  it('keeps null and the string "null" apart', () => {
    expect(chainHash(null, field(1, { ip: 'null' }))).not.toBe(chainHash(null, field(1)));
  });

  it('verifies an empty and an intact chain', () => {
    expect(verifyChain([])).toEqual({
      intact: true,
      eventCount: 0,
      headHash: null,
      brokenAt: null,
    });
    const events = chain(4);
    expect(verifyChain(events)).toEqual({
      intact: true,
      eventCount: 4,
      headHash: events[3]?.hash,
      brokenAt: null,
    });
  });

  const cases: [string, (events: StoredChainEvent[]) => StoredChainEvent[], number, string][] = [
    [
      'an edited field',
      (events) => events.map((e) => (e.seq === 2 ? { ...e, decision: 'granted' } : e)),
      2,
      'HASH_MISMATCH',
    ],
    [
      'an edited field with its own hash recomputed',
      (events) =>
        events.map((e) => {
          if (e.seq !== 2) return e;
          const edited = { ...e, noticeVersion: 7 };
          return { ...edited, hash: chainHash(e.prevHash, edited) };
        }),
      3,
      'PREVIOUS_HASH_MISMATCH',
    ],
    ['a deleted middle event', (events) => events.filter((e) => e.seq !== 2), 3, 'SEQUENCE_GAP'],
    ['a deleted first event', (events) => events.slice(1), 2, 'SEQUENCE_GAP'],
    [
      'a rewritten previous-hash link',
      (events) => events.map((e) => (e.seq === 3 ? { ...e, prevHash: 'd'.repeat(64) } : e)),
      3,
      'PREVIOUS_HASH_MISMATCH',
    ],
    [
      'a renumbered sequence',
      (events) => events.map((e) => (e.seq === 4 ? { ...e, seq: 5 } : e)),
      5,
      'SEQUENCE_GAP',
    ],
  ];

  it.each(cases)('detects %s', (_name, tamper, brokenSeq, reason) => {
    const result = verifyChain(tamper(chain(4)));
    expect(result.intact).toBe(false);
    expect(result.brokenAt).toMatchObject({ seq: brokenSeq, reason });
  });
});
