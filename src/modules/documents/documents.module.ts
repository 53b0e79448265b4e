import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { FileCipher } from '#libs/common/crypto/file-cipher.js';
import { APP_CONFIG, type AppConfig } from '#config/app-config.js';
import { dataMasterKeys } from '#config/key-rings.js';
import { AdminDocumentsController } from './admin-documents.controller.js';
import { DocumentAdminService } from './document-admin.service.js';
import { DocumentExpirySweeper } from './document-expiry.sweeper.js';
import { DocumentOwnerRegistry } from './document-owner.js';
import { DocumentReviewEntity } from './document-review.entity.js';
import { DocumentStore } from './document-store.js';
import { DocumentsService } from './documents.service.js';
import { DocumentsReencryptionTarget } from './documents-reencryption.target.js';
import { DocumentFileBlobEntity, DocumentFileEntity } from './files/document-file.entity.js';
import { DocumentFilesPersonalDataContributor } from './files/document-files-personal-data.contributor.js';
import { DocumentFilesService } from './files/document-files.service.js';
import { FileContentProcessor } from './files/file-content.js';
import { UploadAdmission } from './files/upload-admission.js';
import { FileStore, PostgresFileStore } from './files/file-store.js';

/**
 * The shared travel-document piece: encryption, blind index, masking, the review lifecycle,
 * expiry, evidence files and the admin desk. Owner kinds plug in through
 * `DocumentOwnerRegistry` (profiles: `user`, travelers: `traveler`); owner modules call
 * `DocumentsService` / `DocumentFilesService` with an owner id they have authorised.
 */
@Module({
  imports: [
    TypeOrmModule.forFeature([DocumentReviewEntity, DocumentFileEntity, DocumentFileBlobEntity]),
  ],
  controllers: [AdminDocumentsController],
  providers: [
    DocumentOwnerRegistry,
    DocumentStore,
    DocumentsService,
    DocumentAdminService,
    DocumentExpirySweeper,
    DocumentFilesService,
    DocumentFilesPersonalDataContributor,
    DocumentsReencryptionTarget,
    { provide: FileStore, useClass: PostgresFileStore },
    {
      provide: FileCipher,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) =>
        FileCipher.fromMasterKeys(dataMasterKeys(config.DATA_KEY_RING)),
    },
    {
      provide: UploadAdmission,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) =>
        new UploadAdmission(
          config.DOCUMENT_UPLOADS_AT_ONCE,
          config.DOCUMENT_UPLOAD_WAIT_SECONDS * 1000,
        ),
    },
    {
      provide: FileContentProcessor,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) =>
        new FileContentProcessor(config.DOCUMENT_IMAGE_CONCURRENCY),
    },
  ],
  exports: [DocumentOwnerRegistry, DocumentsService, DocumentFilesService],
})
export class DocumentsModule {}
