import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { registerConstraint } from '#libs/common/errors/constraint-codes.js';
import { AUTH_ENTITIES } from './auth.entities.js';
import { UsersCreateCommand } from './cli/users-create.command.js';
import { AuthReencryptionTarget } from './services/auth-reencryption.target.js';
import { ConsoleSessionController } from './console/console-session.controller.js';
import { AdminUsersController } from './controllers/admin-users.controller.js';
import { AuthController } from './controllers/auth.controller.js';
import { MfaController } from './controllers/mfa.controller.js';
import { OAuthController } from './controllers/oauth.controller.js';
import { DeviceSessionsController } from './controllers/device-sessions.controller.js';
import { MailerModule } from './mailer/user-mail.js';
import { AuthEventsRepository } from './repositories/auth-events.repository.js';
import { DeviceSessionsRepository } from './repositories/device-sessions.repository.js';
import { IdentitiesRepository } from './repositories/identities.repository.js';
import { LoginFailuresRepository } from './repositories/login-failures.repository.js';
import { OAuthFlowsRepository } from './repositories/oauth-flows.repository.js';
import { OneTimeTokensRepository } from './repositories/one-time-tokens.repository.js';
import { SessionLivenessRepository } from './repositories/session-liveness.repository.js';
import { UsersRepository } from './repositories/users.repository.js';
import { PasswordService } from './passwords/password.service.js';
import { AuthPersonalDataContributor } from './privacy/auth-personal-data.contributor.js';
import { AdminUsersService } from './services/admin-users.service.js';
import { AuthEventsService } from './services/auth-events.service.js';
import { AuthService } from './services/auth.service.js';
import { IdentitiesService } from './services/identities.service.js';
import { JwtBearerAuthenticator } from './services/jwt-bearer.authenticator.js';
import { LoginLockoutService } from './services/login-lockout.service.js';
import { MfaService } from './services/mfa.service.js';
import { OAuthService } from './services/oauth.service.js';
import { OneTimeTokenService } from './services/one-time-token.service.js';
import { SubjectDirectoryService } from './services/subject-directory.service.js';
import { StepUpService } from './services/step-up.service.js';
import { DeviceSessionsService } from './services/device-sessions.service.js';
import { TokenService } from './services/token.service.js';
import { UsersService } from './services/users.service.js';

registerConstraint('uq_users_email', 409, 'EMAIL_TAKEN', 'This email is already registered.');
registerConstraint(
  'uq_external_identities_issuer_subject',
  409,
  'IDENTITY_ALREADY_LINKED',
  'This external identity is already linked to an account.',
);

/** Accounts, sign-in (password, TOTP, OpenID Connect), sessions, and the bearer-token authenticator. */
@Module({
  imports: [DiscoveryModule, TypeOrmModule.forFeature(AUTH_ENTITIES), MailerModule],
  controllers: [
    AuthController,
    MfaController,
    OAuthController,
    DeviceSessionsController,
    AdminUsersController,
    ConsoleSessionController,
  ],
  providers: [
    PasswordService,
    TokenService,
    AuthEventsService,
    OneTimeTokenService,
    UsersService,
    DeviceSessionsService,
    AuthService,
    MfaService,
    LoginLockoutService,
    StepUpService,
    AdminUsersService,
    OAuthService,
    IdentitiesService,
    JwtBearerAuthenticator,
    UsersCreateCommand,
    AuthReencryptionTarget,
    AuthPersonalDataContributor,
    SubjectDirectoryService,
    SessionLivenessRepository,
    UsersRepository,
    AuthEventsRepository,
    OneTimeTokensRepository,
    LoginFailuresRepository,
    DeviceSessionsRepository,
    IdentitiesRepository,
    OAuthFlowsRepository,
  ],
  exports: [
    AuthService,
    UsersCreateCommand,
    MailerModule,
    SubjectDirectoryService,
    JwtBearerAuthenticator,
  ],
})
export class AuthModule {}
