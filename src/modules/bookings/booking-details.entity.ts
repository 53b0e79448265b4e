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
import { CABIN_CLASSES, type CabinClass } from '#libs/common/travel-vocabulary.js';
import { bigintMinor } from './bigint.js';
import { BookingEntity } from './booking.entity.js';

export const MEAL_PLANS = [
  'room_only',
  'breakfast',
  'half_board',
  'full_board',
  'all_inclusive',
] as const;
export type MealPlan = (typeof MEAL_PLANS)[number];

export const ACTIVITY_TYPES = ['tour', 'attraction', 'experience', 'class', 'transfer'] as const;
export type ActivityType = (typeof ACTIVITY_TYPES)[number];

export interface FlightSegment {
  airlineCode: string;
  flightNumber: string;
  originAirport: string;
  destinationAirport: string;
  departureAt: string;
  arrivalAt: string;
}

export interface SeatAssignment {
  travelerId: string;
  seat: string;
}

export interface BaggageAllowance {
  cabinBags: number;
  checkedBags: number;
}

/** 1:1 with a flight booking: the key IS the booking id. */
@Entity('flight_bookings')
@Index('idx_flight_bookings_airline_code_flight_number', ['airlineCode', 'flightNumber'])
@Index('idx_flight_bookings_route', ['originAirport', 'destinationAirport'])
@Index('idx_flight_bookings_departure_at', ['departureAt'])
@Check('chk_flight_bookings_times', `"arrival_at" > "departure_at"`)
export class FlightBookingEntity {
  @PrimaryColumn({ type: 'uuid' })
  bookingId: string;

  @OneToOne(() => BookingEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'booking_id' })
  booking?: Relation<BookingEntity>;

  @Column({ type: 'varchar', length: 3 })
  airlineCode: string;

  @Column({ type: 'varchar', length: 10 })
  flightNumber: string;

  @Column({ type: 'varchar', length: 10, nullable: true })
  pnr: string | null;

  @Column({ type: 'char', length: 3 })
  originAirport: string;

  @Column({ type: 'char', length: 3 })
  destinationAirport: string;

  @Column({ type: 'timestamptz' })
  departureAt: Date;

  @Column({ type: 'timestamptz' })
  arrivalAt: Date;

  @Column({ type: 'enum', enum: CABIN_CLASSES, enumName: 'cabin_class' })
  cabinClass: CabinClass;

  @Column({ type: 'integer', nullable: true })
  totalDurationMinutes: number | null;

  @Column({ type: 'boolean', default: false })
  isRoundTrip: boolean;

  @Column({ type: 'integer', default: 1 })
  passengerCount: number;

  @Column({ type: 'integer', default: 0 })
  infantCount: number;

  @Column({ type: 'jsonb', default: () => "'[]'" })
  segments: FlightSegment[];

  @Column({ type: 'jsonb', default: () => "'[]'" })
  seatAssignments: SeatAssignment[];

  @Column({ type: 'jsonb', nullable: true })
  baggageAllowance: BaggageAllowance | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}

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

  @Column({ type: 'bigint', nullable: true, transformer: bigintMinor })
  roomRatePerNightMinor: number | null;

  @Column({ type: 'varchar', length: 1000, nullable: true })
  specialRequests: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}

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
