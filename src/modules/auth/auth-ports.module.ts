import { Global, Module } from '@nestjs/common';
import { NOTIFIER, SUBJECT_DIRECTORY } from '#libs/common/subject-ports.js';
import { AuthModule } from './auth.module.js';
import { SubjectDirectoryService } from './services/subject-directory.service.js';

/**
 * Offers auth's implementations of the libs/common ports `SUBJECT_DIRECTORY` and `NOTIFIER` to
 * every module (compliance injects the tokens, never auth's classes).
 */
@Global()
@Module({
  imports: [AuthModule],
  providers: [
    { provide: SUBJECT_DIRECTORY, useExisting: SubjectDirectoryService },
    { provide: NOTIFIER, useExisting: SubjectDirectoryService },
  ],
  exports: [SUBJECT_DIRECTORY, NOTIFIER],
})
export class AuthPortsModule {}
