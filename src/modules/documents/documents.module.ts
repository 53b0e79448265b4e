import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AdminDocumentsController } from './admin-documents.controller.js';
import { DocumentAdminService } from './document-admin.service.js';
import { DocumentExpirySweeper } from './document-expiry.sweeper.js';
import { DocumentOwnerRegistry } from './document-owner.js';
import { DocumentReviewEntity } from './document-review.entity.js';
import { DocumentStore } from './document-store.js';
import { DocumentsService } from './documents.service.js';

/**
 * The shared travel-document piece: encryption, blind index, masking, the review lifecycle,
 * expiry and the admin desk. Owner kinds plug in through `DocumentOwnerRegistry` (profiles:
 * `user`, travelers: `traveler`); owner modules call `DocumentsService` with an owner id they
 * have authorised.
 */
@Module({
  imports: [TypeOrmModule.forFeature([DocumentReviewEntity])],
  controllers: [AdminDocumentsController],
  providers: [
    DocumentOwnerRegistry,
    DocumentStore,
    DocumentsService,
    DocumentAdminService,
    DocumentExpirySweeper,
  ],
  exports: [DocumentOwnerRegistry, DocumentsService],
})
export class DocumentsModule {}
