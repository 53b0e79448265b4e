import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import type { Role } from '#libs/common/auth/authenticated-user.js';

/**
 * Account states. The original's `inactive` is dropped (it meant nothing `suspended` does not),
 * and the original's `active` default is replaced: new local accounts wait for verification.
 */
export const USER_STATUSES = ['pending_verification', 'active', 'suspended', 'deleted'] as const;
export type UserStatus = (typeof USER_STATUSES)[number];

@Entity('users')
@Check('chk_users_email_lower', `"email" = lower("email")`)
@Check(
  'chk_users_roles',
  `cardinality("roles") > 0 AND "roles" <@ ARRAY['user','admin','compliance']::text[]`,
)
@Index('idx_users_created_at_id', ['createdAt', 'id'])
// Erased accounts' empty rows, for the retention purge (a few among millions: no full scan).
@Index('idx_users_deleted_updated_at', ['updatedAt'], { where: `"status" = 'deleted'` })
export class UserEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** Stored lower-cased (CHECKed), so the plain unique constraint is case-insensitive. */
  @Index('uq_users_email', { unique: true })
  @Column({ type: 'varchar', length: 254 })
  email: string;

  /** argon2id; null for accounts that only sign in through OpenID Connect. */
  @Column({ type: 'text', nullable: true })
  passwordHash: string | null;

  @Column({ type: 'varchar', length: 200 })
  fullName: string;

  @Column({
    type: 'enum',
    enum: USER_STATUSES,
    enumName: 'user_status',
    default: 'pending_verification',
  })
  status: UserStatus;

  @Column({ type: 'text', array: true, default: () => `'{user}'` })
  roles: Role[];

  @Column({ type: 'timestamptz', nullable: true })
  emailVerifiedAt: Date | null;

  /**
   * Failed password logins from all addresses together in the window that started at
   * `failedLoginWindowStartedAt` (an hour); reset by password reset and unlock.
   */
  @Column({ type: 'integer', default: 0 })
  failedLoginCount: number;

  @Column({ type: 'timestamptz', nullable: true })
  failedLoginWindowStartedAt: Date | null;

  /** Account-wide lock (LOGIN_MAX_FAILURES_PER_ACCOUNT reached): no address may sign in. */
  @Column({ type: 'timestamptz', nullable: true })
  lockedUntil: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  lastLoginAt: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  passwordChangedAt: Date | null;

  /** TOTP secret, AES-256-GCM encrypted (libs/common/crypto); set at setup, live once enabled. */
  @Column({ type: 'text', nullable: true })
  mfaTotpSecret: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  mfaEnabledAt: Date | null;

  /** HMAC-SHA256 hashes of the unused backup codes. */
  @Column({ type: 'text', array: true, default: () => `'{}'` })
  mfaBackupCodeHashes: string[];

  /** Last accepted TOTP time step (replay protection). */
  @Column({ type: 'bigint', nullable: true })
  mfaLastTimeStep: string | null;

  /** Wrong second-factor codes in a row (across challenges); a correct code resets it. */
  @Column({ type: 'integer', default: 0 })
  mfaFailedCount: number;

  /** Second-factor attempts are refused until then (escalating). */
  @Column({ type: 'timestamptz', nullable: true })
  mfaLockedUntil: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
