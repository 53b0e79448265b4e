import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
  VersionColumn,
} from 'typeorm';
import { GENDERS, type Gender } from '#libs/common/travel-vocabulary.js';

export const TRAVELER_STATUSES = ['active', 'inactive', 'archived'] as const;
export type TravelerStatus = (typeof TRAVELER_STATUSES)[number];

export const RELATIONSHIPS_TO_USER = [
  'self',
  'spouse',
  'partner',
  'child',
  'parent',
  'sibling',
  'relative',
  'friend',
  'colleague',
  'other',
] as const;
export type RelationshipToUser = (typeof RELATIONSHIPS_TO_USER)[number];

export const GUARDIAN_RELATIONSHIPS = ['parent', 'legal_guardian', 'other'] as const;
export type GuardianRelationship = (typeof GUARDIAN_RELATIONSHIPS)[number];

export interface FrequentFlyerNumber {
  airlineCode: string;
  number: string;
}

/**
 * A person a user travels with (possibly the user themself: at most one primary). The traveler
 * type is derived from the birth date when read, never stored, so it cannot go stale.
 */
@Entity('travelers')
@Index('idx_travelers_user_id_created_at_id', ['userId', 'createdAt', 'id'])
@Index('uq_travelers_user_id_primary', ['userId'], {
  unique: true,
  where: `"is_primary" AND "status" <> 'archived'`,
})
export class TravelerEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  userId: string;

  // The FK to users, by entity name: no feature module imports auth.
  @ManyToOne('UserEntity', { onDelete: 'CASCADE', nullable: false })
  @JoinColumn({ name: 'user_id' })
  user?: { id: string };

  @Column({ type: 'varchar', length: 100 })
  firstName: string;

  @Column({ type: 'varchar', length: 100, nullable: true })
  middleName: string | null;

  @Column({ type: 'varchar', length: 100 })
  lastName: string;

  @Column({ type: 'date', nullable: true })
  dateOfBirth: string | null;

  @Column({ type: 'enum', enum: GENDERS, enumName: 'gender', nullable: true })
  gender: Gender | null;

  /** ISO 3166-1 alpha-2 */
  @Column({ type: 'char', length: 2, nullable: true })
  nationality: string | null;

  @Column({ type: 'char', length: 2, nullable: true })
  countryOfResidence: string | null;

  @Column({ type: 'varchar', length: 254, nullable: true })
  email: string | null;

  @Column({ type: 'varchar', length: 32, nullable: true })
  phone: string | null;

  @Column({ type: 'varchar', length: 200, nullable: true })
  emergencyContactName: string | null;

  @Column({ type: 'varchar', length: 32, nullable: true })
  emergencyContactPhone: string | null;

  @Column({
    type: 'enum',
    enum: RELATIONSHIPS_TO_USER,
    enumName: 'traveler_relationship',
    nullable: true,
  })
  relationshipToUser: RelationshipToUser | null;

  @Column({ type: 'boolean', default: false })
  isPrimary: boolean;

  @Column({ type: 'enum', enum: TRAVELER_STATUSES, enumName: 'traveler_status', default: 'active' })
  status: TravelerStatus;

  @Column({ type: 'text', array: true, default: () => "'{}'" })
  dietaryRestrictions: string[];

  @Column({ type: 'text', array: true, default: () => "'{}'" })
  accessibilityNeeds: string[];

  @Column({ type: 'varchar', length: 1000, nullable: true })
  specialNeeds: string | null;

  @Column({ type: 'jsonb', default: () => "'[]'" })
  frequentFlyerNumbers: FrequentFlyerNumber[];

  /** Who gave guardian consent for a minor (the decision itself lives in the consent ledger). */
  @Column({ type: 'varchar', length: 200, nullable: true })
  guardianName: string | null;

  @Column({
    type: 'enum',
    enum: GUARDIAN_RELATIONSHIPS,
    enumName: 'guardian_relationship',
    nullable: true,
  })
  guardianRelationship: GuardianRelationship | null;

  @VersionColumn({ default: 1 })
  version: number;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
