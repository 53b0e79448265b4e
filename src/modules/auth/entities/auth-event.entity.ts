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

/** The original's AuthEventType, completed with the events this module really emits. */
export const AUTH_EVENT_TYPES = [
  'register',
  'email_verified',
  'login_success',
  'login_failed',
  'logout',
  'logout_all',
  'session_revoked',
  'token_refresh',
  'refresh_reuse',
  'password_reset_request',
  'password_reset_complete',
  'password_changed',
  'account_locked',
  'account_unlocked',
  'mfa_enabled',
  'mfa_disabled',
  'mfa_challenge_success',
  'mfa_challenge_failed',
  'oauth_login',
  'oauth_linked',
  'oauth_unlinked',
  'status_changed',
  'roles_changed',
  'reauthenticated',
  'reauthentication_failed',
  'mfa_reset',
  'account_lock_alert',
] as const;
export type AuthEventType = (typeof AUTH_EVENT_TYPES)[number];

@Entity('auth_events')
@Index('idx_auth_events_user_id_created_at', ['userId', 'createdAt'])
export class AuthEventEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** Null for attempts against unknown emails. */
  @Column({ type: 'uuid', nullable: true })
  userId: string | null;

  @ManyToOne(() => UserEntity, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'user_id' })
  user?: Relation<UserEntity> | null;

  @Column({ type: 'enum', enum: AUTH_EVENT_TYPES, enumName: 'auth_event_type' })
  type: AuthEventType;

  @Column({ type: 'varchar', length: 64, nullable: true })
  ip: string | null;

  @Column({ type: 'varchar', length: 512, nullable: true })
  userAgent: string | null;

  @Column({ type: 'uuid', nullable: true })
  sessionId: string | null;

  @Column({ type: 'jsonb', default: () => "'{}'" })
  metadata: Record<string, unknown>;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
