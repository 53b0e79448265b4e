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
import {
  type BaggageAllowance,
  type FlightSegment,
  type SeatAssignment,
} from '../booking-details.vocabulary.js';
import { BookingEntity } from './booking.entity.js';

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
