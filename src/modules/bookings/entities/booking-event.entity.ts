import {
  Column,
  CreateDateColumn,
  Entity,
  Generated,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  type Relation,
} from 'typeorm';
import { BookingEntity } from './booking.entity.js';

export const BOOKING_EVENT_SOURCES = ['user', 'provider', 'system'] as const;
export type BookingEventSource = (typeof BOOKING_EVENT_SOURCES)[number];

/**
 * A booking's timeline (`GET /bookings/:id` → `events`): one row per thing that happened to it
 * (created, confirmed, failed, cancelled, a provider event, a sync, expiry, completion), and who
 * made it happen. Append-only; goes with its booking.
 */
@Entity('booking_events')
@Index('idx_booking_events_booking_id_seq', ['bookingId', 'seq'])
export class BookingEventEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** Insertion order (several rows of one transaction share `created_at`). */
  @Column({ type: 'bigint' })
  @Generated('increment')
  seq: string;

  @Column({ type: 'uuid' })
  bookingId: string;

  @ManyToOne(() => BookingEntity, { onDelete: 'CASCADE', nullable: false })
  @JoinColumn({ name: 'booking_id' })
  booking?: Relation<BookingEntity>;

  /** `booking.created`, `booking.confirmed`, `booking.schedule_changed`… */
  @Column({ type: 'varchar', length: 60 })
  type: string;

  @Column({ type: 'enum', enum: BOOKING_EVENT_SOURCES, enumName: 'booking_event_source' })
  source: BookingEventSource;

  /** What the timeline shows beyond the type (e.g. the schedule changes); never document numbers. */
  @Column({ type: 'jsonb', default: () => "'{}'" })
  data: Record<string, unknown>;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
