import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { AuditEventInput, AuditLog } from '#libs/common/compliance-ports.js';
import type { Page } from '#libs/common/pagination/pagination.js';
import type { AuditEventEntity } from './audit-event.entity.js';
import { AuditEventsRepository, type AuditEventFilter } from './audit-events.repository.js';

export type { AuditEventFilter } from './audit-events.repository.js';

/** The audit trail (append-only at the database). Implements `AUDIT_LOG`. */
@Injectable()
export class AuditLogService implements AuditLog {
  constructor(private readonly events: AuditEventsRepository) {}

  /** Records the event, inside the caller's transaction when `manager` is given. */
  async record(event: AuditEventInput, manager?: EntityManager): Promise<void> {
    await this.events.insert(
      {
        actorId: event.actorId,
        actorRoles: [...event.actorRoles],
        action: event.action,
        subjectId: event.subjectId ?? null,
        resourceType: event.resourceType ?? null,
        resourceId: event.resourceId ?? null,
        reason: event.reason ?? null,
        requestId: event.requestId ?? null,
      },
      manager,
    );
  }

  /** Newest first; `from` inclusive, `to` exclusive. Staff list: served by a read replica. */
  list(filter: AuditEventFilter): Promise<Page<AuditEventEntity>> {
    return this.events.page(filter);
  }
}
