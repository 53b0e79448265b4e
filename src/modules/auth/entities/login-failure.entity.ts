import {
  Column,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  type Relation,
} from 'typeorm';
import { UserEntity } from './user.entity.js';

/**
 * Failed password sign-ins of one account from one client address, in a row. Keyed per
 * (account, address) so that someone guessing from one address locks only that pair and never
 * the owner signing in from elsewhere; the account-wide cap lives on `users`.
 */
@Entity('login_failures')
@Index('uq_login_failures_user_id_client_ip', ['userId', 'clientIp'], { unique: true })
export class LoginFailureEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  userId: string;

  @ManyToOne(() => UserEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user?: Relation<UserEntity>;

  /** The client address (TRUST_PROXY-aware), or `unknown`. */
  @Column({ type: 'varchar', length: 64 })
  clientIp: string;

  /** Failures in a row from this address; a successful sign-in from it deletes the row. */
  @Column({ type: 'integer', default: 0 })
  failures: number;

  /** Sign-ins of this account from this address are refused until then (escalating). */
  @Column({ type: 'timestamptz', nullable: true })
  lockedUntil: Date | null;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  lastFailedAt: Date;
}
