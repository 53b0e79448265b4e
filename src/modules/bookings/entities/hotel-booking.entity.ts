import {
  Check,
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
import { bigintTransformer } from '#libs/common/database/bigint.transformer.js';
import { MEAL_PLANS, type MealPlan } from '../booking-details.vocabulary.js';
import { BookingEntity } from './booking.entity.js';

/** 1:1 with a hotel booking. Check-in/out are calendar dates (hotels work in local dates). */
@Entity('hotel_bookings')
@Index('idx_hotel_bookings_hotel_id_check_in_date', ['hotelId', 'checkInDate'])
@Index('idx_hotel_bookings_city_country', ['city', 'country'])
@Check('chk_hotel_bookings_dates', `"check_out_date" > "check_in_date"`)
@Check('chk_hotel_bookings_rating', `"hotel_rating" IS NULL OR "hotel_rating" BETWEEN 1 AND 5`)
export class HotelBookingEntity {
  @PrimaryColumn({ type: 'uuid' })
  bookingId: string;

  @OneToOne(() => BookingEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'booking_id' })
  booking?: Relation<BookingEntity>;

  @Column({ type: 'varchar', length: 100 })
  hotelId: string;

  @Column({ type: 'varchar', length: 255 })
  hotelName: string;

  @Column({ type: 'varchar', length: 100, nullable: true })
  hotelChain: string | null;

  @Column({ type: 'smallint', nullable: true })
  hotelRating: number | null;

  @Column({ type: 'varchar', length: 500, nullable: true })
  address: string | null;

  @Column({ type: 'varchar', length: 100 })
  city: string;

  /** ISO 3166-1 alpha-2 */
  @Column({ type: 'char', length: 2 })
  country: string;

  @Column({ type: 'date' })
  checkInDate: string;

  @Column({ type: 'date' })
  checkOutDate: string;

  @Column({ type: 'integer' })
  nightsCount: number;

  @Column({ type: 'varchar', length: 100 })
  roomType: string;

  @Column({ type: 'integer', default: 1 })
  roomCount: number;

  @Column({ type: 'integer', default: 1 })
  guestCount: number;

  @Column({ type: 'integer', default: 1 })
  adultCount: number;

  @Column({ type: 'integer', default: 0 })
  childCount: number;

  @Column({ type: 'enum', enum: MEAL_PLANS, enumName: 'meal_plan', nullable: true })
  mealPlan: MealPlan | null;

  @Column({ type: 'boolean', default: true })
  isRefundable: boolean;

  @Column({ type: 'bigint', nullable: true, transformer: bigintTransformer })
  roomRatePerNightMinor: number | null;

  @Column({ type: 'varchar', length: 1000, nullable: true })
  specialRequests: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
