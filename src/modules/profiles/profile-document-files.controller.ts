import { Controller, Delete, Get, HttpCode, Post, Req, Res } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
  ApiConsumes,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { UuidParam } from '#libs/common/http/uuid-param.js';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AuthenticatedUser } from '#libs/common/auth/authenticated-user.js';
import {
  CurrentUser,
  RequiresConsent,
  RequiresVerifiedEmail,
} from '#libs/common/auth/decorators.js';
import { type AppConfig, InjectConfig } from '#config/app-config.js';
import {
  DocumentFileListDto,
  DocumentFileResponseDto,
  UploadDocumentFileDto,
} from '#modules/documents/files/document-file.dto.js';
import { DocumentFilesService } from '#modules/documents/files/document-files.service.js';
import { FILE_CONTENT_SCHEMA, sendFileContent } from '#modules/documents/files/file-reply.js';
import { receiveUpload } from '#modules/documents/files/multipart-upload.js';

/**
 * Evidence (scans) of the caller's own documents. Uploading is new processing and needs the
 * `travel_documents` consent; listing, reading and deleting do not (withdrawing consent stops
 * new processing, it does not lock the owner out of their own files).
 */
@ApiTags('profiles')
@ApiBearerAuth()
@RequiresVerifiedEmail()
@Controller('profile/documents/:id/files')
export class ProfileDocumentFilesController {
  constructor(
    private readonly files: DocumentFilesService,
    @InjectConfig() private readonly config: AppConfig,
  ) {}

  @Post()
  @RequiresConsent('travel_documents')
  @ApiOperation({ summary: 'Upload a scan of the document (multipart: field side, then file)' })
  @ApiConsumes('multipart/form-data')
  @ApiBody({ type: UploadDocumentFileDto })
  @ApiCreatedResponse({ type: DocumentFileResponseDto })
  async upload(
    @CurrentUser() user: AuthenticatedUser,
    @UuidParam('id') id: string,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<DocumentFileResponseDto> {
    const { side, bytes } = await receiveUpload(request, this.config.DOCUMENT_FILE_MAX_BYTES);
    const file = await this.files.upload('user', user.id, id, side, bytes);
    void reply.header('Location', `/api/v1/profile/documents/${id}/files/${file.id}/content`);
    return file;
  }

  @Get()
  @ApiOperation({ summary: 'The files of the document' })
  @ApiOkResponse({ type: DocumentFileListDto })
  async list(
    @CurrentUser() user: AuthenticatedUser,
    @UuidParam('id') id: string,
  ): Promise<DocumentFileListDto> {
    return { items: await this.files.list('user', user.id, id) };
  }

  @Get(':fileId/content')
  @ApiOperation({ summary: 'The bytes of a file (images inline, PDF as attachment)' })
  @ApiOkResponse({ description: 'The file', content: FILE_CONTENT_SCHEMA })
  async content(
    @CurrentUser() user: AuthenticatedUser,
    @UuidParam('id') id: string,
    @UuidParam('fileId') fileId: string,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    await sendFileContent(reply, await this.files.content('user', user.id, id, fileId));
  }

  @Delete(':fileId')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a file (a verified document goes back to review)' })
  @ApiNoContentResponse()
  remove(
    @CurrentUser() user: AuthenticatedUser,
    @UuidParam('id') id: string,
    @UuidParam('fileId') fileId: string,
  ): Promise<void> {
    return this.files.remove('user', user.id, id, fileId);
  }
}
