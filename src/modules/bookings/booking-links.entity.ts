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
  Unique,
} from 'typeorm';
import { TRAVELER_TYPES, type TravelerType } from '#modules/travelers/traveler-type.js';
import { bigintMinor } from './bigint.js';
import { LEDGER_ENTRY_KINDS, type LedgerEntryKind } from './booking-states.js';
import { BookingEntity } from './booking.entity.js';

/** A document as a booking keeps it: never the full number. */
export interface DocumentSnapshot {
  documentType: string;
  issuingCountry: string | null;
  numberMasked: string;
  expiresOn: string | null;
}

/**
 * Who travels on a booking, with a snapshot taken at booking time (name, birth date, traveler
 * type ON THE TRAVEL DATE, masked document): later edits or erasure of the traveler do not change
 * the record. The traveler link itself is SET NULL so erasing a traveler keeps the snapshot.
 */
@Entity('booking_travelers')
@Unique('uq_booking_travelers_booking_id_traveler_id', ['bookingId', 'travelerId'])
@Unique('uq_booking_travelers_booking_id_position', ['bookingId', 'position'])
@Index('idx_booking_travelers_traveler_id', ['travelerId'])
export class BookingTravelerEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  bookingId: string;

  @ManyToOne(() => BookingEntity, { onDelete: 'CASCADE', nullable: false })
  @JoinColumn({ name: 'booking_id' })
  booking?: Relation<BookingEntity>;

  @Column({ type: 'uuid', nullable: true })
  travelerId: string | null;

  @ManyToOne('TravelerEntity', { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'traveler_id' })
  traveler?: { id: string };

  /** Order in the request; the first one is the primary passenger. */
  @Column({ type: 'smallint' })
  position: number;

  @Column({ type: 'boolean', default: false })
  isPrimary: boolean;

  @Column({ type: 'varchar', length: 310 })
  fullName: string;

  @Column({ type: 'date', nullable: true })
  dateOfBirth: string | null;

  @Column({ type: 'enum', enum: TRAVELER_TYPES, enumName: 'booking_traveler_type' })
  travelerType: TravelerType;

  @Column({ type: 'jsonb', nullable: true })
  documentSnapshot: DocumentSnapshot | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}

/** Bookings made from a planning session (the session's view of its bookings). */
@Entity('unified_session_bookings')
@Unique('uq_unified_session_bookings_booking_id', ['bookingId'])
@Index('idx_unified_session_bookings_session_id_created_at', ['sessionId', 'createdAt'])
export class SessionBookingEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  sessionId: string;

  @ManyToOne('TravelSessionEntity', { onDelete: 'CASCADE', nullable: false })
  @JoinColumn({ name: 'session_id' })
  session?: { id: string };

  @Column({ type: 'uuid' })
  bookingId: string;

  @ManyToOne(() => BookingEntity, { onDelete: 'CASCADE', nullable: false })
  @JoinColumn({ name: 'booking_id' })
  booking?: Relation<BookingEntity>;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}

/**
 * Append-only money ledger (a database trigger refuses UPDATE, DELETE and TRUNCATE). Amounts are
 * positive minor units; the kind gives the direction. A booking's totals are sums over it.
 * The booking FK is RESTRICT: a booking with money history cannot be deleted.
 */
@Entity('booking_ledger')
@Index('idx_booking_ledger_booking_id_created_at', ['bookingId', 'createdAt'])
@Check('chk_booking_ledger_amount', `"amount_minor" >= 0`)
@Check('chk_booking_ledger_currency', `"currency" ~ '^[A-Z]{3}$'`)
export class BookingLedgerEntryEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  bookingId: string;

  @ManyToOne(() => BookingEntity, { onDelete: 'RESTRICT', nullable: false })
  @JoinColumn({ name: 'booking_id' })
  booking?: Relation<BookingEntity>;

  @Column({ type: 'enum', enum: LEDGER_ENTRY_KINDS, enumName: 'booking_ledger_kind' })
  kind: LedgerEntryKind;

  @Column({ type: 'bigint', transformer: bigintMinor })
  amountMinor: number;

  @Column({ type: 'char', length: 3 })
  currency: string;

  @Column({ type: 'varchar', length: 255 })
  description: string;

  /** Provider transaction or cancellation reference. */
  @Column({ type: 'varchar', length: 255, nullable: true })
  providerReference: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}

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

  @Column({ type: 'bigint', transformer: bigintMinor })
  refundAmountMinor: number;

  @Column({ type: 'bigint', transformer: bigintMinor })
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
