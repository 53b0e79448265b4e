import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  type Relation,
} from 'typeorm';
import { UserEntity } from './user.entity.js';

/**
 * One row per signed-in device. The row is the refresh-token family: every rotation replaces
 * `secretHash` (the previous one is kept for the grace window / reuse detection) and bumps
 * `rotationCounter`. Its id is the access token's `sid`.
 */
@Entity('refresh_sessions')
@Index('idx_refresh_sessions_user_id_created_at', ['userId', 'createdAt'])
export class RefreshSessionEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  userId: string;

  @ManyToOne(() => UserEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user?: Relation<UserEntity>;

  /** SHA-256 (hex) of the current refresh secret. */
  @Column({ type: 'varchar', length: 64 })
  secretHash: string;

  /** SHA-256 (hex) of the secret it replaced. */
  @Column({ type: 'varchar', length: 64, nullable: true })
  previousSecretHash: string | null;

  @Column({ type: 'integer', default: 0 })
  rotationCounter: number;

  /** When the current secret was issued (also the `iat` of the access token issued with it). */
  @Column({ type: 'timestamptz' })
  rotatedAt: Date;

  @Column({ type: 'varchar', length: 64, nullable: true })
  ip: string | null;

  @Column({ type: 'varchar', length: 512, nullable: true })
  userAgent: string | null;

  /** The sign-in that started this device session (or the latest step-up); refresh keeps it. */
  @Column({ type: 'timestamptz', default: () => 'now()' })
  authTime: Date;

  /** How the caller proved who they are (`pwd`, `otp`, `oidc`), carried as the tokens' `amr`. */
  @Column({ type: 'text', array: true, default: () => `'{}'` })
  amr: string[];

  /** When this device session passed a second factor (login code, enabling TOTP, step-up). */
  @Column({ type: 'timestamptz', nullable: true })
  mfaVerifiedAt: Date | null;

  /** `password`, `mfa`, `oidc:<provider>`, `cli`… */
  @Column({ type: 'varchar', length: 64 })
  method: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @Column({ type: 'timestamptz' })
  lastUsedAt: Date;

  @Column({ type: 'timestamptz' })
  idleExpiresAt: Date;

  @Column({ type: 'timestamptz' })
  absoluteExpiresAt: Date;

  @Column({ type: 'timestamptz', nullable: true })
  revokedAt: Date | null;

  /** `logout`, `logout_all`, `revoked`, `reuse`, `password_reset`, `password_change`, `admin`… */
  @Column({ type: 'varchar', length: 32, nullable: true })
  revokedReason: string | null;
}
