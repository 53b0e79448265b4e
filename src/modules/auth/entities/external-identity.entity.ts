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
import { AUTH_PROVIDER_KINDS, type ExternalProviderKind } from '../auth-provider-kind.js';
import { UserEntity } from './user.entity.js';

/** An OpenID Connect identity (issuer + subject) linked to an account. */
@Entity('external_identities')
@Index('uq_external_identities_issuer_subject', ['issuer', 'subject'], { unique: true })
@Index('idx_external_identities_user_id', ['userId'])
export class ExternalIdentityEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  userId: string;

  @ManyToOne(() => UserEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user?: Relation<UserEntity>;

  /** Configured provider name (`google`, …). */
  @Column({ type: 'varchar', length: 64 })
  provider: string;

  /** What kind of provider it is (`auth_provider`: google, microsoft, …, `oidc` for others). */
  @Column({ type: 'enum', enum: AUTH_PROVIDER_KINDS, enumName: 'auth_provider', default: 'oidc' })
  providerKind: ExternalProviderKind;

  @Column({ type: 'varchar', length: 512 })
  issuer: string;

  @Column({ type: 'varchar', length: 255 })
  subject: string;

  /** The email the provider asserted at link time (informational only). */
  @Column({ type: 'varchar', length: 254, nullable: true })
  email: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @Column({ type: 'timestamptz', nullable: true })
  lastUsedAt: Date | null;
}
