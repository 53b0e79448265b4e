import { Global, Module } from '@nestjs/common';
import { SUBJECT_DIRECTORY } from '#libs/common/subject-ports.js';
import { AuthModule } from './auth.module.js';
import { SubjectDirectoryService } from './services/subject-directory.service.js';

/**
 * Offers auth's implementation of the libs/common port `SUBJECT_DIRECTORY` to every module
 * (compliance injects the token, never auth's classes). The `MAIL` port comes from MailerModule.
 */
@Global()
@Module({
  imports: [AuthModule],
  providers: [{ provide: SUBJECT_DIRECTORY, useExisting: SubjectDirectoryService }],
  exports: [SUBJECT_DIRECTORY],
})
export class AuthPortsModule {}
