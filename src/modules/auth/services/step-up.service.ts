import { Injectable } from '@nestjs/common';
import { badRequest, forbidden } from '#libs/common/errors/problem.exception.js';
import type { ReauthenticateDto } from '../dto/auth.dto.js';
import type { TokenPairDto } from '../dto/token-pair.dto.js';
import { PasswordService } from '../passwords/password.service.js';
import { AuthEventsService } from './auth-events.service.js';
import { DeviceSessionsService } from './device-sessions.service.js';
import { invalidMfaCode, MfaService } from './mfa.service.js';
import type { RequestMeta } from './request-meta.js';
import { UsersService } from './users.service.js';

/**
 * `POST /auth/reauthenticate`: the signed-in caller proves who they are again and the device
 * session gets `auth_time` now. What must be proven is what the account has: its password when
 * it has one, its TOTP (or a backup code) when that is on. An account with neither signs in
 * again through its provider.
 */
@Injectable()
export class StepUpService {
  constructor(
    private readonly users: UsersService,
    private readonly passwords: PasswordService,
    private readonly mfa: MfaService,
    private readonly sessions: DeviceSessionsService,
    private readonly events: AuthEventsService,
  ) {}

  async reauthenticate(
    userId: string,
    sessionId: string,
    dto: ReauthenticateDto,
    meta: RequestMeta,
  ): Promise<TokenPairDto> {
    const user = await this.users.getById(userId);
    const needsPassword = user.passwordHash !== null;
    const needsCode = user.mfaEnabledAt !== null;
    if (!needsPassword && !needsCode) {
      throw forbidden(
        'REAUTHENTICATE_WITH_PROVIDER',
        'This account has no password or authenticator: sign in again through your provider.',
      );
    }
    const missing: Record<string, string[]> = {};
    if (needsPassword && dto.password === undefined) missing.password = ['password is required'];
    if (needsCode && dto.code === undefined) missing.code = ['code is required (TOTP is on)'];
    if (Object.keys(missing).length > 0) {
      throw badRequest('REAUTHENTICATION_INCOMPLETE', 'Give what this account signs in with.', {
        errors: missing,
      });
    }
    const amr: string[] = [];
    if (needsPassword) {
      if (!(await this.passwords.verify(user.passwordHash as string, dto.password as string))) {
        await this.events.record('reauthentication_failed', { userId, sessionId, meta });
        throw forbidden('REAUTHENTICATION_FAILED', 'The password is not correct.');
      }
      amr.push('pwd');
    }
    if (needsCode) {
      if (!(await this.mfa.verifyForStepUp(user.id, dto.code as string, meta))) {
        throw invalidMfaCode();
      }
      amr.push('otp');
    }
    const pair = await this.sessions.reauthenticate(user.id, sessionId, amr, meta);
    await this.events.record('reauthenticated', { userId, sessionId, meta, metadata: { amr } });
    return pair;
  }
}
