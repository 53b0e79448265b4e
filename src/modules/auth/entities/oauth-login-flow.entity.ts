import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * Server-side half of one OpenID Connect authorization request: state, nonce and PKCE verifier
 * stay here; the browser only holds a cookie with the row id and a binding secret (hashed here).
 */
@Entity('oauth_login_flows')
@Index('idx_oauth_login_flows_expires_at', ['expiresAt'])
export class OAuthLoginFlowEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'varchar', length: 64 })
  provider: string;

  @Column({ type: 'varchar', length: 64 })
  bindingHash: string;

  @Column({ type: 'varchar', length: 128 })
  state: string;

  @Column({ type: 'varchar', length: 128 })
  nonce: string;

  /** PKCE verifier, AES-256-GCM encrypted. */
  @Column({ type: 'text' })
  codeVerifier: string;

  @Column({ type: 'timestamptz' })
  expiresAt: Date;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
