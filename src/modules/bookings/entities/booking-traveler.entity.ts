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
import { TRAVELER_TYPES, type TravelerType } from '#modules/travelers/traveler-type.js';
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

  @Column({ type: 'enum', enum: TRAVELER_TYPES, enumName: 'traveler_type' })
  travelerType: TravelerType;

  @Column({ type: 'jsonb', nullable: true })
  documentSnapshot: DocumentSnapshot | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
