import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AUDIT_LOG, type AuditLog } from '#libs/common/compliance-ports.js';
import { validationProblem } from '#libs/common/http/validation.js';
import {
  decodeCursor,
  DEFAULT_PAGE_SIZE,
  encodeCursor,
  type Page,
} from '#libs/common/pagination/pagination.js';
import { nextStatus, type DocumentEvent } from './document-lifecycle.js';
import { DocumentReviewEntity } from './document-review.entity.js';
import { DocumentStore } from './document-store.js';
import {
  DOCUMENT_KINDS,
  REJECTION_REASON_CODES,
  type DocumentKind,
} from './document-vocabulary.js';
import { toAdminDocumentDetail, toAdminDocumentResponse } from './document.mapper.js';
import { documentNotFound, invalidTransition } from './document.problems.js';
import type { DocumentFileVariant } from './files/document-file.entity.js';
import { evidenceRequired } from './files/document-file.problems.js';
import { DocumentFilesService, type FileContent } from './files/document-files.service.js';
import { DocumentsService } from './documents.service.js';
import type { AdminDocumentQueryDto, ReviewDocumentDto } from './dto/admin-document.dto.js';
import type {
  AdminDocumentDetailResponseDto,
  AdminDocumentResponseDto,
  RevealedDocumentNumberDto,
} from './dto/document-response.dto.js';
import type { TravelDocumentBase } from './travel-document.base.js';

/** The staff member acting, as the audit trail records them. */
export interface DocumentActor {
  id: string;
  roles: readonly string[];
  requestId?: string | null;
}

interface Located {
  kind: DocumentKind;
  document: TravelDocumentBase;
}

const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The verification desk across every owner kind: the queue, claim, decisions (append-only in
 * `document_reviews`) and the audited reveal. Every staff read of someone's document and every
 * staff action is an audit event written in the same transaction as the action.
 */
@Injectable()
export class DocumentAdminService {
  constructor(
    private readonly store: DocumentStore,
    private readonly documents: DocumentsService,
    private readonly files: DocumentFilesService,
    @Inject(AUDIT_LOG) private readonly audit: AuditLog,
  ) {}

  /**
   * The queue, oldest first (first come, first reviewed), keyset-paginated on (created_at, id)
   * across the kinds' tables. Overdue documents are expired before listing.
   */
  async queue(
    query: AdminDocumentQueryDto,
    actor: DocumentActor,
  ): Promise<Page<AdminDocumentResponseDto>> {
    const kinds = (query.kind ? [query.kind] : [...DOCUMENT_KINDS]).filter((kind) =>
      this.store.registry.has(kind),
    );
    if (kinds.length === 0) return { items: [], nextCursor: null };
    for (const kind of kinds) await this.store.expireOverdue(kind);

    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const parameters: unknown[] = [];
    const union = kinds
      .map((kind) => {
        parameters.push(kind);
        return `SELECT $${parameters.length}::text AS kind, id, status::text AS status, created_at FROM "${this.store.tableName(kind)}"`;
      })
      .join(' UNION ALL ');
    const conditions: string[] = [];
    if (query.status) {
      parameters.push(query.status);
      conditions.push(`status = $${parameters.length}`);
    }
    if (query.cursor) {
      const [sort, id] = decodeCursor(query.cursor);
      if (!TIMESTAMP.test(sort) || !UUID.test(id)) decodeCursor('');
      parameters.push(sort, id);
      conditions.push(
        `(created_at, id) > ($${parameters.length - 1}::timestamptz, $${parameters.length}::uuid)`,
      );
    }
    parameters.push(limit + 1);
    const rows: Array<{ kind: DocumentKind; id: string; keyset_sort: string }> =
      await this.store.dataSource.query(
        `SELECT kind, id, to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS keyset_sort
           FROM (${union}) AS queue
          ${conditions.length ? `WHERE ${conditions.join(' AND ')}` : ''}
          ORDER BY created_at ASC, id ASC
          LIMIT $${parameters.length}`,
        parameters,
      );
    const hasMore = rows.length > limit;
    const pageRows = rows.slice(0, limit);
    const loaded = new Map<string, AdminDocumentResponseDto>();
    for (const kind of kinds) {
      const ids = pageRows.filter((row) => row.kind === kind).map((row) => row.id);
      if (ids.length === 0) continue;
      const documents = await this.store
        .repository(kind)
        .createQueryBuilder('d')
        .where('d.id IN (:...ids)', { ids })
        .getMany();
      for (const summary of await this.summaries(kind, documents)) loaded.set(summary.id, summary);
    }
    const items = pageRows
      .map((row) => loaded.get(row.id))
      .filter((item): item is AdminDocumentResponseDto => item !== undefined);
    const last = pageRows.at(-1);
    await this.record(actor, 'document.list', null, null, null);
    return {
      items,
      nextCursor: hasMore && last ? encodeCursor([last.keyset_sort, last.id]) : null,
    };
  }

  async get(id: string, actor: DocumentActor): Promise<AdminDocumentDetailResponseDto> {
    const { kind, document } = await this.locate(id);
    return this.store.dataSource.transaction(async (manager) => {
      const [summary] = await this.summaries(kind, [document], manager);
      const detail = toAdminDocumentDetail(
        summary as AdminDocumentResponseDto,
        await this.reviewsOf(kind, id, manager),
        await this.files.filesOf(kind, id, manager),
      );
      await this.record(actor, 'document.read', detail, kind, null, manager);
      return detail;
    });
  }

  /** pending → in_review, by this admin. */
  async claim(id: string, actor: DocumentActor): Promise<AdminDocumentDetailResponseDto> {
    const { kind } = await this.locate(id);
    return this.store.dataSource.transaction(async (manager) => {
      const document = await this.lock(kind, id, manager);
      this.transition(document, 'claim');
      document.claimedBy = actor.id;
      document.claimedAt = new Date();
      const saved = await this.store.repository(kind, manager).save(document);
      const [summary] = await this.summaries(kind, [saved], manager);
      const detail = toAdminDocumentDetail(
        summary as AdminDocumentResponseDto,
        await this.reviewsOf(kind, id, manager),
        await this.files.filesOf(kind, id, manager),
      );
      await this.record(actor, 'document.claim', detail, kind, null, manager);
      return detail;
    });
  }

  /**
   * verify | reject, straight from `pending` or after a claim. The decision is appended to
   * `document_reviews` with reviewer, reason code, internal note and time; the owner sees the
   * reason code only.
   */
  async review(
    id: string,
    dto: ReviewDocumentDto,
    actor: DocumentActor,
  ): Promise<AdminDocumentDetailResponseDto> {
    const reasonCode =
      dto.decision === 'verify' ? (dto.reasonCode ?? 'document_valid') : dto.reasonCode;
    if (dto.decision === 'verify' && reasonCode !== 'document_valid') {
      throw validationProblem({ reasonCode: ['a verification takes reasonCode document_valid'] });
    }
    if (
      dto.decision === 'reject' &&
      (!reasonCode || !REJECTION_REASON_CODES.includes(reasonCode))
    ) {
      throw validationProblem({
        reasonCode: [`a rejection needs one of: ${REJECTION_REASON_CODES.join(', ')}`],
      });
    }
    const { kind } = await this.locate(id);
    return this.store.dataSource.transaction(async (manager) => {
      const document = await this.lock(kind, id, manager);
      const fromStatus = document.status;
      this.transition(document, dto.decision);
      if (dto.decision === 'verify' && !(await this.hasFront(kind, id, manager))) {
        throw evidenceRequired();
      }
      const now = new Date();
      document.reviewReasonCode = reasonCode ?? null;
      document.reviewedAt = now;
      document.reviewedBy = actor.id;
      const saved = await this.store.repository(kind, manager).save(document);
      await manager.getRepository(DocumentReviewEntity).insert({
        documentKind: kind,
        documentId: id,
        reviewerId: actor.id,
        decision: dto.decision,
        reasonCode: reasonCode as NonNullable<typeof reasonCode>,
        note: dto.note ?? null,
        fromStatus,
        createdAt: now,
      });
      const [summary] = await this.summaries(kind, [saved], manager);
      const detail = toAdminDocumentDetail(
        summary as AdminDocumentResponseDto,
        await this.reviewsOf(kind, id, manager),
        await this.files.filesOf(kind, id, manager),
      );
      await this.record(
        actor,
        `document.${dto.decision}`,
        detail,
        kind,
        reasonCode ?? null,
        manager,
      );
      return detail;
    });
  }

  /**
   * The full number, for a stated reason. The audit event is written first, in the same
   * transaction: no audit trail, no number.
   */
  async reveal(
    id: string,
    reason: string,
    actor: DocumentActor,
  ): Promise<RevealedDocumentNumberDto> {
    const { kind, document } = await this.locate(id);
    return this.store.dataSource.transaction(async (manager) => {
      const [summary] = await this.summaries(kind, [document], manager);
      await this.record(actor, 'document.reveal', summary ?? null, kind, reason, manager);
      return { id, kind, number: this.documents.decryptNumber(kind, document) };
    });
  }

  /**
   * The bytes of a document's file (`preview`: JPEG, long side ≤ 1600 px, images only). The
   * audit event `document.file.viewed` is committed before any byte is returned.
   */
  async fileContent(
    id: string,
    fileId: string,
    variant: DocumentFileVariant,
    actor: DocumentActor,
  ): Promise<FileContent> {
    const { kind, document } = await this.locate(id);
    const content = await this.files.read(kind, id, fileId, variant);
    await this.store.dataSource
      .transaction(async (manager) => {
        const [summary] = await this.summaries(kind, [document], manager);
        await this.audit.record(
          {
            actorId: actor.id,
            actorRoles: actor.roles,
            action: 'document.file.viewed',
            subjectId: summary?.accountHolderId ?? null,
            resourceType: 'document_file',
            resourceId: fileId,
            reason: `${this.store.kind(kind).resourceType} ${id} (${variant})`,
            requestId: actor.requestId ?? null,
          },
          manager,
        );
      })
      .catch((error: unknown) => {
        content.stream.destroy();
        throw error;
      });
    return content;
  }

  private async hasFront(kind: DocumentKind, id: string, manager: EntityManager): Promise<boolean> {
    const files = await this.files.filesOf(kind, id, manager);
    return files.some((file) => file.side === 'front');
  }

  /** Finds a document of any registered kind by id (after the expiry rule). */
  private async locate(id: string): Promise<Located> {
    for (const kind of DOCUMENT_KINDS) {
      if (!this.store.registry.has(kind)) continue;
      await this.store.expireOverdue(kind, { id });
      const document = await this.store.repository(kind).findOne({ where: { id } });
      if (document) return { kind, document };
    }
    throw documentNotFound();
  }

  private async lock(
    kind: DocumentKind,
    id: string,
    manager: EntityManager,
  ): Promise<TravelDocumentBase> {
    const document = await this.store
      .repository(kind, manager)
      .createQueryBuilder('d')
      .where('d.id = :id', { id })
      .setLock('pessimistic_write')
      .getOne();
    if (!document) throw documentNotFound();
    return document;
  }

  private transition(document: TravelDocumentBase, event: DocumentEvent): void {
    const status = nextStatus(document.status, event);
    if (status === null) throw invalidTransition(document.status, event);
    document.status = status;
    document.statusChangedAt = new Date();
  }

  private async summaries(
    kind: DocumentKind,
    documents: readonly TravelDocumentBase[],
    manager?: EntityManager,
  ): Promise<AdminDocumentResponseDto[]> {
    const ownerIds = [...new Set(documents.map((doc) => this.store.ownerIdOf(kind, doc)))];
    const holders = await this.store
      .kind(kind)
      .accountHoldersOf(ownerIds, manager ?? this.store.dataSource.manager);
    return documents.map((doc) => {
      const ownerId = this.store.ownerIdOf(kind, doc);
      return toAdminDocumentResponse(kind, ownerId, holders.get(ownerId) ?? null, doc);
    });
  }

  private reviewsOf(
    kind: DocumentKind,
    id: string,
    manager: EntityManager,
  ): Promise<DocumentReviewEntity[]> {
    return manager.getRepository(DocumentReviewEntity).find({
      where: { documentKind: kind, documentId: id },
      order: { createdAt: 'ASC', id: 'ASC' },
    });
  }

  private async record(
    actor: DocumentActor,
    action: string,
    document: AdminDocumentResponseDto | null,
    kind: DocumentKind | null,
    reason: string | null,
    manager?: EntityManager,
  ): Promise<void> {
    await this.audit.record(
      {
        actorId: actor.id,
        actorRoles: actor.roles,
        action,
        subjectId: document?.accountHolderId ?? null,
        resourceType: kind ? this.store.kind(kind).resourceType : 'document',
        resourceId: document?.id ?? null,
        reason,
        requestId: actor.requestId ?? null,
      },
      manager,
    );
  }
}
