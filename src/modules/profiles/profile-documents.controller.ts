import { Controller } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '#libs/common/openapi/api-docs.js';
import type { AuthenticatedUser } from '#libs/common/auth/authenticated-user.js';
import { RequiresVerifiedEmail } from '#libs/common/auth/decorators.js';
import { DocumentsController } from '#modules/documents/documents.controller.js';
import { DocumentsService } from '#modules/documents/documents.service.js';

/**
 * The caller's own travel documents (owner kind `user`): the routes of DocumentsController,
 * owned by the caller. Needs a verified email and a live `travel_documents` consent to write.
 */
@ApiTags('profiles')
@ApiBearerAuth()
@RequiresVerifiedEmail()
@Controller('profile/documents')
export class ProfileDocumentsController extends DocumentsController({
  owner: 'user',
  path: 'profile/documents',
  documentParam: 'id',
  summaries: {
    create: 'Add a travel document',
    list: 'List my travel documents',
    get: 'Get one of my travel documents',
    update: 'Update one of my travel documents',
    remove: 'Delete one of my travel documents',
  },
}) {
  constructor(documents: DocumentsService) {
    super(documents);
  }

  override ownerFor(user: AuthenticatedUser): Promise<string> {
    return Promise.resolve(user.id);
  }
}
