import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { registerConstraint } from '#libs/common/errors/constraint-codes.js';
import type { ConsentNoticeEntity } from './consent-notice.entity.js';
import { ConsentNoticesRepository } from './consent-notices.repository.js';
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

@Injectable()
export class ConsentNoticesService {
  constructor(private readonly notices: ConsentNoticesRepository) {}

  /** The current (highest) version of every purpose's notice. */
  current(): Promise<ConsentNoticeEntity[]> {
    return this.notices.current();
  }

  findVersion(
    purpose: ConsentPurpose,
    version: number,
    manager?: EntityManager,
  ): Promise<ConsentNoticeEntity | null> {
    return this.notices.findVersion(purpose, version, manager);
  }

  currentVersion(purpose: ConsentPurpose, manager?: EntityManager): Promise<number | null> {
    return this.notices.currentVersion(purpose, manager);
  }

  /**
   * Publishes the next version of a purpose's notice. `requiredFor` defaults to the previous
   * version's. Publications of one purpose are serialised; the unique (purpose, version) is the
   * backstop.
   */
  publish(input: PublishNoticeInput): Promise<ConsentNoticeEntity> {
    return this.notices.transaction(async (_, manager) => {
      const previous = await this.notices.lockLatest(input.purpose, manager);
      return this.notices.insert(
        {
          purpose: input.purpose,
          version: (previous?.version ?? 0) + 1,
          title: input.title,
          text: input.text,
          textSha256: sha256Hex(input.text),
          requiredFor: input.requiredFor ?? previous?.requiredFor ?? [],
          requiresReconsent: input.requiresReconsent,
        },
        manager,
      );
    });
  }
}
