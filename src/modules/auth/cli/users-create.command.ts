import { Injectable } from '@nestjs/common';
import { isEmail } from 'class-validator';
import type { EntityManager } from 'typeorm';
import { ROLES, type Role } from '#libs/common/auth/authenticated-user.js';
import { CliCommand, type CliArgs, type CliCommandHandler } from '#libs/common/cli/cli-command.js';
import type { UserEntity } from '../entities/user.entity.js';
import { passwordPolicyViolation, PasswordService } from '../passwords/password.service.js';
import { IdentitiesRepository } from '../repositories/identities.repository.js';
import { UsersRepository } from '../repositories/users.repository.js';
import { AuthEventsService } from '../services/auth-events.service.js';
import { DeviceSessionsService } from '../services/device-sessions.service.js';
import { LoginLockoutService } from '../services/login-lockout.service.js';
import { OneTimeTokenService } from '../services/one-time-token.service.js';
import { clearSecondFactor } from '../services/second-factor-reset.js';

/**
 * `npm run cli -- users:create --email E --password P --role user|admin|compliance [--name N]
 * [--reset-credentials]`. Creates an active, verified account with that role. For an existing
 * active, verified account it adds the role (idempotent; the password is left alone) and signs the
 * account out everywhere. Any other existing account (someone may have registered the address
 * first, with their own password) is refused and left unchanged, unless `--reset-credentials`:
 * then the given password replaces the old one, the email counts as verified, linked identities,
 * TOTP and backup codes are removed and every session is revoked before the role is added.
 */
@Injectable()
@CliCommand({
  name: 'users:create',
  description: 'Create an active user with a role, or add the role to an existing user',
  usage:
    '--email E --password P --role user|admin|compliance [--name "Full Name"] [--reset-credentials]',
})
export class UsersCreateCommand implements CliCommandHandler {
  constructor(
    private readonly users: UsersRepository,
    private readonly identities: IdentitiesRepository,
    private readonly oneTimeTokens: OneTimeTokenService,
    private readonly passwords: PasswordService,
    private readonly events: AuthEventsService,
    private readonly sessions: DeviceSessionsService,
    private readonly lockout: LoginLockoutService,
  ) {}

  async run(args: CliArgs): Promise<string> {
    const email = typeof args.email === 'string' ? args.email.trim().toLowerCase() : '';
    const password = typeof args.password === 'string' ? args.password : '';
    const role = (typeof args.role === 'string' ? args.role : 'user') as Role;
    const resetCredentials = args['reset-credentials'] === true;
    if (!isEmail(email)) throw new Error('--email must be an email address');
    if (!ROLES.includes(role)) throw new Error(`--role must be one of ${ROLES.join(', ')}`);
    const name = typeof args.name === 'string' ? args.name : email.split('@')[0];
    const violation = passwordPolicyViolation(password, email);
    return this.users.transaction(async (users, manager) => {
      const existing = await users.findByEmailForUpdate(email);
      if (existing) {
        const trusted = existing.status === 'active' && existing.emailVerifiedAt !== null;
        if (existing.status === 'deleted')
          throw new Error(`${email} belongs to an erased account.`);
        if (!trusted && !resetCredentials) {
          throw new Error(
            `${email} exists but is not an active, verified account (status ${existing.status}); ` +
              'nothing was changed. Re-run with --reset-credentials to replace its password, ' +
              'identities and second factor and sign it out everywhere.',
          );
        }
        if (resetCredentials) {
          if (violation) throw new Error(`--password ${violation}`);
          await this.resetCredentials(existing, password, users, manager);
        }
        if (existing.roles.includes(role)) {
          return resetCredentials
            ? `Reset the credentials of ${email}; it already has role ${role}.`
            : `User ${email} already has role ${role}.`;
        }
        existing.roles = [...existing.roles, role];
        await users.save(existing);
        // Granting a role starts over on every device (a staff role above all).
        await this.sessions.revokeAll(existing.id, 'roles_changed', undefined, manager);
        await this.events.record(
          'roles_changed',
          { userId: existing.id, metadata: { roles: existing.roles, source: 'cli' } },
          manager,
        );
        return resetCredentials
          ? `Reset the credentials of ${email} and added role ${role}.`
          : `Added role ${role} to ${email}.`;
      }
      if (violation) throw new Error(`--password ${violation}`);
      const user = users.create({
        email,
        fullName: name as string,
        passwordHash: await this.passwords.hash(password),
        status: 'active',
        emailVerifiedAt: new Date(),
        roles: [role],
      });
      await users.save(user);
      await this.events.record(
        'register',
        { userId: user.id, metadata: { source: 'cli' } },
        manager,
      );
      return `Created ${role} ${email} (${user.id}).`;
    });
  }

  /** The operator vouches for the address: nothing the previous holder set up survives. */
  private async resetCredentials(
    user: UserEntity,
    password: string,
    users: UsersRepository,
    manager: EntityManager,
  ): Promise<void> {
    const now = new Date();
    user.passwordHash = await this.passwords.hash(password);
    user.passwordChangedAt = now;
    user.emailVerifiedAt = now;
    if (user.status === 'pending_verification') user.status = 'active';
    clearSecondFactor(user);
    user.failedLoginCount = 0;
    user.lockedUntil = null;
    await users.save(user);
    await this.lockout.clearAll(user.id, manager);
    await this.identities.withManager(manager).deleteAllOf(user.id);
    await this.oneTimeTokens.deleteAllOf(user.id, manager);
    await this.sessions.revokeAll(user.id, 'credentials_reset', undefined, manager);
    await this.events.record(
      'password_reset_complete',
      { userId: user.id, metadata: { source: 'cli', resetCredentials: true } },
      manager,
    );
  }
}
