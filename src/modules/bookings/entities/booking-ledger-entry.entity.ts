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
import { LEDGER_ENTRY_KINDS, type LedgerEntryKind } from '../booking-states.js';
import { BookingEntity } from './booking.entity.js';

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

  @Column({ type: 'bigint', transformer: bigintTransformer })
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
