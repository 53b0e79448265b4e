import { PassThrough } from 'node:stream';
import { Body, Controller, Delete, Get, HttpCode, Post, Req, Res } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiTags,
} from '#libs/common/openapi/api-docs.js';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AuthenticatedUser } from '#libs/common/auth/authenticated-user.js';
import { CurrentUser } from '#libs/common/auth/decorators.js';
import { RateLimit } from '#libs/common/http/rate-limit.js';
import { requestOrigin } from '../request-context.js';
import { DeleteAccountDto, ErasureReportDto } from './dto/privacy.dto.js';
import { EXPORT_SCHEMA_VERSION, PrivacyService } from './privacy.service.js';

@ApiTags('privacy')
@ApiBearerAuth()
@Controller('me')
export class MyPrivacyController {
  constructor(private readonly privacy: PrivacyService) {}

  /**
   * Everything held about the caller, as ONE JSON document streamed while it is produced
   * (schema: docs/personal-data-export.md). Recorded as a privacy request and an audit event.
   */
  @Get('export')
  @RateLimit('auth')
  @ApiOperation({
    summary: 'Export all personal data (streamed JSON)',
    description: `Document \`{schemaVersion: ${EXPORT_SCHEMA_VERSION}, format, generatedAt, subjectId, privacyRequestId, categories[], data: {<module>: {<section>: …}}, complete: true}\`; a document without \`complete: true\` was cut short.`,
  })
  @ApiProduces('application/json')
  @ApiOkResponse({ description: 'The export document', schema: { type: 'object' } })
  async export(
    @CurrentUser() user: AuthenticatedUser,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const { requestId } = requestOrigin(request);
    const started = await this.privacy.startExport(user, { requestId });
    const out = new PassThrough({ highWaterMark: 64 * 1024 });
    const stamp = new Date().toISOString().slice(0, 10);
    void reply
      .header('content-type', 'application/json; charset=utf-8')
      .header('cache-control', 'no-store')
      .header('content-disposition', `attachment; filename="pathavana-export-${stamp}.json"`)
      .header('x-privacy-request-id', started.requestId)
      .send(out);
    reply.raw.once('close', () => {
      if (!out.writableFinished) out.destroy();
    });
    await started.run(out);
  }

  /** What `DELETE /me` would delete, keep pseudonymised (until when, why); changes nothing. */
  @Post('erasure/preview')
  @HttpCode(200)
  @RateLimit('auth')
  @ApiOkResponse({ type: ErasureReportDto })
  @ApiOperation({ summary: 'Preview what erasing my account removes' })
  preview(@CurrentUser() user: AuthenticatedUser): Promise<ErasureReportDto> {
    return this.privacy.preview(user.id);
  }

  /**
   * Erases the account in one transaction: personal data deleted, records that must be kept
   * pseudonymised, consent proof kept under the pseudonym, every session gone. Needs the password
   * (or, without one, a token issued in the last 10 minutes).
   */
  @Delete()
  @HttpCode(200)
  @RateLimit('auth')
  @ApiOkResponse({ type: ErasureReportDto })
  @ApiOperation({ summary: 'Erase my account' })
  erase(
    @CurrentUser() user: AuthenticatedUser,
    @Body() body: DeleteAccountDto,
    @Req() request: FastifyRequest,
  ): Promise<ErasureReportDto> {
    return this.privacy.erase(
      user,
      { password: body.password, tokenIssuedAt: user.authTime },
      { requestId: requestOrigin(request).requestId },
    );
  }
}
