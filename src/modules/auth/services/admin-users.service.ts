import { Inject, Injectable, Optional } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { AuthenticatedUser, Role } from '#libs/common/auth/authenticated-user.js';
import { AUDIT_LOG, type AuditLog } from '#libs/common/compliance-ports.js';
import { conflict, forbidden, unprocessable } from '#libs/common/errors/problem.exception.js';
import { keysetPage, mapPage } from '#libs/common/pagination/pagination.js';
import type { AdminUserPageDto, AdminUserQueryDto } from '../dto/admin-users.dto.js';
import { type AdminUserResponseDto, toAdminUserResponse } from '../dto/user-response.dto.js';
import type { UserEntity, UserStatus } from '../entities/user.entity.js';
import { UsersRepository } from '../repositories/users.repository.js';
import { AuthEventsService } from './auth-events.service.js';
import { LoginLockoutService } from './login-lockout.service.js';
import type { RequestMeta } from './request-meta.js';
import { DeviceSessionsService } from './device-sessions.service.js';
import { clearSecondFactor } from './second-factor-reset.js';
import { userNotFound } from './users.service.js';

const lastAdmin = () =>
  conflict('LAST_ADMIN', 'This is the last active admin; another admin must exist first.');

/** Who reads or changes accounts, for the audit trail. */
export interface AdminActor {
  user: AuthenticatedUser;
  requestId: string | null;
}

/** Account administration (role admin). Every change is an auth event and, when present, audited. */
@Injectable()
export class AdminUsersService {
  constructor(
    private readonly users: UsersRepository,
    private readonly sessions: DeviceSessionsService,
    private readonly events: AuthEventsService,
    private readonly lockout: LoginLockoutService,
    @Optional() @Inject(AUDIT_LOG) private readonly audit?: AuditLog,
  ) {}

  /** An audited read of the account list (staff reading other people's data). */
  async list(query: AdminUserQueryDto, actor?: AdminActor): Promise<AdminUserPageDto> {
    if (actor) await this.auditRead(actor, 'user.list', null);
    const builder = this.users.listQuery(query);
    const page = await keysetPage(builder, {
      alias: 'user',
      limit: query.limit,
      cursor: query.cursor,
    });
    return mapPage(page, toAdminUserResponse);
  }

  /** An audited read of one account. */
  async get(id: string, actor?: AdminActor): Promise<AdminUserResponseDto> {
    const user = await this.users.findById(id);
    if (!user) throw userNotFound();
    if (actor) await this.auditRead(actor, 'user.viewed', user.id);
    return toAdminUserResponse(user);
  }

  /**
   * Removes the account's TOTP and backup codes and signs every device out (a lost
   * authenticator); the reason goes to the audit trail. Nobody resets their own.
   */
  async resetMfa(
    actor: AuthenticatedUser,
    id: string,
    reason: string,
    meta: RequestMeta,
    requestId: string | null,
  ): Promise<AdminUserResponseDto> {
    if (id === actor.id) {
      throw forbidden('SELF_MFA_RESET', 'Use POST /auth/mfa/totp/disable for your own account.');
    }
    return this.change(
      actor,
      id,
      'user.mfa_reset',
      requestId,
      async (user, accounts, manager) => {
        clearSecondFactor(user);
        await accounts.save(user);
        await this.sessions.revokeAll(user.id, 'mfa_reset', undefined, manager);
        await this.events.record(
          'mfa_reset',
          { userId: user.id, meta, metadata: { actorId: actor.id } },
          manager,
        );
      },
      reason,
    );
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
    return this.change(
      actor,
      id,
      'user.status_change',
      requestId,
      async (user, accounts, manager) => {
        if (status !== 'active' && user.status === 'active' && user.roles.includes('admin')) {
          await this.assertAnotherActiveAdmin(user.id, accounts);
        }
        const previous = user.status;
        user.status = status;
        await accounts.save(user);
        if (status === 'deleted')
          await this.sessions.revokeAll(user.id, 'admin', undefined, manager);
        await this.events.record(
          'status_changed',
          { userId: user.id, meta, metadata: { from: previous, to: status, actorId: actor.id } },
          manager,
        );
      },
    );
  }

  async setRoles(
    actor: AuthenticatedUser,
    id: string,
    roles: Role[],
    meta: RequestMeta,
    requestId: string | null,
  ): Promise<AdminUserResponseDto> {
    if (id === actor.id) {
      throw forbidden('SELF_ROLE_CHANGE', 'Nobody changes their own roles; ask another admin.');
    }
    return this.change(
      actor,
      id,
      'user.roles_change',
      requestId,
      async (user, accounts, manager) => {
        // Serialised with every other admin change: the actor must still be an active admin, and
        // an active admin must remain (two admins demoting each other cannot leave none).
        await accounts.lockAdminChanges();
        if (user.roles.includes('admin') && !roles.includes('admin') && user.status === 'active') {
          await this.assertAnotherActiveAdmin(user.id, accounts);
        }
        if (!(await accounts.isActiveAdmin(actor.id)))
          throw forbidden('FORBIDDEN_ROLE', 'Your role does not allow this action.');
        const previous = user.roles;
        const changed =
          previous.length !== roles.length || previous.some((role) => !roles.includes(role));
        user.roles = [...roles];
        await accounts.save(user);
        // A role change (granting staff above all) starts over on every device.
        if (changed) await this.sessions.revokeAll(user.id, 'roles_changed', undefined, manager);
        await this.events.record(
          'roles_changed',
          { userId: user.id, meta, metadata: { from: previous, to: roles, actorId: actor.id } },
          manager,
        );
      },
    );
  }

  async unlock(
    actor: AuthenticatedUser,
    id: string,
    meta: RequestMeta,
    requestId: string | null,
  ): Promise<AdminUserResponseDto> {
    return this.change(actor, id, 'user.unlock', requestId, async (user, accounts, manager) => {
      user.failedLoginCount = 0;
      user.lockedUntil = null;
      await accounts.save(user);
      await this.lockout.clearAll(user.id, manager);
      await this.events.record(
        'account_unlocked',
        { userId: user.id, meta, metadata: { actorId: actor.id } },
        manager,
      );
    });
  }

  /** Serialised with every other admin change (a transaction-scoped lock), across instances. */
  private async assertAnotherActiveAdmin(userId: string, accounts: UsersRepository): Promise<void> {
    await accounts.lockAdminChanges();
    if (!(await accounts.hasOtherActiveAdmin(userId))) throw lastAdmin();
  }

  private async auditRead(
    actor: AdminActor,
    action: string,
    subjectId: string | null,
  ): Promise<void> {
    await this.audit?.record({
      actorId: actor.user.id,
      actorRoles: actor.user.roles,
      action,
      subjectId,
      resourceType: 'user',
      resourceId: subjectId,
      requestId: actor.requestId,
    });
  }

  private async change(
    actor: AuthenticatedUser,
    id: string,
    action: string,
    requestId: string | null,
    apply: (user: UserEntity, accounts: UsersRepository, manager: EntityManager) => Promise<void>,
    reason: string | null = null,
  ): Promise<AdminUserResponseDto> {
    return this.users.transaction(async (accounts, manager) => {
      const user = await accounts.findByIdForUpdate(id);
      if (!user) throw userNotFound();
      await apply(user, accounts, manager);
      await this.audit?.record(
        {
          actorId: actor.id,
          actorRoles: actor.roles,
          action,
          subjectId: user.id,
          resourceType: 'user',
          resourceId: user.id,
          reason,
          requestId,
        },
        manager,
      );
      return toAdminUserResponse(user);
    });
  }
}
