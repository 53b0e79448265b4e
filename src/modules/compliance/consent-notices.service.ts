import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { registerConstraint } from '#libs/common/errors/constraint-codes.js';
import { ConsentNoticeEntity } from './consent-notice.entity.js';
import type { ConsentPurpose } from './consent-purposes.js';

registerConstraint(
  'uq_consent_notices_purpose_version',
  409,
  'NOTICE_VERSION_CONFLICT',
  'Another version of this notice was published at the same time; retry.',
);

export interface PublishNoticeInput {
  purpose: ConsentPurpose;
  title: string;
  text: string;
  requiredFor?: string[];
  requiresReconsent: boolean;
}

export const sha256Hex = (text: string): string =>
  createHash('sha256').update(text, 'utf8').digest('hex');

/** Lock namespace (first key of pg_advisory_xact_lock(int, int)) for notice publication. */
const NOTICE_LOCK_NAMESPACE = 74_012_302;

@Injectable()
export class ConsentNoticesService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The current (highest) version of every purpose's notice. */
  current(): Promise<ConsentNoticeEntity[]> {
    return this.dataSource
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
    manager: EntityManager = this.dataSource.manager,
  ): Promise<ConsentNoticeEntity | null> {
    return manager.findOne(ConsentNoticeEntity, { where: { purpose, version } });
  }

  async currentVersion(
    purpose: ConsentPurpose,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<number | null> {
    const row = await manager
      .createQueryBuilder(ConsentNoticeEntity, 'notice')
      .select('max(notice.version)', 'version')
      .where('notice.purpose = :purpose', { purpose })
      .getRawOne<{ version: number | null }>();
    return row?.version ?? null;
  }

  /**
   * Publishes the next version of a purpose's notice. `requiredFor` defaults to the previous
   * version's. Publications of one purpose are serialised; the unique (purpose, version) is the
   * backstop.
   */
  publish(input: PublishNoticeInput): Promise<ConsentNoticeEntity> {
    return this.dataSource.transaction(async (manager) => {
      await manager.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [
        NOTICE_LOCK_NAMESPACE,
        input.purpose,
      ]);
      const previous = await manager.findOne(ConsentNoticeEntity, {
        where: { purpose: input.purpose },
        order: { version: 'DESC' },
      });
      const notice = manager.create(ConsentNoticeEntity, {
        purpose: input.purpose,
        version: (previous?.version ?? 0) + 1,
        title: input.title,
        text: input.text,
        textSha256: sha256Hex(input.text),
        requiredFor: input.requiredFor ?? previous?.requiredFor ?? [],
        requiresReconsent: input.requiresReconsent,
      });
      return manager.save(notice);
    });
  }
}
