import { Global, Module } from '@nestjs/common';
import {
  AUDIT_LOG,
  type AuditEventInput,
  type AuditLog,
} from '../../libs/common/compliance-ports.js';

/** In-memory AUDIT_LOG for service-level tests that run without the compliance module. */
export class RecordingAuditLog implements AuditLog {
  readonly events: AuditEventInput[] = [];

  record(event: AuditEventInput): Promise<void> {
    this.events.push(event);
    return Promise.resolve();
  }
}

@Global()
@Module({
  providers: [RecordingAuditLog, { provide: AUDIT_LOG, useExisting: RecordingAuditLog }],
  exports: [AUDIT_LOG, RecordingAuditLog],
})
export class RecordingAuditLogModule {}
