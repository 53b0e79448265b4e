import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { ConsentRecordsExportService } from './consent-records-export.service.js';
import { ConsentRecordsDownloadController } from './consent-records-download.controller.js';
import { MyPrivacyController } from './my-privacy.controller.js';
import { PrivacyComplianceController } from './privacy-compliance.controller.js';
import { PrivacyContributors } from './privacy-contributors.js';
import { PrivacyDigestService } from './privacy-digest.service.js';
import { PrivacyFulfilmentService } from './privacy-fulfilment.service.js';
import { PrivacyRequestsController } from './privacy-requests.controller.js';
import { PrivacyRequestsContributor } from './privacy-requests.contributor.js';
import { PrivacyRequestsRepository } from './privacy-requests.repository.js';
import { PrivacyRequestsService } from './privacy-requests.service.js';
import { PrivacyService } from './privacy.service.js';
import { RetentionRepository } from './retention.repository.js';
import { RetentionService } from './retention.service.js';

/**
 * Data-subject rights (export, erasure), the privacy-request register, the consent-record export
 * and retention. Depends on compliance core (global: the ledger, AUDIT_LOG) and libs only; data
 * modules take part through `@PersonalDataContributor` providers, discovered at boot.
 */
@Module({
  imports: [DiscoveryModule],
  controllers: [
    MyPrivacyController,
    PrivacyComplianceController,
    PrivacyRequestsController,
    ConsentRecordsDownloadController,
  ],
  providers: [
    PrivacyRequestsRepository,
    RetentionRepository,
    PrivacyContributors,
    PrivacyRequestsService,
    PrivacyService,
    ConsentRecordsExportService,
    RetentionService,
    PrivacyRequestsContributor,
    PrivacyFulfilmentService,
    PrivacyDigestService,
  ],
})
export class PrivacyModule {}
