import { Body, Controller, Get, HttpCode, Inject, Post, Query, Req, Res } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiProperty,
  ApiTags,
} from '#libs/common/openapi/api-docs.js';
import { IsString, MaxLength } from 'class-validator';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AuthenticatedUser } from '#libs/common/auth/authenticated-user.js';
import { CurrentUser, Public, Roles } from '#libs/common/auth/decorators.js';
import { AUDIT_LOG, type AuditLog } from '#libs/common/compliance-ports.js';
import { forbidden } from '#libs/common/errors/problem.exception.js';
import { RateLimit } from '#libs/common/http/rate-limit.js';
import { type AppConfig, InjectConfig } from '#config/app-config.js';
import { API_PREFIX } from '#libs/common/http/api-prefix.js';
import { requestOrigin } from '../request-context.js';
import { ConsentDownloadLinks } from './consent-download-link.js';
import { ConsentRecordsExportService } from './consent-records-export.service.js';
import { ConsentRecordsQueryDto } from './dto/privacy.dto.js';

export class ConsentDownloadLinkDto {
  @ApiProperty({ description: 'Relative URL; GET it (no bearer token) within a minute' })
  url: string;

  @ApiProperty({ format: 'date-time' })
  expiresAt: string;
}

export class ConsentDownloadQueryDto {
  @ApiProperty()
  @IsString()
  @MaxLength(2048)
  token: string;
}

const invalidLink = () =>
  forbidden('DOWNLOAD_LINK_INVALID', 'This download link is invalid or has expired.');

/**
 * Consent-record exports as browser downloads (the staff console): a compliance officer mints
 * a signed link valid for one minute, and the browser fetches it natively, streaming the file
 * to disk. The download itself is audited like the bearer-token export.
 */
@ApiTags('compliance')
@Controller('compliance/consent-records')
export class ConsentRecordsDownloadController {
  private readonly links: ConsentDownloadLinks;

  constructor(
    private readonly consentExport: ConsentRecordsExportService,
    @Inject(AUDIT_LOG) private readonly audit: AuditLog,
    @InjectConfig() config: AppConfig,
  ) {
    this.links = new ConsentDownloadLinks(config.JWT_SECRET);
  }

  @ApiBearerAuth()
  @Roles('compliance')
  @Post('download-links')
  @RateLimit('expensive')
  @HttpCode(201)
  @ApiOperation({ summary: 'A one-minute signed link to download a consent-record export' })
  @ApiCreatedResponse({ type: ConsentDownloadLinkDto })
  createLink(
    @CurrentUser() user: AuthenticatedUser,
    @Body() body: ConsentRecordsQueryDto,
  ): ConsentDownloadLinkDto {
    const { token, expiresAt } = this.links.issue({
      actorId: user.id,
      actorRoles: [...user.roles],
      format: body.format ?? 'csv',
      purpose: body.purpose,
      from: body.from,
      to: body.to,
    });
    return {
      url: `${API_PREFIX}/compliance/consent-records/download?token=${encodeURIComponent(token)}`,
      expiresAt: new Date(expiresAt * 1000).toISOString(),
    };
  }

  @Public()
  @Get('download')
  @RateLimit('expensive')
  @ApiOperation({ summary: 'Download a consent-record export through a signed link' })
  @ApiProduces('text/csv', 'application/x-ndjson')
  @ApiOkResponse({ description: 'CSV with a header row, or one JSON object per line' })
  async download(
    @Query() query: ConsentDownloadQueryDto,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const grant = this.links.verify(query.token);
    if (!grant) throw invalidLink();
    const filter = { purpose: grant.purpose, from: grant.from, to: grant.to };
    await this.audit.record({
      actorId: grant.actorId,
      actorRoles: grant.actorRoles,
      action: 'consent_records.export',
      resourceType: 'consent_events',
      reason: `format=${grant.format} purpose=${filter.purpose ?? '*'} from=${filter.from ?? '*'} to=${filter.to ?? '*'} via=download_link`,
      requestId: requestOrigin(request).requestId,
    });
    const body = await this.consentExport.open(grant.format, filter);
    reply.raw.once('close', () => {
      if (!body.readableEnded) body.destroy();
    });
    const stamp = new Date().toISOString().slice(0, 10);
    const extension = grant.format === 'csv' ? 'csv' : 'ndjson';
    await reply
      .header(
        'content-type',
        grant.format === 'csv' ? 'text/csv; charset=utf-8' : 'application/x-ndjson; charset=utf-8',
      )
      .header('cache-control', 'no-store')
      .header('content-disposition', `attachment; filename="consent-records-${stamp}.${extension}"`)
      .send(body);
  }
}
