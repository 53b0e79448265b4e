import { Module } from '@nestjs/common';
import { DocumentsModule } from '#modules/documents/documents.module.js';
import { TravelerGroupsController } from './groups/traveler-groups.controller.js';
import { TravelerGroupsRepository } from './groups/traveler-groups.repository.js';
import { TravelerGroupsService } from './groups/traveler-groups.service.js';
import { TravelersPersonalDataContributor } from './privacy/travelers-personal-data.contributor.js';
import { TRAVEL_DOCUMENT_CHECK, TravelerDocumentCheck } from './travel-document-check.js';
import { TravelerDocumentOwner } from './traveler-document-owner.js';
import { TravelerDocumentFilesController } from './traveler-document-files.controller.js';
import { TravelerDocumentsController } from './traveler-documents.controller.js';
import { TravelersController } from './travelers.controller.js';
import { TravelersRepository } from './travelers.repository.js';
import { TravelersService } from './travelers.service.js';

/**
 * The people a user travels with; bookings use TravelersService for bookability and snapshots,
 * and TRAVEL_DOCUMENT_CHECK for the documents a flight needs.
 */
@Module({
  imports: [DocumentsModule],
  controllers: [
    TravelersController,
    TravelerDocumentsController,
    TravelerDocumentFilesController,
    TravelerGroupsController,
  ],
  providers: [
    TravelersRepository,
    TravelersService,
    TravelerGroupsRepository,
    TravelerGroupsService,
    TravelerDocumentOwner,
    { provide: TRAVEL_DOCUMENT_CHECK, useClass: TravelerDocumentCheck },
    TravelersPersonalDataContributor,
  ],
  exports: [TravelersService, TRAVEL_DOCUMENT_CHECK],
})
export class TravelersModule {}
