import { Injectable } from '@nestjs/common';
import { InjectEntityManager } from '@nestjs/typeorm';
import type { DeepPartial, EntityManager, SelectQueryBuilder } from 'typeorm';
import { ExternalIdentityEntity } from '../entities/external-identity.entity.js';

/**
 * The SQL of external_identities (linked OpenID Connect identities). A user's identities are read
 * and removed with the owner id; the sign-in lookup is by (issuer, subject), which is how a
 * provider names the person. `withManager` runs it in a caller's transaction.
 */
@Injectable()
export class IdentitiesRepository {
  constructor(@InjectEntityManager() private readonly manager: EntityManager) {}

  /** This repository bound to `manager` (a transaction's). */
  withManager(manager: EntityManager): IdentitiesRepository {
    return new IdentitiesRepository(manager);
  }

  /** The owner's identities; keysetPage orders and limits them. */
  listQuery(userId: string): SelectQueryBuilder<ExternalIdentityEntity> {
    return this.manager
      .getRepository(ExternalIdentityEntity)
      .createQueryBuilder('identity')
      .where('identity.userId = :userId', { userId });
  }

  findOwned(userId: string, id: string): Promise<ExternalIdentityEntity | null> {
    return this.manager.findOne(ExternalIdentityEntity, { where: { id, userId } });
  }

  countOwned(userId: string): Promise<number> {
    return this.manager.count(ExternalIdentityEntity, { where: { userId } });
  }

  async deleteOwned(userId: string, id: string): Promise<void> {
    await this.manager.delete(ExternalIdentityEntity, { id, userId });
  }

  /** Deletes every identity linked to the user. */
  async deleteAllOf(userId: string): Promise<void> {
    await this.manager.query(`DELETE FROM external_identities WHERE user_id = $1`, [userId]);
  }

  /** The identity a provider's (issuer, subject) names, whoever's it is (sign-in). */
  findByIssuerSubject(issuer: string, subject: string): Promise<ExternalIdentityEntity | null> {
    return this.manager.findOne(ExternalIdentityEntity, { where: { issuer, subject } });
  }

  async touch(id: string, at: Date): Promise<void> {
    await this.manager.update(ExternalIdentityEntity, { id }, { lastUsedAt: at });
  }

  async insert(values: DeepPartial<ExternalIdentityEntity>): Promise<void> {
    await this.manager.insert(ExternalIdentityEntity, values);
  }
}
