import type { Writable } from 'node:stream';
import { Inject, Injectable } from '@nestjs/common';
import { AUDIT_LOG, type AuditLog } from '#libs/common/compliance-ports.js';
import { conflict, unprocessable } from '#libs/common/errors/problem.exception.js';
import { SUBJECT_DIRECTORY, type SubjectDirectory } from '#libs/common/subject-ports.js';
import type { ErasureReportDto } from './dto/privacy.dto.js';
import type { PrivacyRequestEntity } from './privacy-request.entity.js';
import {
  EXPORTABLE_TYPES,
  FULFILLABLE_STATUSES,
  type PrivacyRequestType,
} from './privacy-request-states.js';
import { PrivacyRequestsRepository } from './privacy-requests.repository.js';
import { PrivacyRequestsService, type StaffContext } from './privacy-requests.service.js';
import { PrivacyService } from './privacy.service.js';

/**
 * Staff fulfil a verified request on the subject's behalf with the code the subject's own routes
 * use: the export of `/me/export`, the erasure of `DELETE /me` (which completes the request).
 */
@Injectable()
export class PrivacyFulfilmentService {
  constructor(
    private readonly requests: PrivacyRequestsService,
    private readonly register: PrivacyRequestsRepository,
    private readonly privacy: PrivacyService,
    @Inject(SUBJECT_DIRECTORY) private readonly directory: SubjectDirectory,
    @Inject(AUDIT_LOG) private readonly audit: AuditLog,
  ) {}

  async startExport(
    id: string,
    context: StaffContext,
  ): Promise<{ requestId: string; run: (out: Writable) => Promise<void> }> {
    const request = await this.requests.get(id);
    const subjectId = await this.fulfillable(request, EXPORTABLE_TYPES);
    return this.privacy.startExport(
      context.actor,
      { requestId: context.requestId },
      { request, subjectId },
    );
  }

  async erase(id: string, dryRun: boolean, context: StaffContext): Promise<ErasureReportDto> {
    const request = await this.requests.get(id);
    const subjectId = await this.fulfillable(request, ['erasure']);
    const account = await this.directory.findById(subjectId);
    const staffRoles = (account?.roles ?? []).filter((role) => role !== 'user');
    if (staffRoles.length > 0) {
      throw unprocessable(
        'STAFF_ACCOUNT',
        `The subject holds staff roles (${staffRoles.join(', ')}); an admin removes them first.`,
        { roles: staffRoles },
      );
    }
    if (dryRun) {
      const preview = await this.privacy.preview(subjectId);
      await this.audit.record({
        actorId: context.actor.id,
        actorRoles: context.actor.roles,
        action: 'privacy.erasure_preview',
        subjectId,
        resourceType: 'privacy_request',
        resourceId: request.id,
        requestId: context.requestId,
      });
      return { ...preview, privacyRequestId: request.id };
    }
    const email = account?.email ?? null;
    let statusAtStart = request.status;
    const report = await this.privacy.eraseFor(subjectId, {
      // Two executions of one request serialise on its row; the second finds it completed.
      before: async (manager) => {
        await this.register.lock(request.id, manager);
        statusAtStart = (await this.requests.get(request.id, manager)).status;
        if (!FULFILLABLE_STATUSES.includes(statusAtStart)) {
          throw conflict('PRIVACY_REQUEST_NOT_VERIFIED', `The request is ${statusAtStart}.`, {
            status: statusAtStart,
          });
        }
      },
      after: async (manager, pseudonym, categories) => {
        // The register row now carries the pseudonym (the contributor pseudonymised it).
        if (statusAtStart === 'identity_verified') {
          await this.requests.transition(request.id, { to: 'in_progress' }, context, manager);
        }
        await this.requests.transition(
          request.id,
          {
            to: 'completed',
            outcome: `Erased on the subject's behalf: ${categories
              .map((c) => `${c.category} ${c.action} ${c.rows}`)
              .join(', ')}.`,
          },
          context,
          manager,
        );
        await this.register.setResult(
          request.id,
          Object.fromEntries(categories.map((c) => [c.category, c.rows])),
          manager,
        );
        await this.privacy.recordErasure(
          context.actor,
          pseudonym,
          request.id,
          categories,
          context.requestId,
          manager,
        );
      },
    });
    // Confirmation to the address the account had (kept in memory only, never stored again).
    await this.requests.mailSubject(await this.requests.get(request.id), email);
    return { ...report, privacyRequestId: request.id };
  }

  /** The subject's id, or a problem saying why the request cannot be fulfilled now. */
  private async fulfillable(
    request: PrivacyRequestEntity,
    types: readonly PrivacyRequestType[],
  ): Promise<string> {
    if (!types.includes(request.type)) {
      throw unprocessable(
        'WRONG_PRIVACY_REQUEST_TYPE',
        `This action fulfils ${types.join(' or ')} requests; this one is ${request.type}.`,
        { type: request.type, allowed: types },
      );
    }
    if (!FULFILLABLE_STATUSES.includes(request.status)) {
      throw conflict(
        'PRIVACY_REQUEST_NOT_VERIFIED',
        `The request is ${request.status}; verify the subject's identity first (identity_verified or in_progress).`,
        { status: request.status },
      );
    }
    if (!request.subjectId || !(await this.directory.findById(request.subjectId))) {
      throw unprocessable(
        'PRIVACY_REQUEST_NO_SUBJECT',
        'The request has no subject account (none matched, or it was erased).',
      );
    }
    return request.subjectId;
  }
}
