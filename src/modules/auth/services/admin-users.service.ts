import { Inject, Injectable, Optional } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import type { AuthenticatedUser, Role } from '#libs/common/auth/authenticated-user.js';
import { AUDIT_LOG, type AuditLog } from '#libs/common/compliance-ports.js';
import { unprocessable } from '#libs/common/errors/problem.exception.js';
import { keysetPage, mapPage } from '#libs/common/pagination/pagination.js';
import type { AdminUserPageDto, AdminUserQueryDto } from '../dto/admin-users.dto.js';
import { type AdminUserResponseDto, toAdminUserResponse } from '../dto/user-response.dto.js';
import { UserEntity, type UserStatus } from '../entities/user.entity.js';
import { AuthEventsService } from './auth-events.service.js';
import type { RequestMeta } from './request-meta.js';
import { DeviceSessionsService } from './device-sessions.service.js';
import { userNotFound } from './users.service.js';

/** Account administration (role admin). Every change is an auth event and, when present, audited. */
@Injectable()
export class AdminUsersService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly sessions: DeviceSessionsService,
    private readonly events: AuthEventsService,
    @Optional() @Inject(AUDIT_LOG) private readonly audit?: AuditLog,
  ) {}

  async list(query: AdminUserQueryDto): Promise<AdminUserPageDto> {
    const builder = this.dataSource.getRepository(UserEntity).createQueryBuilder('user');
    if (query.status) builder.andWhere('user.status = :status', { status: query.status });
    if (query.role) builder.andWhere(':role = ANY(user.roles)', { role: query.role });
    if (query.email) builder.andWhere('user.email = :email', { email: query.email });
    const page = await keysetPage(builder, {
      alias: 'user',
      limit: query.limit,
      cursor: query.cursor,
    });
    return mapPage(page, toAdminUserResponse);
  }

  async get(id: string): Promise<AdminUserResponseDto> {
    const user = await this.dataSource.manager.findOne(UserEntity, { where: { id } });
    if (!user) throw userNotFound();
    return toAdminUserResponse(user);
  }

  async setStatus(
    actor: AuthenticatedUser,
    id: string,
    status: UserStatus,
    meta: RequestMeta,
    requestId: string | null,
  ): Promise<AdminUserResponseDto> {
    if (id === actor.id) {
      throw unprocessable('CANNOT_MODIFY_SELF', 'Admins cannot change their own status.');
    }
    return this.change(actor, id, 'user.status_change', requestId, async (user, manager) => {
      const previous = user.status;
      user.status = status;
      await manager.save(user);
      if (status === 'deleted') await this.sessions.revokeAll(user.id, 'admin', undefined, manager);
      await this.events.record(
        'status_changed',
        { userId: user.id, meta, metadata: { from: previous, to: status, actorId: actor.id } },
        manager,
      );
    });
  }

  async setRoles(
    actor: AuthenticatedUser,
    id: string,
    roles: Role[],
    meta: RequestMeta,
    requestId: string | null,
  ): Promise<AdminUserResponseDto> {
    if (id === actor.id && !roles.includes('admin')) {
      throw unprocessable('CANNOT_MODIFY_SELF', 'Admins cannot remove their own admin role.');
    }
    return this.change(actor, id, 'user.roles_change', requestId, async (user, manager) => {
      const previous = user.roles;
      user.roles = [...roles];
      await manager.save(user);
      await this.events.record(
        'roles_changed',
        { userId: user.id, meta, metadata: { from: previous, to: roles, actorId: actor.id } },
        manager,
      );
    });
  }

  async unlock(
    actor: AuthenticatedUser,
    id: string,
    meta: RequestMeta,
    requestId: string | null,
  ): Promise<AdminUserResponseDto> {
    return this.change(actor, id, 'user.unlock', requestId, async (user, manager) => {
      user.failedLoginCount = 0;
      user.lockedUntil = null;
      await manager.save(user);
      await this.events.record(
        'account_unlocked',
        { userId: user.id, meta, metadata: { actorId: actor.id } },
        manager,
      );
    });
  }

  private async change(
    actor: AuthenticatedUser,
    id: string,
    action: string,
    requestId: string | null,
    apply: (user: UserEntity, manager: EntityManager) => Promise<void>,
  ): Promise<AdminUserResponseDto> {
    return this.dataSource.transaction(async (manager) => {
      const user = await manager.findOne(UserEntity, {
        where: { id },
        lock: { mode: 'pessimistic_write' },
      });
      if (!user) throw userNotFound();
      await apply(user, manager);
      await this.audit?.record(
        {
          actorId: actor.id,
          actorRoles: actor.roles,
          action,
          subjectId: user.id,
          resourceType: 'user',
          resourceId: user.id,
          requestId,
        },
        manager,
      );
      return toAdminUserResponse(user);
    });
  }
}
