import { PassThrough } from 'node:stream';
import {
  Body,
  Controller,
  Get,
  HttpCode,
  Inject,
  Param,
  ParseUUIDPipe,
  Post,
  Query,
  Req,
  Res,
} from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
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
import { requestOrigin } from '../request-context.js';
import { ErasureReportDto } from './dto/privacy.dto.js';
import {
  CreatePrivacyRequestDto,
  ExtendPrivacyRequestDto,
  PrivacyRequestDetailDto,
  PrivacyRequestResponseDto,
  ProcessingActivitiesQueryDto,
  ProcessingActivityListDto,
  StaffErasureDto,
  TransitionPrivacyRequestDto,
} from './dto/privacy-requests.dto.js';
import { PrivacyContributors } from './privacy-contributors.js';
import { PrivacyFulfilmentService } from './privacy-fulfilment.service.js';
import { toPrivacyRequestDetailDto, toPrivacyRequestDto } from './privacy.mappers.js';
import { PrivacyRequestsService, type StaffContext } from './privacy-requests.service.js';
import { processingActivities, processingActivitiesCsv } from './processing-activities.js';

const RequestId = (): ParameterDecorator => Param('id', new ParseUUIDPipe());

/**
 * Compliance staff run the register of data-subject requests: intake, the lifecycle, deadline
 * extension, fulfilment on the subject's behalf, and the Art. 30 record. Every step is audited.
 * (The list is `GET /compliance/privacy-requests` in PrivacyComplianceController.)
 */
@ApiTags('compliance')
@ApiBearerAuth()
@Roles('compliance')
@Controller('compliance')
export class PrivacyRequestsController {
  constructor(
    private readonly requests: PrivacyRequestsService,
    private readonly fulfilment: PrivacyFulfilmentService,
    private readonly contributors: PrivacyContributors,
    @Inject(AUDIT_LOG) private readonly audit: AuditLog,
  ) {}

  @Post('privacy-requests')
  @HttpCode(201)
  @ApiOperation({ summary: 'Register a privacy request received by email, letter, phone or form' })
  @ApiCreatedResponse({ type: PrivacyRequestResponseDto })
  async create(
    @CurrentUser() user: AuthenticatedUser,
    @Body() body: CreatePrivacyRequestDto,
    @Req() request: FastifyRequest,
  ): Promise<PrivacyRequestResponseDto> {
    return toPrivacyRequestDto(await this.requests.create(body, context(user, request)));
  }

  @Get('privacy-requests/:id')
  @ApiOperation({ summary: 'A privacy request with its history' })
  @ApiOkResponse({ type: PrivacyRequestDetailDto })
  async get(
    @CurrentUser() user: AuthenticatedUser,
    @RequestId() id: string,
    @Req() request: FastifyRequest,
  ): Promise<PrivacyRequestDetailDto> {
    const found = await this.requests.get(id);
    const history = await this.requests.historyOf(id);
    await this.audit.record({
      actorId: user.id,
      actorRoles: user.roles,
      action: 'privacy_request.read',
      subjectId: found.subjectId,
      resourceType: 'privacy_request',
      resourceId: id,
      requestId: requestOrigin(request).requestId,
    });
    return toPrivacyRequestDetailDto(found, history);
  }

  @Post('privacy-requests/:id/transition')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Move a privacy request along its lifecycle',
    description:
      'received → identity_verified (identityMethod) → in_progress → completed (outcome) | rejected (reason); received → rejected. Anything else: 409 ILLEGAL_PRIVACY_REQUEST_TRANSITION.',
  })
  @ApiOkResponse({ type: PrivacyRequestResponseDto })
  async transition(
    @CurrentUser() user: AuthenticatedUser,
    @RequestId() id: string,
    @Body() body: TransitionPrivacyRequestDto,
    @Req() request: FastifyRequest,
  ): Promise<PrivacyRequestResponseDto> {
    return toPrivacyRequestDto(await this.requests.transition(id, body, context(user, request)));
  }

  @Post('privacy-requests/:id/extend')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Extend the deadline by two months, once (GDPR Art. 12(3))',
    description: 'A second extension: 409 ALREADY_EXTENDED.',
  })
  @ApiOkResponse({ type: PrivacyRequestResponseDto })
  async extend(
    @CurrentUser() user: AuthenticatedUser,
    @RequestId() id: string,
    @Body() body: ExtendPrivacyRequestDto,
    @Req() request: FastifyRequest,
  ): Promise<PrivacyRequestResponseDto> {
    return toPrivacyRequestDto(await this.requests.extend(id, body.reason, context(user, request)));
  }

  /** The subject's `/me/export` document, for an identity-verified access or portability request. */
  @Get('privacy-requests/:id/export')
  @RateLimit('expensive')
  @ApiOperation({
    summary: "Stream the subject's personal-data export (access and portability requests)",
    description:
      'The same document as GET /me/export. Needs status identity_verified or in_progress (409 PRIVACY_REQUEST_NOT_VERIFIED), a subject account (422 PRIVACY_REQUEST_NO_SUBJECT) and type access or portability (422 WRONG_PRIVACY_REQUEST_TYPE). Audited.',
  })
  @ApiProduces('application/json')
  @ApiOkResponse({ description: 'The export document', schema: { type: 'object' } })
  async export(
    @CurrentUser() user: AuthenticatedUser,
    @RequestId() id: string,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const started = await this.fulfilment.startExport(id, context(user, request));
    const out = new PassThrough({ highWaterMark: 64 * 1024 });
    const stamp = new Date().toISOString().slice(0, 10);
    void reply
      .header('content-type', 'application/json; charset=utf-8')
      .header('cache-control', 'no-store')
      .header('content-disposition', `attachment; filename="privacy-request-${id}-${stamp}.json"`)
      .header('x-privacy-request-id', started.requestId)
      .send(out);
    reply.raw.once('close', () => {
      if (!out.writableFinished) out.destroy();
    });
    await started.run(out);
  }

  @Post('privacy-requests/:id/erasure')
  @HttpCode(200)
  @RateLimit('expensive')
  @ApiOperation({
    summary: "Preview or execute the subject's erasure (erasure requests), completing the request",
    description:
      'The same effects as DELETE /me, recorded as done by staff for the subject. dryRun: true changes nothing.',
  })
  @ApiOkResponse({ type: ErasureReportDto })
  erasure(
    @CurrentUser() user: AuthenticatedUser,
    @RequestId() id: string,
    @Body() body: StaffErasureDto,
    @Req() request: FastifyRequest,
  ): Promise<ErasureReportDto> {
    return this.fulfilment.erase(id, body.dryRun, context(user, request));
  }

  @Get('processing-activities')
  @ApiOperation({
    summary: 'The record of processing activities (GDPR Art. 30), JSON or CSV',
    description:
      "Built from the modules' personal-data contributors: category, purpose, legal basis, retention, recipients.",
  })
  @ApiProduces('application/json', 'text/csv')
  @ApiOkResponse({ type: ProcessingActivityListDto })
  async processingActivities(
    @CurrentUser() user: AuthenticatedUser,
    @Query() query: ProcessingActivitiesQueryDto,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ProcessingActivityListDto | string> {
    const items = processingActivities(this.contributors.categories());
    await this.audit.record({
      actorId: user.id,
      actorRoles: user.roles,
      action: 'processing_activities.read',
      resourceType: 'processing_activities',
      reason: `format=${query.format ?? 'json'}`,
      requestId: requestOrigin(request).requestId,
    });
    if (query.format === 'csv') {
      void reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', 'attachment; filename="processing-activities.csv"');
      return processingActivitiesCsv(items);
    }
    return { items, nextCursor: null };
  }
}

const context = (actor: AuthenticatedUser, request: FastifyRequest): StaffContext => ({
  actor,
  requestId: requestOrigin(request).requestId,
});
