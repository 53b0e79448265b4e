import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  OneToOne,
  PrimaryColumn,
  type Relation,
  UpdateDateColumn,
} from 'typeorm';
import { ACTIVITY_TYPES, type ActivityType } from '../booking-details.vocabulary.js';
import { BookingEntity } from './booking.entity.js';

/** 1:1 with an activity booking. Date is a calendar date, start time a local `HH:MM`. */
@Entity('activity_bookings')
@Index('idx_activity_bookings_activity_id_activity_date', ['activityId', 'activityDate'])
@Index('idx_activity_bookings_city_country', ['city', 'country'])
@Index('idx_activity_bookings_activity_type', ['activityType'])
export class ActivityBookingEntity {
  @PrimaryColumn({ type: 'uuid' })
  bookingId: string;

  @OneToOne(() => BookingEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'booking_id' })
  booking?: Relation<BookingEntity>;

  @Column({ type: 'varchar', length: 100 })
  activityId: string;

  @Column({ type: 'varchar', length: 255 })
  activityName: string;

  @Column({ type: 'enum', enum: ACTIVITY_TYPES, enumName: 'activity_type' })
  activityType: ActivityType;

  @Column({ type: 'varchar', length: 255, nullable: true })
  locationName: string | null;

  @Column({ type: 'varchar', length: 100 })
  city: string;

  @Column({ type: 'char', length: 2 })
  country: string;

  @Column({ type: 'date' })
  activityDate: string;

  @Column({ type: 'time', nullable: true })
  startTime: string | null;

  @Column({ type: 'integer', nullable: true })
  durationMinutes: number | null;

  @Column({ type: 'integer', default: 1 })
  participantCount: number;

  @Column({ type: 'integer', default: 1 })
  adultCount: number;

  @Column({ type: 'integer', default: 0 })
  childCount: number;

  @Column({ type: 'integer', default: 0 })
  seniorCount: number;

  @Column({ type: 'varchar', length: 500, nullable: true })
  meetingPoint: string | null;

  @Column({ type: 'varchar', length: 8, nullable: true })
  language: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
