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

export const PROVIDER_EVENT_OUTCOMES = ['applied', 'ignored'] as const;
export type ProviderEventOutcome = (typeof PROVIDER_EVENT_OUTCOMES)[number];

export const UQ_PROVIDER_EVENT = 'uq_booking_provider_events_provider_event_id';

/**
 * Every signed provider event received, once per (provider, event id): a redelivery finds its
 * row and has no second effect. `outcome` says whether the state machines accepted it
 * (`ignored`: out of order, e.g. confirmed after cancelled).
 */
@Entity('booking_provider_events')
@Unique(UQ_PROVIDER_EVENT, ['provider', 'eventId'])
@Index('idx_booking_provider_events_booking_id', ['bookingId'])
export class ProviderEventEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'varchar', length: 50 })
  provider: string;

  @Column({ type: 'varchar', length: 255 })
  eventId: string;

  @Column({ type: 'uuid' })
  bookingId: string;

  @ManyToOne(() => BookingEntity, { onDelete: 'CASCADE', nullable: false })
  @JoinColumn({ name: 'booking_id' })
  booking?: Relation<BookingEntity>;

  @Column({ type: 'varchar', length: 60 })
  type: string;

  @Column({ type: 'enum', enum: PROVIDER_EVENT_OUTCOMES, enumName: 'provider_event_outcome' })
  outcome: ProviderEventOutcome;

  @Column({ type: 'timestamptz' })
  occurredAt: Date;

  /** The event's `data` as received. */
  @Column({ type: 'jsonb', default: () => "'{}'" })
  data: Record<string, unknown>;

  @CreateDateColumn({ type: 'timestamptz' })
  receivedAt: Date;
}
