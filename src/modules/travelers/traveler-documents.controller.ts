import { Controller } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '#libs/common/openapi/api-docs.js';
import type { AuthenticatedUser } from '#libs/common/auth/authenticated-user.js';
import { RequiresVerifiedEmail } from '#libs/common/auth/decorators.js';
import { DocumentsController } from '#modules/documents/documents.controller.js';
import { DocumentsService } from '#modules/documents/documents.service.js';
import { TravelersService } from './travelers.service.js';

const PATH = 'travelers/:travelerId/documents';

/**
 * A traveler's travel documents (owner kind `traveler`): the routes of DocumentsController, the
 * same rules as profile documents. The traveler is resolved for the caller first, so another
 * user's traveler is 404 throughout; an archived traveler's documents can be read but not
 * changed.
 */
@ApiTags('travelers')
@ApiBearerAuth()
@RequiresVerifiedEmail()
@Controller(PATH)
export class TravelerDocumentsController extends DocumentsController({
  owner: 'traveler',
  path: PATH,
  ownerParam: 'travelerId',
  documentParam: 'documentId',
  summaries: {
    create: "Add a traveler's travel document",
    list: "List a traveler's travel documents",
    get: "Get a traveler's travel document",
    update: "Update a traveler's travel document",
    remove: "Delete a traveler's travel document",
  },
}) {
  constructor(
    documents: DocumentsService,
    private readonly travelers: TravelersService,
  ) {
    super(documents);
  }

  override ownerFor(user: AuthenticatedUser, travelerId: string, change: boolean): Promise<string> {
    return this.travelers.documentOwnerFor(user.id, travelerId, change);
  }
}
