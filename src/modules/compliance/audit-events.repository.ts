import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { keysetPage, type Page } from '#libs/common/pagination/pagination.js';
import { onReadReplica } from '#libs/database/read-replica.js';
import { AuditEventEntity } from './audit-event.entity.js';

/** The columns an audit event is written with (id and occurred_at are database defaults). */
export type NewAuditEvent = Pick<
  AuditEventEntity,
  | 'actorId'
  | 'actorRoles'
  | 'action'
  | 'subjectId'
  | 'resourceType'
  | 'resourceId'
  | 'reason'
  | 'requestId'
>;

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

/** The SQL of `audit_events` (append-only at the database: inserts and staff reads only). */
@Injectable()
export class AuditEventsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Inserts on `manager`'s connection when given (the caller's transaction), else the primary. */
  async insert(
    event: NewAuditEvent,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<void> {
    await manager.insert(AuditEventEntity, event);
  }

  /** Newest first; `from` inclusive, `to` exclusive. Read on a replica (a staff list). */
  page(filter: AuditEventFilter): Promise<Page<AuditEventEntity>> {
    return onReadReplica(this.dataSource, (manager) => {
      const query = manager.getRepository(AuditEventEntity).createQueryBuilder('audit');
      if (filter.actorId) query.andWhere('audit.actorId = :actorId', { actorId: filter.actorId });
      if (filter.subjectId) {
        query.andWhere('audit.subjectId = :subjectId', { subjectId: filter.subjectId });
      }
      if (filter.action) query.andWhere('audit.action = :action', { action: filter.action });
      if (filter.resourceType) {
        query.andWhere('audit.resourceType = :resourceType', {
          resourceType: filter.resourceType,
        });
      }
      if (filter.from) query.andWhere('audit.occurredAt >= :from', { from: filter.from });
      if (filter.to) query.andWhere('audit.occurredAt < :to', { to: filter.to });
      return keysetPage(query, {
        alias: 'audit',
        sortColumn: 'occurred_at',
        limit: filter.limit,
        cursor: filter.cursor,
      });
    });
  }
}
