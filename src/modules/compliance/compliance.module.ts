import { Global, Module } from '@nestjs/common';
import { CONSENT_DECIDER } from '../../../libs/common/auth/consent-decider.js';
import { AUDIT_LOG, CONSENT_RECORDER } from '../../../libs/common/compliance-ports.js';
import { AuditLogService } from './audit-log.service.js';
import { ComplianceController } from './compliance.controller.js';
import { ConsentDeciderService } from './consent-decider.service.js';
import { ConsentLedgerService } from './consent-ledger.service.js';
import { ConsentNoticesController } from './consent-notices.controller.js';
import { ConsentNoticesService } from './consent-notices.service.js';
import { MyConsentsController } from './my-consents.controller.js';

/**
 * Compliance core: consent notices, the consent ledger, the ConsentGuard's decider and the
 * audit trail. Global: feature modules inject `CONSENT_DECIDER`, `CONSENT_RECORDER` and
 * `AUDIT_LOG` (libs/common ports), never these classes. Knows people by id only; imports no
 * feature module.
 */
@Global()
@Module({
  controllers: [ConsentNoticesController, MyConsentsController, ComplianceController],
  providers: [
    ConsentNoticesService,
    ConsentLedgerService,
    ConsentDeciderService,
    AuditLogService,
    { provide: CONSENT_DECIDER, useExisting: ConsentDeciderService },
    { provide: CONSENT_RECORDER, useExisting: ConsentLedgerService },
    { provide: AUDIT_LOG, useExisting: AuditLogService },
  ],
  exports: [CONSENT_DECIDER, CONSENT_RECORDER, AUDIT_LOG],
})
export class ComplianceModule {}
