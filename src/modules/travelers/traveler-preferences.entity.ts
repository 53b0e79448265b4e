import {
  Column,
  CreateDateColumn,
  Entity,
  JoinColumn,
  OneToOne,
  PrimaryColumn,
  type Relation,
  UpdateDateColumn,
} from 'typeorm';
import {
  CABIN_CLASSES,
  SEAT_TYPES,
  type CabinClass,
  type SeatType,
} from '#libs/common/travel-vocabulary.js';
import { TravelerEntity } from './traveler.entity.js';

export const SEAT_LOCATIONS = ['front', 'middle', 'back', 'any'] as const;
export type SeatLocation = (typeof SEAT_LOCATIONS)[number];

/** One row per traveler, created on the first PUT. */
@Entity('traveler_preferences')
export class TravelerPreferencesEntity {
  @PrimaryColumn({ type: 'uuid' })
  travelerId: string;

  @OneToOne(() => TravelerEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'traveler_id' })
  traveler?: Relation<TravelerEntity>;

  @Column({ type: 'enum', enum: CABIN_CLASSES, enumName: 'cabin_class', nullable: true })
  cabinClass: CabinClass | null;

  @Column({ type: 'enum', enum: SEAT_TYPES, enumName: 'seat_type', nullable: true })
  seatType: SeatType | null;

  @Column({ type: 'enum', enum: SEAT_LOCATIONS, enumName: 'seat_location', nullable: true })
  seatLocation: SeatLocation | null;

  @Column({ type: 'boolean', default: false })
  extraLegroom: boolean;

  @Column({ type: 'varchar', length: 50, nullable: true })
  mealPreference: string | null;

  @Column({ type: 'text', array: true, default: () => "'{}'" })
  foodAllergies: string[];

  @Column({ type: 'boolean', default: false })
  wheelchairAssistance: boolean;

  @Column({ type: 'boolean', default: false })
  visualAssistance: boolean;

  @Column({ type: 'boolean', default: false })
  hearingAssistance: boolean;

  @Column({ type: 'varchar', length: 1000, nullable: true })
  specialAssistanceNotes: string | null;

  /** BCP 47 language tag */
  @Column({ type: 'varchar', length: 35, nullable: true })
  preferredLanguage: string | null;

  @Column({ type: 'text', array: true, default: () => "'{}'" })
  activityInterests: string[];

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
