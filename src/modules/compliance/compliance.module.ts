import { Global, Module } from '@nestjs/common';
import { CONSENT_DECIDER } from '#libs/common/auth/consent-decider.js';
import {
  AUDIT_LOG,
  CONSENT_RECORDER,
  GUARDIAN_CONSENTS,
  type GuardianConsents,
} from '#libs/common/compliance-ports.js';
import { AuditEventsRepository } from './audit-events.repository.js';
import { AuditLogService } from './audit-log.service.js';
import { ComplianceController } from './compliance.controller.js';
import { ConsentDecisionsRepository } from './consent-decisions.repository.js';
import { ConsentDeciderService } from './consent-decider.service.js';
import { ConsentEventsRepository } from './consent-events.repository.js';
import { ConsentLedgerService } from './consent-ledger.service.js';
import { ConsentNoticesController } from './consent-notices.controller.js';
import { ConsentNoticesRepository } from './consent-notices.repository.js';
import { ConsentNoticesService } from './consent-notices.service.js';
import { MyConsentsController } from './my-consents.controller.js';
import { CompliancePersonalDataContributor } from './privacy/compliance-personal-data.contributor.js';

/**
 * Compliance core: consent notices, the consent ledger, the ConsentGuard's decider and the
 * audit trail. Global: feature modules inject the libs/common ports `CONSENT_DECIDER`,
 * `CONSENT_RECORDER`, `GUARDIAN_CONSENTS` and `AUDIT_LOG`, never these classes. Knows people by
 * id only; imports no feature module.
 */
@Global()
@Module({
  controllers: [ConsentNoticesController, MyConsentsController, ComplianceController],
  providers: [
    ConsentNoticesRepository,
    ConsentEventsRepository,
    ConsentDecisionsRepository,
    AuditEventsRepository,
    ConsentNoticesService,
    ConsentLedgerService,
    ConsentDeciderService,
    AuditLogService,
    CompliancePersonalDataContributor,
    { provide: CONSENT_DECIDER, useExisting: ConsentDeciderService },
    { provide: CONSENT_RECORDER, useExisting: ConsentLedgerService },
    { provide: AUDIT_LOG, useExisting: AuditLogService },
    {
      provide: GUARDIAN_CONSENTS,
      inject: [ConsentDeciderService],
      useFactory: (decider: ConsentDeciderService): GuardianConsents => ({
        decide: (guardianId, travelerId, purpose) =>
          decider.decideForTraveler(guardianId, travelerId, purpose),
        decideMany: (guardianId, travelerIds, purpose, manager) =>
          decider.decideForTravelers(guardianId, travelerIds, purpose, manager),
      }),
    },
  ],
  exports: [CONSENT_DECIDER, CONSENT_RECORDER, GUARDIAN_CONSENTS, AUDIT_LOG],
})
export class ComplianceModule {}
