import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  type Relation,
  Unique,
} from 'typeorm';
import { BookingEntity } from './booking.entity.js';

export const IDEMPOTENCY_STATES = ['in_flight', 'completed'] as const;
export type IdempotencyState = (typeof IDEMPOTENCY_STATES)[number];

export const UQ_IDEMPOTENCY_KEY = 'uq_idempotency_keys_user_id_scope_key';

/**
 * `Idempotency-Key` claims, per user and route. The row is claimed (`in_flight`) before the
 * provider is called and completed with the exact response in the booking transaction.
 * The response body is kept as TEXT, byte for byte, so a replay is identical.
 */
@Entity('idempotency_keys')
@Unique(UQ_IDEMPOTENCY_KEY, ['userId', 'scope', 'key'])
@Index('idx_idempotency_keys_expires_at', ['expiresAt'])
export class IdempotencyKeyEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  userId: string;

  @ManyToOne('UserEntity', { onDelete: 'CASCADE', nullable: false })
  @JoinColumn({ name: 'user_id' })
  user?: { id: string };

  /** The route the key was used on, e.g. `POST /bookings`. */
  @Column({ type: 'varchar', length: 100 })
  scope: string;

  @Column({ type: 'varchar', length: 255 })
  key: string;

  /** SHA-256 (hex) of the canonical JSON of the request body. */
  @Column({ type: 'char', length: 64 })
  requestFingerprint: string;

  @Column({
    type: 'enum',
    enum: IDEMPOTENCY_STATES,
    enumName: 'idempotency_state',
    default: 'in_flight',
  })
  state: IdempotencyState;

  /**
   * While `in_flight`: the owner's lease. Past it, a retry with the same body takes over. The
   * default (a full lease) covers rows inserted by a version that does not set it. Spelled as
   * TypeORM reads PostgreSQL's `(now() + '00:05:00'::interval)` back (casts stripped), so the
   * drift check sees no change.
   */
  @Column({ type: 'timestamptz', default: () => "(now() + '00:05:00')" })
  lockedUntil: Date;

  /** Bumped by each takeover: only the owner holding the current attempt completes or releases. */
  @Column({ type: 'integer', default: 1 })
  attempt: number;

  @Column({ type: 'smallint', nullable: true })
  responseStatus: number | null;

  @Column({ type: 'text', nullable: true })
  responseBody: string | null;

  @Column({ type: 'uuid', nullable: true })
  bookingId: string | null;

  @ManyToOne(() => BookingEntity, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'booking_id' })
  booking?: Relation<BookingEntity>;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @Column({ type: 'timestamptz' })
  expiresAt: Date;
}
