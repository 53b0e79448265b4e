import { ProfilesPersonalDataContributor } from './privacy/profiles-personal-data.contributor.js';
import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DocumentsModule } from '#modules/documents/documents.module.js';
import { ProfileDocumentFilesController } from './profile-document-files.controller.js';
import { ProfileDocumentsController } from './profile-documents.controller.js';
import { ProfilesController } from './profiles.controller.js';
import { ProfilesRepository } from './profiles.repository.js';
import { ProfilesService } from './profiles.service.js';
import { TravelPreferencesEntity } from './travel-preferences.entity.js';
import { UserDocumentOwner } from './user-document-owner.js';
import { UserProfileEntity } from './user-profile.entity.js';

/**
 * The account holder's profile, travel preferences and travel documents. Documents go through
 * the shared document piece, with this module plugging in the `user` owner kind.
 */
@Module({
  imports: [
    TypeOrmModule.forFeature([UserProfileEntity, TravelPreferencesEntity]),
    DocumentsModule,
  ],
  controllers: [ProfilesController, ProfileDocumentsController, ProfileDocumentFilesController],
  providers: [
    ProfilesRepository,
    ProfilesService,
    UserDocumentOwner,
    ProfilesPersonalDataContributor,
  ],
  exports: [ProfilesService],
})
export class ProfilesModule {}
