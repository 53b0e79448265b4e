import { Body, Controller, Get, HttpCode, Inject, Post, Query, Req } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiTags,
  ApiOperation,
} from '#libs/common/openapi/api-docs.js';
import type { FastifyRequest } from 'fastify';
import type { AuthenticatedUser } from '#libs/common/auth/authenticated-user.js';
import { CurrentUser, Roles } from '#libs/common/auth/decorators.js';
import { RateLimit } from '#libs/common/http/rate-limit.js';
import { AUDIT_LOG, type AuditLog } from '#libs/common/compliance-ports.js';
import { mapPage } from '#libs/common/pagination/pagination.js';
import { AuditLogService } from './audit-log.service.js';
import { toAuditEventDto, toConsentNoticeDto } from './compliance.mappers.js';
import { ConsentLedgerService } from './consent-ledger.service.js';
import { ConsentNoticesService } from './consent-notices.service.js';
import {
  AuditEventPageDto,
  AuditEventsQueryDto,
  VerifyChainQueryDto,
} from './dto/audit-event.dto.js';
import { ConsentNoticeResponseDto, PublishConsentNoticeDto } from './dto/consent-notice.dto.js';
import { ChainVerificationResponseDto } from './dto/consent.dto.js';
import { requestOrigin } from './request-context.js';

/**
 * Compliance staff only (`admin` is refused). Staff reads of another person's data are audited:
 * the chain verification (names a subject) and every audit-log read (one INSERT each, cheap);
 * notice publication is audited as a change.
 */
@ApiTags('compliance')
@ApiBearerAuth()
@Roles('compliance')
@Controller('compliance')
export class ComplianceController {
  constructor(
    private readonly notices: ConsentNoticesService,
    private readonly ledger: ConsentLedgerService,
    private readonly auditEvents: AuditLogService,
    @Inject(AUDIT_LOG) private readonly audit: AuditLog,
  ) {}

  /** Publishes the next version of a purpose's notice. */
  @Post('consent-notices')
  @HttpCode(201)
  @ApiCreatedResponse({ type: ConsentNoticeResponseDto })
  @ApiOperation({ summary: 'Publish a consent notice version' })
  async publish(
    @CurrentUser() user: AuthenticatedUser,
    @Body() body: PublishConsentNoticeDto,
    @Req() request: FastifyRequest,
  ): Promise<ConsentNoticeResponseDto> {
    const notice = await this.notices.publish(body);
    await this.audit.record({
      actorId: user.id,
      actorRoles: user.roles,
      action: 'consent_notice.publish',
      resourceType: 'consent_notice',
      resourceId: notice.id,
      reason: `${notice.purpose} v${notice.version}${notice.requiresReconsent ? ' (re-consent)' : ''}`,
      requestId: requestOrigin(request).requestId,
    });
    return toConsentNoticeDto(notice);
  }

  /** Recomputes a subject's consent hash chain and reports where it breaks, if it does. */
  @Get('consent-records/verify')
  @RateLimit('expensive')
  @ApiOkResponse({ type: ChainVerificationResponseDto })
  @ApiOperation({ summary: 'Verify the consent record chains' })
  async verify(
    @CurrentUser() user: AuthenticatedUser,
    @Query() query: VerifyChainQueryDto,
    @Req() request: FastifyRequest,
  ): Promise<ChainVerificationResponseDto> {
    const result = await this.ledger.verify(query.subjectId);
    await this.audit.record({
      actorId: user.id,
      actorRoles: user.roles,
      action: 'consent_chain.verify',
      subjectId: query.subjectId,
      resourceType: 'consent_events',
      requestId: requestOrigin(request).requestId,
    });
    return { subjectId: query.subjectId, ...result, verifiedAt: new Date().toISOString() };
  }

  /** The audit trail, filtered, newest first. */
  @Get('audit-events')
  @ApiOkResponse({ type: AuditEventPageDto })
  @ApiOperation({ summary: 'List audit events' })
  async auditTrail(
    @CurrentUser() user: AuthenticatedUser,
    @Query() query: AuditEventsQueryDto,
    @Req() request: FastifyRequest,
  ): Promise<AuditEventPageDto> {
    const page = await this.auditEvents.list(query);
    // Recorded after the read, so a page never contains the read that produced it.
    await this.audit.record({
      actorId: user.id,
      actorRoles: user.roles,
      action: 'audit.read',
      subjectId: query.subjectId ?? null,
      resourceType: 'audit_events',
      requestId: requestOrigin(request).requestId,
    });
    return mapPage(page, toAuditEventDto);
  }
}
