import { Body, Controller, Get, HttpCode, Inject, Post, Query, Req, Res } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiTags,
} from '#libs/common/openapi/api-docs.js';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AuthenticatedUser } from '#libs/common/auth/authenticated-user.js';
import { CurrentUser, Roles } from '#libs/common/auth/decorators.js';
import { AUDIT_LOG, type AuditLog } from '#libs/common/compliance-ports.js';
import { RateLimit } from '#libs/common/http/rate-limit.js';
import { mapPage } from '#libs/common/pagination/pagination.js';
import { RETENTION_POLICIES } from '#libs/common/privacy/retention-policies.js';
import { requestOrigin } from '../request-context.js';
import { ConsentRecordsExportService } from './consent-records-export.service.js';
import {
  ConsentRecordsQueryDto,
  PrivacyRequestsQueryDto,
  RetentionPolicyListDto,
  RetentionRunDto,
  RetentionRunResponseDto,
} from './dto/privacy.dto.js';
import { PrivacyRequestPageDto } from './dto/privacy-requests.dto.js';
import { toPrivacyRequestDto } from './privacy.mappers.js';
import { PrivacyContributors } from './privacy-contributors.js';
import { PrivacyRequestsService } from './privacy-requests.service.js';
import { RetentionService } from './retention.service.js';

/** Compliance staff: the privacy-request register, consent-record export, retention. */
@ApiTags('compliance')
@ApiBearerAuth()
@Roles('compliance')
@Controller('compliance')
export class PrivacyComplianceController {
  constructor(
    private readonly requests: PrivacyRequestsService,
    private readonly consentExport: ConsentRecordsExportService,
    private readonly retention: RetentionService,
    private readonly contributors: PrivacyContributors,
    @Inject(AUDIT_LOG) private readonly audit: AuditLog,
  ) {}

  /**
   * Data-subject requests, newest first (subjects are pseudonyms once erased); `overdue=true`: open
   * past the deadline (the extended one when extended). Audited.
   */
  @Get('privacy-requests')
  @ApiOkResponse({ type: PrivacyRequestPageDto })
  @ApiOperation({ summary: 'List privacy requests' })
  async privacyRequests(
    @CurrentUser() user: AuthenticatedUser,
    @Query() query: PrivacyRequestsQueryDto,
    @Req() request: FastifyRequest,
  ): Promise<PrivacyRequestPageDto> {
    const page = await this.requests.list({
      ...query,
      overdue: query.overdue === undefined ? undefined : query.overdue === 'true',
    });
    await this.audit.record({
      actorId: user.id,
      actorRoles: user.roles,
      action: 'privacy_requests.read',
      subjectId: query.subjectId ?? null,
      resourceType: 'privacy_requests',
      requestId: requestOrigin(request).requestId,
    });
    return mapPage(page, toPrivacyRequestDto);
  }

  /**
   * Every consent event matching the filter, streamed by PostgreSQL (COPY … TO STDOUT) as CSV
   * (header row, formula cells prefixed with `'`) or NDJSON. Audited before the first byte.
   */
  @Get('consent-records')
  @RateLimit('expensive')
  @ApiOperation({
    summary: 'Export consent records (streamed CSV or NDJSON)',
    description:
      'Columns: event_id subject_id purpose notice_version text_sha256 decision occurred_at ip user_agent source actor_id traveler_id, ordered by occurred_at.',
  })
  @ApiProduces('text/csv', 'application/x-ndjson')
  @ApiOkResponse({ description: 'CSV with a header row, or one JSON object per line' })
  async consentRecords(
    @CurrentUser() user: AuthenticatedUser,
    @Query() query: ConsentRecordsQueryDto,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const format = query.format ?? 'csv';
    const filter = { purpose: query.purpose, from: query.from, to: query.to };
    await this.audit.record({
      actorId: user.id,
      actorRoles: user.roles,
      action: 'consent_records.export',
      resourceType: 'consent_events',
      reason: `format=${format} purpose=${filter.purpose ?? '*'} from=${filter.from ?? '*'} to=${filter.to ?? '*'}`,
      requestId: requestOrigin(request).requestId,
    });
    const body = await this.consentExport.open(format, filter);
    reply.raw.once('close', () => {
      if (!body.readableEnded) body.destroy();
    });
    const stamp = new Date().toISOString().slice(0, 10);
    await reply
      .header(
        'content-type',
        format === 'csv' ? 'text/csv; charset=utf-8' : 'application/x-ndjson; charset=utf-8',
      )
      .header('cache-control', 'no-store')
      .header(
        'content-disposition',
        `attachment; filename="consent-records-${stamp}.${format === 'csv' ? 'csv' : 'ndjson'}"`,
      )
      .send(body);
  }

  /** Retention policies as code, with the contributors whose purge tasks apply each. */
  @Get('retention-policies')
  @ApiOkResponse({ type: RetentionPolicyListDto })
  @ApiOperation({ summary: 'List retention policies' })
  retentionPolicies(): RetentionPolicyListDto {
    const appliedBy = (category: string) =>
      this.contributors
        .all()
        .filter(({ instance }) =>
          (instance.retentionTasks?.() ?? []).some((task) => task.category === category),
        )
        .map(({ key }) => key);
    return {
      items: RETENTION_POLICIES.map((policy) => ({
        ...policy,
        appliedBy: appliedBy(policy.category),
      })),
      nextCursor: null,
    };
  }

  /** Purges what is past retention (`dryRun: true` only counts). Audited. */
  @Post('retention/run')
  @RateLimit('expensive')
  @HttpCode(200)
  @ApiOkResponse({ type: RetentionRunResponseDto })
  @ApiOperation({ summary: 'Run the retention purge now' })
  async runRetention(
    @CurrentUser() user: AuthenticatedUser,
    @Body() body: RetentionRunDto,
    @Req() request: FastifyRequest,
  ): Promise<RetentionRunResponseDto> {
    const result = await this.retention.run({ dryRun: body.dryRun });
    await this.audit.record({
      actorId: user.id,
      actorRoles: user.roles,
      action: body.dryRun ? 'retention.dry_run' : 'retention.run',
      resourceType: 'retention',
      reason: `${result.total} rows ${body.dryRun ? 'past retention' : 'deleted'}`,
      requestId: requestOrigin(request).requestId,
    });
    return result;
  }
}
