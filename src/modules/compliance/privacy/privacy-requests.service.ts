import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { keysetPage, type Page } from '#libs/common/pagination/pagination.js';
import {
  PrivacyRequestEntity,
  type PrivacyRequestStatus,
  type PrivacyRequestType,
} from './privacy-request.entity.js';

/** GDPR Art. 12(3): a request is answered within one month of receipt. */
export function dueDate(receivedAt: Date): Date {
  const due = new Date(receivedAt.getTime());
  const day = due.getUTCDate();
  due.setUTCMonth(due.getUTCMonth() + 1, 1);
  const lastDay = new Date(Date.UTC(due.getUTCFullYear(), due.getUTCMonth() + 1, 0)).getUTCDate();
  due.setUTCDate(Math.min(day, lastDay));
  return due;
}

export interface PrivacyRequestFilter {
  type?: PrivacyRequestType;
  status?: PrivacyRequestStatus;
  subjectId?: string;
  limit?: number;
  cursor?: string;
}

/** The register of data-subject requests. */
@Injectable()
export class PrivacyRequestsService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  open(
    type: PrivacyRequestType,
    subjectId: string,
    requestId: string | null,
    manager: EntityManager = this.dataSource.manager,
    options: {
      status?: PrivacyRequestStatus;
      outcome?: Record<string, unknown>;
      receivedAt?: Date;
    } = {},
  ): Promise<PrivacyRequestEntity> {
    const receivedAt = options.receivedAt ?? new Date();
    const status = options.status ?? 'in_progress';
    return manager.save(
      manager.create(PrivacyRequestEntity, {
        type,
        subjectId,
        status,
        receivedAt,
        dueAt: dueDate(receivedAt),
        completedAt: status === 'in_progress' ? null : receivedAt,
        outcome: options.outcome ?? {},
        requestId,
      }),
    );
  }

  async finish(
    id: string,
    status: Exclude<PrivacyRequestStatus, 'in_progress'>,
    outcome: Record<string, unknown>,
  ): Promise<void> {
    await this.dataSource.query(
      `UPDATE privacy_requests SET status = $2, outcome = $3, completed_at = now()
        WHERE id = $1 AND status = 'in_progress'`,
      [id, status, JSON.stringify(outcome)],
    );
  }

  /** Newest first by `received_at`. */
  list(filter: PrivacyRequestFilter): Promise<Page<PrivacyRequestEntity>> {
    const query = this.dataSource.getRepository(PrivacyRequestEntity).createQueryBuilder('request');
    if (filter.type) query.andWhere('request.type = :type', { type: filter.type });
    if (filter.status) query.andWhere('request.status = :status', { status: filter.status });
    if (filter.subjectId) {
      query.andWhere('request.subjectId = :subjectId', { subjectId: filter.subjectId });
    }
    return keysetPage(query, {
      alias: 'request',
      sortColumn: 'received_at',
      limit: filter.limit,
      cursor: filter.cursor,
    });
  }
}
