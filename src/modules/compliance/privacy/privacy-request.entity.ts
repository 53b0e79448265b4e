import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export const PRIVACY_REQUEST_TYPES = ['export', 'erasure'] as const;
export type PrivacyRequestType = (typeof PRIVACY_REQUEST_TYPES)[number];

export const PRIVACY_REQUEST_STATUSES = ['in_progress', 'completed', 'failed'] as const;
export type PrivacyRequestStatus = (typeof PRIVACY_REQUEST_STATUSES)[number];

/**
 * The register of data-subject requests (GDPR Art. 12(3): answered within one month). `subject_id`
 * is the user's id, replaced by the erasure pseudonym when the user is erased (no FK: the register
 * outlives the account).
 */
@Entity('privacy_requests')
@Index('idx_privacy_requests_received_at_id', ['receivedAt', 'id'])
@Index('idx_privacy_requests_subject_id', ['subjectId'])
export class PrivacyRequestEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'enum', enum: PRIVACY_REQUEST_TYPES, enumName: 'privacy_request_type' })
  type: PrivacyRequestType;

  @Column({ type: 'uuid' })
  subjectId: string;

  @Column({
    type: 'enum',
    enum: PRIVACY_REQUEST_STATUSES,
    enumName: 'privacy_request_status',
    default: 'in_progress',
  })
  status: PrivacyRequestStatus;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  receivedAt: Date;

  /** One month after `receivedAt` (Art. 12(3)). */
  @Column({ type: 'timestamptz' })
  dueAt: Date;

  @Column({ type: 'timestamptz', nullable: true })
  completedAt: Date | null;

  /** Counts per category (erasure) or sections written (export); never personal data. */
  @Column({ type: 'jsonb', default: () => "'{}'" })
  outcome: Record<string, unknown>;

  @Column({ type: 'varchar', length: 128, nullable: true })
  requestId: string | null;
}
