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

export const ONE_TIME_TOKEN_PURPOSES = [
  'email_verification',
  'password_reset',
  'mfa_challenge',
] as const;
export type OneTimeTokenPurpose = (typeof ONE_TIME_TOKEN_PURPOSES)[number];

/** Mailed or handed-out single-use tokens; only the SHA-256 of the token is stored. */
@Entity('one_time_tokens')
@Index('idx_one_time_tokens_user_id_purpose', ['userId', 'purpose'])
export class OneTimeTokenEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  userId: string;

  @ManyToOne(() => UserEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user?: Relation<UserEntity>;

  @Column({ type: 'enum', enum: ONE_TIME_TOKEN_PURPOSES, enumName: 'one_time_token_purpose' })
  purpose: OneTimeTokenPurpose;

  @Index('uq_one_time_tokens_token_hash', { unique: true })
  @Column({ type: 'varchar', length: 64 })
  tokenHash: string;

  @Column({ type: 'timestamptz' })
  expiresAt: Date;

  @Column({ type: 'timestamptz', nullable: true })
  usedAt: Date | null;

  /** Failed attempts against this token (MFA challenges). */
  @Column({ type: 'integer', default: 0 })
  attempts: number;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
