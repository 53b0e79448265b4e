import { Controller } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '#libs/common/openapi/api-docs.js';
import type { AuthenticatedUser } from '#libs/common/auth/authenticated-user.js';
import { RequiresVerifiedEmail } from '#libs/common/auth/decorators.js';
import { type AppConfig, InjectConfig } from '#config/app-config.js';
import { DocumentFilesController } from '#modules/documents/files/document-files.controller.js';
import { DocumentFilesService } from '#modules/documents/files/document-files.service.js';

const PATH = 'profile/documents/:id/files';

/**
 * Evidence (scans) of the caller's own documents: the routes of DocumentFilesController, owned
 * by the caller.
 */
@ApiTags('profiles')
@ApiBearerAuth()
@RequiresVerifiedEmail()
@Controller(PATH)
export class ProfileDocumentFilesController extends DocumentFilesController({
  owner: 'user',
  path: PATH,
  documentParam: 'id',
}) {
  constructor(files: DocumentFilesService, @InjectConfig() config: AppConfig) {
    super(files, config);
  }

  override ownerFor(user: AuthenticatedUser): Promise<string> {
    return Promise.resolve(user.id);
  }
}
