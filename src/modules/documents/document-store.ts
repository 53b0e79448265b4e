import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager, type Repository, type SelectQueryBuilder } from 'typeorm';
import { DocumentOwnerRegistry, type DocumentOwnerKind } from './document-owner.js';
import { todayUtc } from '#libs/common/time/calendar-date.js';
import { DOCUMENT_TRANSITIONS } from './document-lifecycle.js';
import type { DocumentKind } from './document-vocabulary.js';
import type { TravelDocumentBase } from './travel-document.base.js';

/** Narrows what an expiry update touches. */
export interface ExpiryScope {
  ownerId?: string;
  id?: string;
}

/**
 * Table access shared by the owner and admin services: one repository per owner kind, owner
 * scoping, and the expiry rule applied in SQL (check on read and the sweep use the same query).
 */
@Injectable()
export class DocumentStore {
  constructor(
    readonly dataSource: DataSource,
    readonly registry: DocumentOwnerRegistry,
  ) {}

  kind(kind: DocumentKind): DocumentOwnerKind {
    return this.registry.get(kind);
  }

  repository(kind: DocumentKind, manager?: EntityManager): Repository<TravelDocumentBase> {
    const target = this.registry.get(kind).entity;
    return (manager ?? this.dataSource.manager).getRepository<TravelDocumentBase>(target);
  }

  tableName(kind: DocumentKind): string {
    return this.dataSource.getMetadata(this.registry.get(kind).entity).tableName;
  }

  ownerColumn(kind: DocumentKind): string {
    const definition = this.registry.get(kind);
    const column = this.dataSource
      .getMetadata(definition.entity)
      .findColumnWithPropertyName(definition.ownerProperty);
    if (!column) throw new Error(`No owner column ${definition.ownerProperty} on ${kind}`);
    return column.databaseName;
  }

  ownerIdOf(kind: DocumentKind, document: TravelDocumentBase): string {
    const property = this.registry.get(kind).ownerProperty;
    return (document as unknown as Record<string, string>)[property] as string;
  }

  /** `SELECT … FROM <kind table> d WHERE d.<owner> = :ownerId` — every owner-route query starts here. */
  ownedQuery(
    kind: DocumentKind,
    ownerId: string,
    manager?: EntityManager,
  ): SelectQueryBuilder<TravelDocumentBase> {
    const property = this.registry.get(kind).ownerProperty;
    return this.repository(kind, manager)
      .createQueryBuilder('d')
      .where(`d.${property} = :ownerId`, { ownerId });
  }

  /**
   * Marks documents past their expiry date `expired` (the `expire` transition, as data) and
   * returns how many changed. Used before every read (scoped to the owner or the row) and by the
   * scheduled sweep (unscoped).
   */
  async expireOverdue(
    kind: DocumentKind,
    scope: ExpiryScope = {},
    manager?: EntityManager,
    today: string = todayUtc(),
  ): Promise<number> {
    const query = this.repository(kind, manager)
      .createQueryBuilder()
      .update()
      .set({ status: DOCUMENT_TRANSITIONS.expire.to, statusChangedAt: () => 'now()' })
      .where('status IN (:...from)', { from: DOCUMENT_TRANSITIONS.expire.from })
      .andWhere('expiry_date < :today', { today });
    if (scope.ownerId !== undefined) {
      query.andWhere(`${this.ownerColumn(kind)} = :ownerId`, { ownerId: scope.ownerId });
    }
    if (scope.id !== undefined) query.andWhere('id = :id', { id: scope.id });
    const result = await query.execute();
    return result.affected ?? 0;
  }
}
