import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { notFound, unprocessable } from '#libs/common/errors/problem.exception.js';
import { keysetPage, mapPage, type Page } from '#libs/common/pagination/pagination.js';
import { type IdentityResponseDto, toIdentityResponse } from '../dto/identity.dto.js';
import { ExternalIdentityEntity } from '../entities/external-identity.entity.js';
import { UserEntity } from '../entities/user.entity.js';
import { AuthEventsService } from './auth-events.service.js';
import type { RequestMeta } from './request-meta.js';

/** The caller's linked OpenID Connect identities. */
@Injectable()
export class IdentitiesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly events: AuthEventsService,
  ) {}

  async list(userId: string, limit?: number, cursor?: string): Promise<Page<IdentityResponseDto>> {
    const query = this.dataSource
      .getRepository(ExternalIdentityEntity)
      .createQueryBuilder('identity')
      .where('identity.userId = :userId', { userId });
    return mapPage(
      await keysetPage(query, { alias: 'identity', limit, cursor }),
      toIdentityResponse,
    );
  }

  /** Unlinks one, unless it is the last way to sign in (no password, no other identity). */
  async unlink(userId: string, id: string, meta: RequestMeta): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const user = await manager.findOne(UserEntity, {
        where: { id: userId },
        lock: { mode: 'pessimistic_write' },
      });
      const identity = await manager.findOne(ExternalIdentityEntity, { where: { id, userId } });
      if (!user || !identity) throw notFound('IDENTITY_NOT_FOUND', 'No such linked identity.');
      const others = await manager.count(ExternalIdentityEntity, { where: { userId } });
      if (!user.passwordHash && others <= 1) {
        throw unprocessable(
          'LAST_SIGN_IN_METHOD',
          'This is your only way to sign in; set a password or link another provider first.',
        );
      }
      await manager.delete(ExternalIdentityEntity, { id });
      await this.events.record(
        'oauth_unlinked',
        { userId, meta, metadata: { provider: identity.provider, issuer: identity.issuer } },
        manager,
      );
    });
  }
}
