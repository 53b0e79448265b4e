import { Injectable } from '@nestjs/common';
import { InjectEntityManager } from '@nestjs/typeorm';
import type { EntityManager } from 'typeorm';
import { ConsentNoticeEntity } from './consent-notice.entity.js';
import type { ConsentPurpose } from './consent-purposes.js';
import { ManagedRepository } from '#libs/database/managed-repository.js';

/** Lock namespace (first key of pg_advisory_xact_lock(int, int)) for notice publication. */
const NOTICE_LOCK_NAMESPACE = 74_012_302;

/** The columns a notice version is published with (id and published_at are defaults). */
export type NewConsentNotice = Pick<
  ConsentNoticeEntity,
  'purpose' | 'version' | 'title' | 'text' | 'textSha256' | 'requiredFor' | 'requiresReconsent'
>;

/**
 * The SQL of `consent_notices` (published versions, never changed). Reads take the caller's
 * transaction's manager when given, else the primary.
 */
@Injectable()
export class ConsentNoticesRepository extends ManagedRepository {
  constructor(@InjectEntityManager() manager: EntityManager) {
    super(manager);
  }

  /** The current (highest) version of every purpose's notice. */
  current(): Promise<ConsentNoticeEntity[]> {
    return this.manager
      .getRepository(ConsentNoticeEntity)
      .createQueryBuilder('notice')
      .distinctOn(['notice.purpose'])
      .orderBy('notice.purpose', 'ASC')
      .addOrderBy('notice.version', 'DESC')
      .getMany();
  }

  findVersion(
    purpose: ConsentPurpose,
    version: number,
    manager: EntityManager = this.manager,
  ): Promise<ConsentNoticeEntity | null> {
    return manager.findOne(ConsentNoticeEntity, { where: { purpose, version } });
  }

  async currentVersion(
    purpose: ConsentPurpose,
    manager: EntityManager = this.manager,
  ): Promise<number | null> {
    const row = await manager
      .createQueryBuilder(ConsentNoticeEntity, 'notice')
      .select('max(notice.version)', 'version')
      .where('notice.purpose = :purpose', { purpose })
      .getRawOne<{ version: number | null }>();
    return row?.version ?? null;
  }

  /**
   * The purpose's latest version, read under a transaction-scoped advisory lock on the purpose:
   * publications of one purpose are serialised until `manager`'s transaction ends.
   */
  async lockLatest(
    purpose: ConsentPurpose,
    manager: EntityManager,
  ): Promise<ConsentNoticeEntity | null> {
    await manager.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [
      NOTICE_LOCK_NAMESPACE,
      purpose,
    ]);
    return manager.findOne(ConsentNoticeEntity, {
      where: { purpose },
      order: { version: 'DESC' },
    });
  }

  insert(notice: NewConsentNotice, manager: EntityManager): Promise<ConsentNoticeEntity> {
    return manager.save(manager.create(ConsentNoticeEntity, notice));
  }
}
