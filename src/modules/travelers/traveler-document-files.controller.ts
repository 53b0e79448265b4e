import { Controller } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '#libs/common/openapi/api-docs.js';
import type { AuthenticatedUser } from '#libs/common/auth/authenticated-user.js';
import { RequiresVerifiedEmail } from '#libs/common/auth/decorators.js';
import { type AppConfig, InjectConfig } from '#config/app-config.js';
import { DocumentFilesController } from '#modules/documents/files/document-files.controller.js';
import { DocumentFilesService } from '#modules/documents/files/document-files.service.js';
import { TravelersService } from './travelers.service.js';

const PATH = 'travelers/:travelerId/documents/:documentId/files';

/**
 * Evidence (scans) of a traveler's documents: the routes of DocumentFilesController. The
 * traveler is resolved for the caller first (another user's traveler → 404); an archived
 * traveler's files can be read but not changed.
 */
@ApiTags('travelers')
@ApiBearerAuth()
@RequiresVerifiedEmail()
@Controller(PATH)
export class TravelerDocumentFilesController extends DocumentFilesController({
  owner: 'traveler',
  path: PATH,
  ownerParam: 'travelerId',
  documentParam: 'documentId',
}) {
  constructor(
    files: DocumentFilesService,
    @InjectConfig() config: AppConfig,
    private readonly travelers: TravelersService,
  ) {
    super(files, config);
  }

  override ownerFor(user: AuthenticatedUser, travelerId: string, change: boolean): Promise<string> {
    return this.travelers.documentOwnerFor(user.id, travelerId, change);
  }
}
