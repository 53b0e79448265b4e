import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import type { AuditEventInput, AuditLog } from '#libs/common/compliance-ports.js';
import { keysetPage, type Page } from '#libs/common/pagination/pagination.js';
import { onReadReplica } from '#libs/database/read-replica.js';
import { AuditEventEntity } from './audit-event.entity.js';

export interface AuditEventFilter {
  actorId?: string;
  subjectId?: string;
  action?: string;
  resourceType?: string;
  from?: string;
  to?: string;
  limit?: number;
  cursor?: string;
}

/** The audit trail (append-only at the database). Implements `AUDIT_LOG`. */
@Injectable()
export class AuditLogService implements AuditLog {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async record(
    event: AuditEventInput,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<void> {
    await manager.insert(AuditEventEntity, {
      actorId: event.actorId,
      actorRoles: [...event.actorRoles],
      action: event.action,
      subjectId: event.subjectId ?? null,
      resourceType: event.resourceType ?? null,
      resourceId: event.resourceId ?? null,
      reason: event.reason ?? null,
      requestId: event.requestId ?? null,
    });
  }

  /** Newest first; `from` inclusive, `to` exclusive. Staff list: served by a read replica. */
  list(filter: AuditEventFilter): Promise<Page<AuditEventEntity>> {
    return onReadReplica(this.dataSource, (manager) => this.page(manager, filter));
  }

  private page(manager: EntityManager, filter: AuditEventFilter): Promise<Page<AuditEventEntity>> {
    const query = manager.getRepository(AuditEventEntity).createQueryBuilder('audit');
    if (filter.actorId) query.andWhere('audit.actorId = :actorId', { actorId: filter.actorId });
    if (filter.subjectId) {
      query.andWhere('audit.subjectId = :subjectId', { subjectId: filter.subjectId });
    }
    if (filter.action) query.andWhere('audit.action = :action', { action: filter.action });
    if (filter.resourceType) {
      query.andWhere('audit.resourceType = :resourceType', { resourceType: filter.resourceType });
    }
    if (filter.from) query.andWhere('audit.occurredAt >= :from', { from: filter.from });
    if (filter.to) query.andWhere('audit.occurredAt < :to', { to: filter.to });
    return keysetPage(query, {
      alias: 'audit',
      sortColumn: 'occurred_at',
      limit: filter.limit,
      cursor: filter.cursor,
    });
  }
}
