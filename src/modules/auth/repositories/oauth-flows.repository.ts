import { Injectable } from '@nestjs/common';
import { InjectEntityManager } from '@nestjs/typeorm';
import type { DeepPartial, EntityManager } from 'typeorm';
import { OAuthLoginFlowEntity } from '../entities/oauth-login-flow.entity.js';

export type TakenFlow = Pick<OAuthLoginFlowEntity, 'id' | 'state' | 'nonce' | 'codeVerifier'>;

/**
 * The SQL of oauth_login_flows: a started OpenID Connect sign-in, taken (read and deleted) once
 * by its id, provider and the SHA-256 of the browser's binding secret.
 */
@Injectable()
export class OAuthFlowsRepository {
  constructor(@InjectEntityManager() private readonly manager: EntityManager) {}

  create(values: DeepPartial<OAuthLoginFlowEntity>): OAuthLoginFlowEntity {
    return this.manager.create(OAuthLoginFlowEntity, values);
  }

  async save(flow: OAuthLoginFlowEntity): Promise<void> {
    await this.manager.save(flow);
  }

  async deleteExpired(): Promise<void> {
    await this.manager.query(`DELETE FROM oauth_login_flows WHERE expires_at < now()`);
  }

  /** Deletes the live flow and answers it; undefined when unknown, expired or not this binding. */
  async take(id: string, provider: string, bindingHash: string): Promise<TakenFlow | undefined> {
    const rows = (await this.manager.query(
      `DELETE FROM oauth_login_flows
        WHERE id = $1 AND provider = $2 AND binding_hash = $3 AND expires_at > now()
        RETURNING id, state, nonce, code_verifier AS "codeVerifier"`,
      [id, provider, bindingHash],
    )) as [TakenFlow[], number];
    return rows[0][0];
  }
}
