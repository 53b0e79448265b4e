import { randomUUID } from 'node:crypto';
import type { Writable } from 'node:stream';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { AuthenticatedUser } from '#libs/common/auth/authenticated-user.js';
import { AUDIT_LOG, type AuditLog } from '#libs/common/compliance-ports.js';
import { ProblemException, unprocessable } from '#libs/common/errors/problem.exception.js';
import type { IdentityProof } from '#libs/common/privacy/personal-data-contributor.js';
import { retentionPolicy } from '#libs/common/privacy/retention-policies.js';
import type { ErasureCategoryDto, ErasureReportDto } from './dto/privacy.dto.js';
import { ExportAbortedError, JsonExportWriter } from './json-export-writer.js';
import { PrivacyContributors } from './privacy-contributors.js';
import type { PrivacyRequestEntity } from './privacy-request.entity.js';
import { PrivacyRequestsRepository } from './privacy-requests.repository.js';
import { PrivacyRequestsService } from './privacy-requests.service.js';

/** Version of the `GET /me/export` document (docs/personal-data-export.md). */
export const EXPORT_SCHEMA_VERSION = 1;
export const EXPORT_FORMAT = 'pathavana.personal-data-export';

const DAY_MS = 86_400_000;

export interface RequestContext {
  requestId: string;
}

/**
 * Data-subject rights over every discovered contributor: the streamed export, the erasure preview
 * and the erasure itself (one transaction for all contributors).
 */
@Injectable()
export class PrivacyService {
  private readonly logger = new Logger(PrivacyService.name);

  constructor(
    private readonly register: PrivacyRequestsRepository,
    private readonly contributors: PrivacyContributors,
    private readonly requests: PrivacyRequestsService,
    @Inject(AUDIT_LOG) private readonly audit: AuditLog,
  ) {}

  /**
   * Registers the request (and an audit event), then writes the document to `out` as the
   * contributors produce it. Resolves when the document is complete or the client went away.
   * Self-service (`/me/export`): a new `access` request, completed with the document. Staff
   * (`staffRequest`): the subject's export for a verified request, audited as done by staff for
   * the subject; the request stays open until staff complete it.
   */
  async startExport(
    user: AuthenticatedUser,
    context: RequestContext,
    staff?: { request: PrivacyRequestEntity; subjectId: string },
  ): Promise<{ requestId: string; run: (out: Writable) => Promise<void> }> {
    const subjectId = staff?.subjectId ?? user.id;
    const request = await this.register.transaction(async (_, manager) => {
      const created =
        staff?.request ?? (await this.requests.open('access', user.id, context.requestId, manager));
      await this.audit.record(
        {
          actorId: user.id,
          actorRoles: user.roles,
          action: 'privacy.export',
          subjectId,
          resourceType: 'privacy_request',
          resourceId: created.id,
          reason: staff ? 'on behalf of the subject' : null,
          requestId: context.requestId,
        },
        manager,
      );
      return created;
    });
    const run = async (out: Writable): Promise<void> => {
      const writer = new JsonExportWriter(out);
      const sections: string[] = [];
      try {
        await writer.begin({
          schemaVersion: EXPORT_SCHEMA_VERSION,
          format: EXPORT_FORMAT,
          generatedAt: new Date().toISOString(),
          subjectId,
          privacyRequestId: request.id,
          categories: this.contributors.categories().map((category) => ({
            category: category.category,
            contributor: category.contributor,
            description: category.description,
            erasure: category.erasure,
            retentionPolicy: category.retentionPolicy ?? null,
          })),
        });
        for (const { key, instance } of this.contributors.all()) {
          await writer.beginContributor(key);
          await instance.export(subjectId, writer);
          await writer.endContributor();
          sections.push(key);
        }
        await writer.end();
        // Record completion before the response ends, so a client that has the whole document
        // never finds the request still in progress.
        if (!staff) {
          await this.requests.finish(
            request.id,
            'completed',
            { contributors: sections },
            'Export delivered to the signed-in subject.',
          );
        }
        out.end();
      } catch (error) {
        const aborted = error instanceof ExportAbortedError;
        if (!aborted) this.logger.error(error);
        out.destroy(aborted ? undefined : (error as Error));
        if (!staff) {
          await this.requests
            .finish(
              request.id,
              'rejected',
              { contributors: sections, aborted },
              'The export was cut short.',
            )
            .catch((finishError: unknown) => this.logger.error(finishError));
        }
      }
    };
    return { requestId: request.id, run };
  }

  /**
   * Exactly what `DELETE /me` would do, computed by running the erasure in a transaction that is
   * rolled back: the preview cannot disagree with the real thing.
   */
  async preview(userId: string): Promise<ErasureReportDto> {
    return this.register.rolledBack(async (manager) => {
      const now = new Date();
      const categories = await this.eraseAll(userId, manager, randomUUID(), now);
      return {
        executed: false,
        privacyRequestId: null,
        pseudonym: null,
        at: now.toISOString(),
        categories,
      };
    });
  }

  /** Re-authenticates, then erases in one transaction; the report is also the request's outcome. */
  async erase(
    user: AuthenticatedUser,
    proof: IdentityProof,
    context: RequestContext,
  ): Promise<ErasureReportDto> {
    const staffRoles = user.roles.filter((role) => role !== 'user');
    if (staffRoles.length > 0) {
      // Staff actions are the audit trail's subject matter: offboard first (an admin removes the
      // roles), then the person can erase their account like anyone else.
      throw unprocessable(
        'STAFF_ACCOUNT',
        `Accounts holding staff roles (${staffRoles.join(', ')}) cannot be erased; ask an admin to remove the roles first.`,
        { roles: staffRoles },
      );
    }
    const verifiers = this.contributors.all().filter(({ instance }) => instance.confirmIdentity);
    if (verifiers.length === 0) {
      throw new ProblemException(
        503,
        'ERASURE_UNAVAILABLE',
        'No module can confirm your identity; erasure is unavailable.',
      );
    }
    for (const { instance } of verifiers) await instance.confirmIdentity?.(user.id, proof);

    const pseudonym = randomUUID();
    return this.register.transaction(async (_, manager) => {
      const now = new Date();
      const categories = await this.eraseAll(user.id, manager, pseudonym, now);
      const result = Object.fromEntries(categories.map((c) => [c.category, c.rows]));
      const request = await this.requests.open('erasure', pseudonym, context.requestId, manager, {
        status: 'completed',
        result,
        outcome: 'Account erased by the subject (self-service).',
        receivedAt: now,
      });
      await this.recordErasure(
        { id: pseudonym, roles: user.roles },
        pseudonym,
        request.id,
        categories,
        context.requestId,
        manager,
      );
      return {
        executed: true,
        privacyRequestId: request.id,
        pseudonym,
        at: now.toISOString(),
        categories,
      };
    });
  }

  /**
   * Erases on the subject's behalf (staff, verified request); same path as `DELETE /me`. `before`
   * runs first in the transaction (lock and re-check the request), `after` records the outcome.
   */
  async eraseFor(
    userId: string,
    hooks: {
      before: (manager: EntityManager) => Promise<void>;
      after: (
        manager: EntityManager,
        pseudonym: string,
        report: ErasureCategoryDto[],
      ) => Promise<void>;
    },
  ): Promise<ErasureReportDto> {
    const pseudonym = randomUUID();
    return this.register.transaction(async (_, manager) => {
      await hooks.before(manager);
      const now = new Date();
      const categories = await this.eraseAll(userId, manager, pseudonym, now);
      await hooks.after(manager, pseudonym, categories);
      return {
        executed: true,
        privacyRequestId: null,
        pseudonym,
        at: now.toISOString(),
        categories,
      };
    });
  }

  /**
   * The audit event of an executed erasure (self-service or on the subject's behalf), in the
   * erasure's transaction: the subject is named by its pseudonym only, the reason lists each
   * category's action and rows.
   */
  async recordErasure(
    actor: { id: string; roles: readonly string[] },
    pseudonym: string,
    privacyRequestId: string,
    categories: readonly ErasureCategoryDto[],
    requestId: string | undefined,
    manager: EntityManager,
  ): Promise<void> {
    await this.audit.record(
      {
        actorId: actor.id,
        actorRoles: actor.roles,
        action: 'privacy.erasure',
        subjectId: pseudonym,
        resourceType: 'privacy_request',
        resourceId: privacyRequestId,
        reason: categories.map((c) => `${c.category}:${c.action}:${c.rows}`).join(' '),
        requestId,
      },
      manager,
    );
  }

  private async eraseAll(
    userId: string,
    manager: EntityManager,
    pseudonym: string,
    now: Date,
  ): Promise<ErasureCategoryDto[]> {
    const report: ErasureCategoryDto[] = [];
    for (const { key, instance } of this.contributors.all()) {
      const described = instance.describe().categories;
      const counts = await instance.erase(userId, manager, pseudonym);
      for (const category of described) {
        const count = counts.find((entry) => entry.category === category.category);
        if (!count) {
          throw new Error(`Contributor "${key}" did not report category "${category.category}"`);
        }
        const policy = category.retentionPolicy ? retentionPolicy(category.retentionPolicy) : null;
        report.push({
          category: category.category,
          contributor: key,
          description: category.description,
          action: category.erasure,
          rows: count.rows,
          keptUntil:
            category.erasure === 'pseudonymise' && policy
              ? new Date(now.getTime() + policy.periodDays * DAY_MS).toISOString()
              : null,
          retention:
            category.erasure === 'pseudonymise' && policy
              ? { policy: policy.category, period: policy.period, reason: policy.reason }
              : null,
        });
      }
    }
    return report;
  }
}
