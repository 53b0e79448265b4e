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
