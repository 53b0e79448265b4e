import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
  VersionColumn,
  JoinColumn,
  ManyToOne,
} from 'typeorm';
import {
  CABIN_CLASSES,
  SEAT_TYPES,
  type BedType,
  type CabinClass,
  type DietaryNeed,
  type MobilityNeed,
  type SeatType,
} from '#libs/common/travel-vocabulary.js';

export interface RoomPreferences {
  bedType?: BedType;
  smoking?: boolean;
  highFloor?: boolean;
  accessible?: boolean;
}

/** One per user, created lazily on first read or write. Budget stored as integer minor units. */
@Entity('travel_preferences')
@Check('chk_travel_preferences_hotel_class', '"preferred_hotel_class" BETWEEN 1 AND 5')
@Check('chk_travel_preferences_max_layovers', '"max_layovers" BETWEEN 0 AND 5')
@Check(
  'chk_travel_preferences_max_flight_duration',
  '"max_flight_duration_minutes" BETWEEN 30 AND 4320',
)
@Check(
  'chk_travel_preferences_budget',
  '("budget_currency" IS NULL AND "budget_min_minor" IS NULL AND "budget_max_minor" IS NULL) OR ' +
    '("budget_currency" IS NOT NULL AND "budget_min_minor" >= 0 AND "budget_max_minor" >= "budget_min_minor")',
)
export class TravelPreferencesEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Index('uq_travel_preferences_user_id', { unique: true })
  @Column({ type: 'uuid' })
  userId: string;

  /**
   * Foreign key only (ON DELETE CASCADE): `users` belongs to auth, referenced by entity name so
   * this module does not import auth. Never loaded; use `userId`.
   */
  @ManyToOne('UserEntity', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'fk_travel_preferences_user_id' })
  readonly user?: unknown;

  @Column({
    type: 'enum',
    enum: CABIN_CLASSES,
    enumName: 'cabin_class',
    nullable: true,
  })
  preferredCabinClass: CabinClass | null;

  @Column({
    type: 'enum',
    enum: SEAT_TYPES,
    enumName: 'seat_type',
    nullable: true,
  })
  preferredSeatType: SeatType | null;

  /** IATA airline codes. */
  @Column({ type: 'jsonb', default: () => "'[]'" })
  preferredAirlines: string[];

  @Column({ type: 'jsonb', default: () => "'[]'" })
  avoidedAirlines: string[];

  /** IATA airport codes. */
  @Column({ type: 'jsonb', default: () => "'[]'" })
  preferredAirports: string[];

  @Column({ type: 'integer', nullable: true })
  maxFlightDurationMinutes: number | null;

  @Column({ type: 'smallint', default: 1 })
  maxLayovers: number;

  /** Stars, 1–5. */
  @Column({ type: 'smallint', nullable: true })
  preferredHotelClass: number | null;

  @Column({ type: 'jsonb', default: () => "'[]'" })
  preferredHotelChains: string[];

  @Column({ type: 'jsonb', default: () => "'{}'" })
  roomPreferences: RoomPreferences;

  @Column({ type: 'jsonb', default: () => "'[]'" })
  activityInterests: string[];

  @Column({ type: 'jsonb', default: () => "'[]'" })
  dietaryRestrictions: DietaryNeed[];

  @Column({ type: 'jsonb', default: () => "'[]'" })
  mobilityRequirements: MobilityNeed[];

  @Column({ type: 'bigint', nullable: true })
  budgetMinMinor: string | null;

  @Column({ type: 'bigint', nullable: true })
  budgetMaxMinor: string | null;

  /** ISO 4217, set together with both budget amounts. */
  @Column({ type: 'char', length: 3, nullable: true })
  budgetCurrency: string | null;

  @Column({ type: 'boolean', default: true })
  priceAlertsEnabled: boolean;

  @Column({ type: 'boolean', default: true })
  dealNotificationsEnabled: boolean;

  @Column({ type: 'boolean', default: true })
  bookingRemindersEnabled: boolean;

  @VersionColumn({ default: 1 })
  version: number;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
