import {
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
  GENDERS,
  TRAVEL_FREQUENCIES,
  TRAVEL_PURPOSES,
  type Gender,
  type TravelFrequency,
  type TravelPurpose,
} from '#libs/common/travel-vocabulary.js';

export interface CommunicationPreferences {
  email?: boolean;
  sms?: boolean;
  push?: boolean;
}

/** One per user, created lazily on first read or write. */
@Entity('user_profiles')
export class UserProfileEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Index('uq_user_profiles_user_id', { unique: true })
  @Column({ type: 'uuid' })
  userId: string;

  /**
   * Foreign key only (ON DELETE CASCADE): `users` belongs to auth, referenced by entity name so
   * this module does not import auth. Never loaded; use `userId`.
   */
  @ManyToOne('UserEntity', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'fk_user_profiles_user_id' })
  readonly user?: unknown;

  @Column({ type: 'varchar', length: 100, nullable: true })
  firstName: string | null;

  @Column({ type: 'varchar', length: 100, nullable: true })
  middleName: string | null;

  @Column({ type: 'varchar', length: 100, nullable: true })
  lastName: string | null;

  @Column({ type: 'date', nullable: true })
  dateOfBirth: string | null;

  @Column({ type: 'enum', enum: GENDERS, enumName: 'user_profile_gender', nullable: true })
  gender: Gender | null;

  /** E.164. */
  @Column({ type: 'varchar', length: 20, nullable: true })
  phone: string | null;

  /** ISO 3166-1 alpha-2. */
  @Index('idx_user_profiles_nationality')
  @Column({ type: 'char', length: 2, nullable: true })
  nationality: string | null;

  /** ISO 3166-1 alpha-2. */
  @Column({ type: 'char', length: 2, nullable: true })
  countryOfResidence: string | null;

  @Column({ type: 'varchar', length: 100, nullable: true })
  city: string | null;

  /** IANA time zone. */
  @Column({ type: 'varchar', length: 64, default: 'UTC' })
  timezone: string;

  /** BCP 47. */
  @Column({ type: 'varchar', length: 35, default: 'en' })
  preferredLanguage: string;

  /** ISO 4217. */
  @Column({ type: 'char', length: 3, default: 'USD' })
  preferredCurrency: string;

  @Column({ type: 'jsonb', default: () => "'{}'" })
  communicationPreferences: CommunicationPreferences;

  /** IATA airline code → programme number. */
  @Column({ type: 'jsonb', default: () => "'{}'" })
  frequentFlyerNumbers: Record<string, string>;

  /** Hotel chain → programme number. */
  @Column({ type: 'jsonb', default: () => "'{}'" })
  hotelLoyaltyNumbers: Record<string, string>;

  @Column({
    type: 'enum',
    enum: TRAVEL_FREQUENCIES,
    enumName: 'user_profile_travel_frequency',
    nullable: true,
  })
  travelFrequency: TravelFrequency | null;

  @Column({
    type: 'enum',
    enum: TRAVEL_PURPOSES,
    enumName: 'user_profile_travel_purpose',
    nullable: true,
  })
  travelPurpose: TravelPurpose | null;

  @Column({ type: 'varchar', length: 255, nullable: true })
  emergencyContactName: string | null;

  /** E.164. */
  @Column({ type: 'varchar', length: 20, nullable: true })
  emergencyContactPhone: string | null;

  @Column({ type: 'varchar', length: 100, nullable: true })
  emergencyContactRelationship: string | null;

  @VersionColumn({ default: 1 })
  version: number;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
