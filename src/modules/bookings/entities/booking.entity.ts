import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  Unique,
  UpdateDateColumn,
} from 'typeorm';
import { bigintTransformer } from '#libs/common/database/bigint.transformer.js';
import {
  BOOKING_STATUSES,
  BOOKING_TYPES,
  type BookingStatus,
  type BookingType,
  PAYMENT_STATUSES,
  type PaymentStatus,
} from '../booking-states.js';
import type { CancellationPolicy } from '../providers/booking-provider.js';

export const UQ_BOOKING_REFERENCE = 'uq_bookings_reference';

/**
 * A user's booking. Money is integer minor units of `currency` (never floats): the quoted total
 * and its breakdown. What was actually charged and refunded lives in `booking_ledger`.
 *
 * Relations to users, sessions and saved items name the entities by string: bookings calls the
 * sessions and travelers services, never their tables. `user_id` is RESTRICT: bookings and their
 * ledger must be kept (pseudonymised) after erasure, never deleted with the user.
 */
@Entity('bookings')
@Unique(UQ_BOOKING_REFERENCE, ['reference'])
@Index('idx_bookings_user_id_created_at_id', ['userId', 'createdAt', 'id'])
@Index('idx_bookings_user_id_status', ['userId', 'status'])
@Index('idx_bookings_user_id_travel_start_date', ['userId', 'travelStartDate'])
@Index('idx_bookings_status_created_at', ['status', 'createdAt'])
@Index('idx_bookings_pending_booking_deadline', ['bookingDeadline'], {
  where: `"status" = 'pending'`,
})
@Index('idx_bookings_confirmation_code', ['confirmationCode'])
@Index('idx_bookings_provider_provider_reference', ['provider', 'providerReference'])
@Index('idx_bookings_session_id', ['sessionId'])
@Index('idx_bookings_saved_item_id', ['savedItemId'])
@Index('idx_bookings_created_at_id', ['createdAt', 'id'])
@Check('chk_bookings_currency', `"currency" ~ '^[A-Z]{3}$'`)
@Check(
  'chk_bookings_amounts',
  `"base_amount_minor" >= 0 AND "taxes_amount_minor" >= 0 AND "fees_amount_minor" >= 0 AND "total_amount_minor" = "base_amount_minor" + "taxes_amount_minor" + "fees_amount_minor"`,
)
@Check('chk_bookings_travel_dates', `"travel_end_date" >= "travel_start_date"`)
export class BookingEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  userId: string;

  @ManyToOne('UserEntity', { onDelete: 'RESTRICT', nullable: false })
  @JoinColumn({ name: 'user_id' })
  user?: { id: string };

  /** Internal reference shown to the customer (`PTH-` + 10 random base32 characters). */
  @Column({ type: 'varchar', length: 20 })
  reference: string;

  @Column({ type: 'enum', enum: BOOKING_TYPES, enumName: 'booking_type' })
  bookingType: BookingType;

  @Column({ type: 'enum', enum: BOOKING_STATUSES, enumName: 'booking_status', default: 'pending' })
  status: BookingStatus;

  @Column({
    type: 'enum',
    enum: PAYMENT_STATUSES,
    enumName: 'payment_status',
    default: 'pending',
  })
  paymentStatus: PaymentStatus;

  /** Adapter that handled the booking (`sandbox`, later `duffel`, `amadeus`…). */
  @Column({ type: 'varchar', length: 50 })
  provider: string;

  @Column({ type: 'varchar', length: 255, nullable: true })
  providerReference: string | null;

  @Column({ type: 'varchar', length: 100, nullable: true })
  confirmationCode: string | null;

  @Column({ type: 'char', length: 3 })
  currency: string;

  @Column({ type: 'bigint', transformer: bigintTransformer })
  totalAmountMinor: number;

  @Column({ type: 'bigint', transformer: bigintTransformer })
  baseAmountMinor: number;

  @Column({ type: 'bigint', transformer: bigintTransformer })
  taxesAmountMinor: number;

  @Column({ type: 'bigint', transformer: bigintTransformer })
  feesAmountMinor: number;

  @Column({ type: 'date' })
  travelStartDate: string;

  @Column({ type: 'date' })
  travelEndDate: string;

  /** The provider's cancellation rules as they were when booked; quotes are computed from it. */
  @Column({ type: 'jsonb', default: () => "'{}'" })
  cancellationPolicy: CancellationPolicy;

  /** What the provider answered (for support); never shown to customers. */
  @Column({ type: 'jsonb', default: () => "'{}'" })
  providerResponse: Record<string, unknown>;

  @Column({ type: 'uuid', nullable: true })
  sessionId: string | null;

  @ManyToOne('TravelSessionEntity', { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'session_id' })
  session?: { id: string };

  @Column({ type: 'uuid', nullable: true })
  savedItemId: string | null;

  @ManyToOne('SavedItemEntity', { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'saved_item_id' })
  savedItem?: { id: string };

  @Column({ type: 'varchar', length: 255, nullable: true })
  cancellationReference: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  bookedAt: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  cancelledAt: Date | null;

  /** Until then a cancellation costs nothing (the quote refunds everything); null: never free. */
  @Column({ type: 'timestamptz', nullable: true })
  freeCancellationUntil: Date | null;

  /** A pending booking not settled by then becomes `expired` (the status sync). */
  @Column({ type: 'timestamptz', nullable: true })
  bookingDeadline: Date | null;

  /** Bumped by every change; a cancellation quote is only valid for the version it was made on. */
  @Column({ type: 'integer', default: 1 })
  version: number;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
