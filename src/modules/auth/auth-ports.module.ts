import { Global, Module } from '@nestjs/common';
import { BEARER_AUTHENTICATOR } from '#libs/common/auth/bearer-authenticator.js';
import { SUBJECT_DIRECTORY } from '#libs/common/subject-ports.js';
import { AuthModule } from './auth.module.js';
import { JwtBearerAuthenticator } from './services/jwt-bearer.authenticator.js';
import { SubjectDirectoryService } from './services/subject-directory.service.js';

/**
 * Offers auth's implementations of the libs/common ports `SUBJECT_DIRECTORY` (compliance injects
 * the token, never auth's classes) and `BEARER_AUTHENTICATOR` (the global JwtAuthGuard). The `MAIL` port comes from MailerModule.
 */
@Global()
@Module({
  imports: [AuthModule],
  providers: [
    { provide: SUBJECT_DIRECTORY, useExisting: SubjectDirectoryService },
    { provide: BEARER_AUTHENTICATOR, useExisting: JwtBearerAuthenticator },
  ],
  exports: [SUBJECT_DIRECTORY, BEARER_AUTHENTICATOR],
})
export class AuthPortsModule {}
