import { Injectable } from '@nestjs/common';
import { notFound, unprocessable } from '#libs/common/errors/problem.exception.js';
import { keysetPage, mapPage, type Page } from '#libs/common/pagination/pagination.js';
import { type IdentityResponseDto, toIdentityResponse } from '../dto/identity.dto.js';
import { IdentitiesRepository } from '../repositories/identities.repository.js';
import { UsersRepository } from '../repositories/users.repository.js';
import { AuthEventsService } from './auth-events.service.js';
import type { RequestMeta } from './request-meta.js';

/** The caller's linked OpenID Connect identities. */
@Injectable()
export class IdentitiesService {
  constructor(
    private readonly identities: IdentitiesRepository,
    private readonly users: UsersRepository,
    private readonly events: AuthEventsService,
  ) {}

  async list(userId: string, limit?: number, cursor?: string): Promise<Page<IdentityResponseDto>> {
    const query = this.identities.listQuery(userId);
    return mapPage(
      await keysetPage(query, { alias: 'identity', limit, cursor }),
      toIdentityResponse,
    );
  }

  /** Unlinks one, unless it is the last way to sign in (no password, no other identity). */
  async unlink(userId: string, id: string, meta: RequestMeta): Promise<void> {
    await this.users.transaction(async (users, manager) => {
      const identities = this.identities.withManager(manager);
      const user = await users.findByIdForUpdate(userId);
      const identity = await identities.findOwned(userId, id);
      if (!user || !identity) throw notFound('IDENTITY_NOT_FOUND', 'No such linked identity.');
      const others = await identities.countOwned(userId);
      if (!user.passwordHash && others <= 1) {
        throw unprocessable(
          'LAST_SIGN_IN_METHOD',
          'This is your only way to sign in; set a password or link another provider first.',
        );
      }
      await identities.deleteOwned(userId, id);
      await this.events.record(
        'oauth_unlinked',
        { userId, meta, metadata: { provider: identity.provider, issuer: identity.issuer } },
        manager,
      );
    });
  }
}
