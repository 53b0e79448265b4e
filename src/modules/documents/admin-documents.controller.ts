import { Body, Controller, Get, HttpCode, Post, Query, Req, Res } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '#libs/common/openapi/api-docs.js';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AuthenticatedUser } from '#libs/common/auth/authenticated-user.js';
import { CurrentUser, RequiresRecentAuth, Roles } from '#libs/common/auth/decorators.js';
import type { Page } from '#libs/common/pagination/pagination.js';
import { DocumentAdminService, type DocumentActor } from './document-admin.service.js';
import {
  AdminDocumentQueryDto,
  RevealDocumentDto,
  ReviewDocumentDto,
} from './dto/admin-document.dto.js';
import {
  AdminDocumentDetailResponseDto,
  AdminDocumentPageDto,
  type AdminDocumentResponseDto,
  RevealedDocumentNumberDto,
} from './dto/document-response.dto.js';
import { UuidParam } from '#libs/common/http/uuid-param.js';
import { FileContentQueryDto } from './files/document-file.dto.js';
import { FILE_CONTENT_SCHEMA, sendFileContent } from './files/file-reply.js';

const actorOf = (user: AuthenticatedUser, request: FastifyRequest): DocumentActor => ({
  id: user.id,
  roles: user.roles,
  requestId: request.id,
});

/**
 * The verification desk for travel documents of every owner kind (user and traveler). Lives
 * with the shared document piece, which owns the review data. Every call is audited.
 */
@ApiTags('admin')
@ApiBearerAuth()
@Roles('admin')
@Controller('admin/documents')
export class AdminDocumentsController {
  constructor(private readonly admin: DocumentAdminService) {}

  @Get()
  @ApiOperation({
    summary: 'Verification queue (oldest first), across user and traveler documents',
  })
  @ApiOkResponse({ type: AdminDocumentPageDto })
  queue(
    @Query() query: AdminDocumentQueryDto,
    @CurrentUser() user: AuthenticatedUser,
    @Req() request: FastifyRequest,
  ): Promise<Page<AdminDocumentResponseDto>> {
    return this.admin.queue(query, actorOf(user, request));
  }

  @Get(':id')
  @ApiOkResponse({ type: AdminDocumentDetailResponseDto })
  @ApiOperation({ summary: 'Get a travel document for review' })
  get(
    @UuidParam('id') id: string,
    @CurrentUser() user: AuthenticatedUser,
    @Req() request: FastifyRequest,
  ): Promise<AdminDocumentDetailResponseDto> {
    return this.admin.get(id, actorOf(user, request));
  }

  @Get(':id/files/:fileId/content')
  @ApiOperation({
    summary: 'The bytes of a file of the document (audited; ?variant=preview for a JPEG preview)',
  })
  @ApiOkResponse({ description: 'The file', content: FILE_CONTENT_SCHEMA })
  async fileContent(
    @UuidParam('id') id: string,
    @UuidParam('fileId') fileId: string,
    @Query() query: FileContentQueryDto,
    @CurrentUser() user: AuthenticatedUser,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const content = await this.admin.fileContent(
      id,
      fileId,
      query.variant ?? 'original',
      actorOf(user, request),
    );
    await sendFileContent(reply, content);
  }

  @Post(':id/claim')
  @HttpCode(200)
  @ApiOperation({ summary: 'Take a pending document into review (→ in_review)' })
  @ApiOkResponse({ type: AdminDocumentDetailResponseDto })
  claim(
    @UuidParam('id') id: string,
    @CurrentUser() user: AuthenticatedUser,
    @Req() request: FastifyRequest,
  ): Promise<AdminDocumentDetailResponseDto> {
    return this.admin.claim(id, actorOf(user, request));
  }

  @Post(':id/review')
  @HttpCode(200)
  @ApiOperation({ summary: 'Verify or reject (from pending or in_review)' })
  @ApiOkResponse({ type: AdminDocumentDetailResponseDto })
  review(
    @UuidParam('id') id: string,
    @Body() body: ReviewDocumentDto,
    @CurrentUser() user: AuthenticatedUser,
    @Req() request: FastifyRequest,
  ): Promise<AdminDocumentDetailResponseDto> {
    return this.admin.review(id, body, actorOf(user, request));
  }

  @RequiresRecentAuth()
  @Post(':id/reveal')
  @HttpCode(200)
  @ApiOperation({ summary: 'The full document number, for a stated reason (audited)' })
  @ApiOkResponse({ type: RevealedDocumentNumberDto })
  reveal(
    @UuidParam('id') id: string,
    @Body() body: RevealDocumentDto,
    @CurrentUser() user: AuthenticatedUser,
    @Req() request: FastifyRequest,
  ): Promise<RevealedDocumentNumberDto> {
    return this.admin.reveal(id, body.reason, actorOf(user, request));
  }
}
