import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  type Relation,
} from 'typeorm';
import { bigintTransformer } from '#libs/common/database/bigint.transformer.js';
import { BookingEntity } from './booking.entity.js';

/**
 * A cancellation offer: refund and penalty computed from the booking's policy snapshot, valid
 * until `expiresAt`, for the booking version it was made on, usable once.
 */
@Entity('booking_cancellation_quotes')
@Index('idx_booking_cancellation_quotes_booking_id', ['bookingId'])
// Claims not recorded: what cancellation reconciliation scans (few rows; most are recorded).
@Index('idx_booking_cancellation_quotes_unrecorded', ['usedAt'], {
  where: '"used_at" IS NOT NULL AND "recorded_at" IS NULL',
})
@Check(
  'chk_booking_cancellation_quotes_amounts',
  `"refund_amount_minor" >= 0 AND "penalty_amount_minor" >= 0`,
)
export class CancellationQuoteEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  bookingId: string;

  @ManyToOne(() => BookingEntity, { onDelete: 'CASCADE', nullable: false })
  @JoinColumn({ name: 'booking_id' })
  booking?: Relation<BookingEntity>;

  @Column({ type: 'integer' })
  bookingVersion: number;

  @Column({ type: 'bigint', transformer: bigintTransformer })
  refundAmountMinor: number;

  @Column({ type: 'bigint', transformer: bigintTransformer })
  penaltyAmountMinor: number;

  @Column({ type: 'char', length: 3 })
  currency: string;

  @Column({ type: 'timestamptz' })
  expiresAt: Date;

  /** When a cancel claimed this quote (the intent, before the provider is called). */
  @Column({ type: 'timestamptz', nullable: true })
  usedAt: Date | null;

  /** When the cancellation claimed with this quote was recorded (ledger and booking state). */
  @Column({ type: 'timestamptz', nullable: true })
  recordedAt: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
