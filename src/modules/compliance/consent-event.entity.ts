import { Column, Entity, Index, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { CONSENT_SOURCES, type ConsentSource } from '#libs/common/compliance-ports.js';
import {
  CONSENT_DECISIONS,
  CONSENT_PURPOSES,
  type ConsentDecisionKind,
  type ConsentPurpose,
} from './consent-purposes.js';

/**
 * The consent ledger: one append-only row per decision (the database refuses UPDATE and DELETE;
 * erasure may only pseudonymise `subject_id` through an explicitly privileged path).
 * `subject_id` has no foreign key: compliance knows people by id only, and consent proof must
 * survive the erasure of the user row. Rows of one subject form a hash chain (`seq`, `prev_hash`,
 * `hash`; see consent-chain.ts).
 */
@Entity('consent_events')
@Unique('uq_consent_events_subject_id_seq', ['subjectId', 'seq'])
// The decider's one query: the subject's latest own decision for a purpose.
@Index('idx_consent_events_own_latest', ['subjectId', 'purpose', 'seq'], {
  where: '"traveler_id" IS NULL',
})
// History, newest first (keyset on occurred_at, id).
@Index('idx_consent_events_subject_occurred_at', ['subjectId', 'occurredAt', 'id'])
// The compliance export streams every event in time order (no sort before the first row).
@Index('idx_consent_events_occurred_at_id', ['occurredAt', 'id'])
export class ConsentEventEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** The user the decision is about (for guardian consent: the guardian). No FK, by design. */
  @Column({ type: 'uuid' })
  subjectId: string;

  /** Guardian consent: the traveler it is given for. No FK (travelers are another module). */
  @Column({ type: 'uuid', nullable: true })
  travelerId: string | null;

  /** Who made the decision when not the subject (staff); null = the subject (a guardian too). */
  @Column({ type: 'uuid', nullable: true })
  actorId: string | null;

  @Column({ type: 'enum', enum: CONSENT_PURPOSES, enumName: 'consent_purpose' })
  purpose: ConsentPurpose;

  @Column({ type: 'integer' })
  noticeVersion: number;

  @Column({ type: 'char', length: 64 })
  textSha256: string;

  @Column({ type: 'enum', enum: CONSENT_DECISIONS, enumName: 'consent_decision' })
  decision: ConsentDecisionKind;

  @Column({ type: 'timestamptz' })
  occurredAt: Date;

  @Column({ type: 'varchar', length: 64, nullable: true })
  ip: string | null;

  @Column({ type: 'varchar', length: 512, nullable: true })
  userAgent: string | null;

  @Column({ type: 'enum', enum: CONSENT_SOURCES, enumName: 'consent_source' })
  source: ConsentSource;

  /** Position in the subject's chain: 1, 2, 3, … */
  @Column({ type: 'integer' })
  seq: number;

  /** Hash of the subject's previous event; null for the first. */
  @Column({ type: 'char', length: 64, nullable: true })
  prevHash: string | null;

  @Column({ type: 'char', length: 64 })
  hash: string;
}
