import { createHash } from 'node:crypto';
import type { ConsentSource } from '#libs/common/compliance-ports.js';
import type { ConsentDecisionKind, ConsentPurpose } from './consent-purposes.js';

/**
 * Tamper evidence for the consent ledger: the events of one subject form a hash chain.
 *
 *   hash = sha256_hex( (prev_hash ?? GENESIS) + "\n" + canonical(event) )
 *   canonical(event) = JSON array, fixed order:
 *     ["pathavana.consent.v1", id, seq, travelerId, actorId, purpose, noticeVersion, textSha256,
 *      decision, occurredAt (ISO-8601 UTC, ms), ip, userAgent, source]
 *
 * `seq` numbers the subject's events 1, 2, 3, … (unique per subject), so a deleted or inserted
 * row shows as a gap or a broken link. `subject_id` is deliberately NOT hashed: erasure
 * pseudonymises it (the only update the database allows, see the migration), and the chain must
 * still verify under the pseudonym. The subject is bound by the chain itself (each event links
 * to the previous one of the same subject) and the UPDATE-refusing trigger.
 */
export const CHAIN_FORMAT = 'pathavana.consent.v1';
export const GENESIS_HASH = '0'.repeat(64);

export interface ChainedEventFields {
  id: string;
  seq: number;
  travelerId: string | null;
  actorId: string | null;
  purpose: ConsentPurpose;
  noticeVersion: number;
  textSha256: string;
  decision: ConsentDecisionKind;
  occurredAt: Date;
  ip: string | null;
  userAgent: string | null;
  source: ConsentSource;
}

export function canonicalEvent(event: ChainedEventFields): string {
  return JSON.stringify([
    CHAIN_FORMAT,
    event.id,
    event.seq,
    event.travelerId,
    event.actorId,
    event.purpose,
    event.noticeVersion,
    event.textSha256,
    event.decision,
    event.occurredAt.toISOString(),
    event.ip,
    event.userAgent,
    event.source,
  ]);
}

export function chainHash(prevHash: string | null, event: ChainedEventFields): string {
  return createHash('sha256')
    .update(`${prevHash ?? GENESIS_HASH}\n${canonicalEvent(event)}`)
    .digest('hex');
}

export interface StoredChainEvent extends ChainedEventFields {
  prevHash: string | null;
  hash: string;
}

export type ChainBreakReason = 'SEQUENCE_GAP' | 'PREVIOUS_HASH_MISMATCH' | 'HASH_MISMATCH';

export interface ChainBreak {
  eventId: string;
  seq: number;
  /** Position (1-based) where the event was expected in an intact chain. */
  expectedSeq: number;
  reason: ChainBreakReason;
}

export interface ChainVerification {
  intact: boolean;
  eventCount: number;
  /** Hash of the last event (the head an auditor can note to detect later truncation). */
  headHash: string | null;
  /** The first event where the chain breaks, or null when intact. */
  brokenAt: ChainBreak | null;
}

/** Verifies one subject's events, given in `seq` order. Stops at the first break. */
export function verifyChain(events: readonly StoredChainEvent[]): ChainVerification {
  let previous: StoredChainEvent | null = null;
  for (const [index, event] of events.entries()) {
    const expectedSeq = index + 1;
    const broken = (reason: ChainBreakReason): ChainVerification => ({
      intact: false,
      eventCount: events.length,
      headHash: events.at(-1)?.hash ?? null,
      brokenAt: { eventId: event.id, seq: event.seq, expectedSeq, reason },
    });
    if (event.seq !== expectedSeq) return broken('SEQUENCE_GAP');
    if (event.prevHash !== (previous?.hash ?? null)) return broken('PREVIOUS_HASH_MISMATCH');
    if (chainHash(event.prevHash, event) !== event.hash) return broken('HASH_MISMATCH');
    previous = event;
  }
  return {
    intact: true,
    eventCount: events.length,
    headHash: previous?.hash ?? null,
    brokenAt: null,
  };
}
