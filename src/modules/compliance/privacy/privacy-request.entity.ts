import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import {
  PRIVACY_REQUEST_CHANNELS,
  PRIVACY_REQUEST_STATUSES,
  PRIVACY_REQUEST_TYPES,
  type PrivacyRequestChannel,
  type PrivacyRequestStatus,
  type PrivacyRequestType,
} from './privacy-request-states.js';

/**
 * The register of data-subject requests (GDPR Art. 12(3): answered within one month, extendable
 * once by two months). `subject_id` is the user's id (null when no account matched), replaced by
 * the erasure pseudonym when the user is erased (no FK: the register outlives the account).
 * `subject_email` is the address a request without an account came from; it is erased with the
 * account and deleted with the request by retention.
 */
@Entity('privacy_requests')
@Index('idx_privacy_requests_received_at_id', ['receivedAt', 'id'])
@Index('idx_privacy_requests_subject_id', ['subjectId'])
export class PrivacyRequestEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'enum', enum: PRIVACY_REQUEST_TYPES, enumName: 'privacy_request_type' })
  type: PrivacyRequestType;

  @Column({
    type: 'enum',
    enum: PRIVACY_REQUEST_CHANNELS,
    enumName: 'privacy_request_channel',
  })
  channel: PrivacyRequestChannel;

  @Column({ type: 'uuid', nullable: true })
  subjectId: string | null;

  @Column({ type: 'varchar', length: 320, nullable: true })
  subjectEmail: string | null;

  @Column({ type: 'text', nullable: true })
  details: string | null;

  @Column({
    type: 'enum',
    enum: PRIVACY_REQUEST_STATUSES,
    enumName: 'privacy_request_status',
    default: 'received',
  })
  status: PrivacyRequestStatus;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  receivedAt: Date;

  /** One calendar month after `receivedAt` (Art. 12(3)). */
  @Column({ type: 'timestamptz' })
  dueAt: Date;

  /** `dueAt` plus two calendar months, once, with `extensionReason`. */
  @Column({ type: 'timestamptz', nullable: true })
  extendedDueAt: Date | null;

  @Column({ type: 'text', nullable: true })
  extensionReason: string | null;

  @Column({ type: 'varchar', length: 200, nullable: true })
  identityMethod: string | null;

  /** When the request was closed (completed or rejected). */
  @Column({ type: 'timestamptz', nullable: true })
  completedAt: Date | null;

  /** What was done (completed), in words. */
  @Column({ type: 'text', nullable: true })
  outcome: string | null;

  /** Why the request was rejected. */
  @Column({ type: 'text', nullable: true })
  rejectionReason: string | null;

  /** Machine-readable result: counts per category (erasure) or sections written (export). */
  @Column({ type: 'jsonb', default: () => "'{}'" })
  result: Record<string, unknown>;

  @Column({ type: 'varchar', length: 128, nullable: true })
  requestId: string | null;
}

/** The request's history: one row per status change (and the extension). */
@Entity('privacy_request_events')
@Index('idx_privacy_request_events_request_id_at', ['privacyRequestId', 'at'])
export class PrivacyRequestEventEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  privacyRequestId: string;

  @ManyToOne(() => PrivacyRequestEntity, { onDelete: 'CASCADE' })
  @JoinColumn({
    name: 'privacy_request_id',
    foreignKeyConstraintName: 'fk_privacy_request_events_privacy_request_id',
  })
  privacyRequest?: PrivacyRequestEntity;

  /** clock_timestamp(): several rows written in one transaction keep their order. */
  @Column({ type: 'timestamptz', default: () => 'clock_timestamp()' })
  at: Date;

  /** Staff member (or the subject, self-service); pseudonymised on erasure. */
  @Column({ type: 'uuid', nullable: true })
  actorId: string | null;

  @Column({ type: 'varchar', length: 32, nullable: true })
  fromStatus: PrivacyRequestStatus | null;

  /** The new status, or `extended`. */
  @Column({ type: 'varchar', length: 32 })
  toStatus: string;

  @Column({ type: 'text', nullable: true })
  reason: string | null;
}
