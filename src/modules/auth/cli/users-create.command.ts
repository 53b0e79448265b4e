import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { isEmail } from 'class-validator';
import type { DataSource } from 'typeorm';
import { ROLES, type Role } from '#libs/common/auth/authenticated-user.js';
import { CliCommand, type CliArgs, type CliCommandHandler } from '#libs/common/cli/cli-command.js';
import { UserEntity } from '../entities/user.entity.js';
import { passwordPolicyViolation, PasswordService } from '../passwords/password.service.js';
import { AuthEventsService } from '../services/auth-events.service.js';

/**
 * `npm run cli -- users:create --email E --password P --role user|admin|compliance [--name N]`.
 * Creates an active, verified account with that role; when the email exists it only adds the
 * role (idempotent; the password of an existing account is left alone).
 */
@Injectable()
@CliCommand({
  name: 'users:create',
  description: 'Create an active user with a role, or add the role to an existing user',
  usage: '--email E --password P --role user|admin|compliance [--name "Full Name"]',
})
export class UsersCreateCommand implements CliCommandHandler {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly passwords: PasswordService,
    private readonly events: AuthEventsService,
  ) {}

  async run(args: CliArgs): Promise<string> {
    const email = typeof args.email === 'string' ? args.email.trim().toLowerCase() : '';
    const password = typeof args.password === 'string' ? args.password : '';
    const role = (typeof args.role === 'string' ? args.role : 'user') as Role;
    if (!isEmail(email)) throw new Error('--email must be an email address');
    if (!ROLES.includes(role)) throw new Error(`--role must be one of ${ROLES.join(', ')}`);
    const name = typeof args.name === 'string' ? args.name : email.split('@')[0];
    return this.dataSource.transaction(async (manager) => {
      const existing = await manager.findOne(UserEntity, {
        where: { email },
        lock: { mode: 'pessimistic_write' },
      });
      if (existing) {
        if (existing.roles.includes(role)) return `User ${email} already has role ${role}.`;
        existing.roles = [...existing.roles, role];
        await manager.save(existing);
        await this.events.record(
          'roles_changed',
          { userId: existing.id, metadata: { roles: existing.roles, source: 'cli' } },
          manager,
        );
        return `Added role ${role} to ${email}.`;
      }
      const violation = passwordPolicyViolation(password, email);
      if (violation) throw new Error(`--password ${violation}`);
      const user = manager.create(UserEntity, {
        email,
        fullName: name as string,
        passwordHash: await this.passwords.hash(password),
        status: 'active',
        emailVerifiedAt: new Date(),
        roles: [role],
      });
      await manager.save(user);
      await this.events.record(
        'register',
        { userId: user.id, metadata: { source: 'cli' } },
        manager,
      );
      return `Created ${role} ${email} (${user.id}).`;
    });
  }
}
