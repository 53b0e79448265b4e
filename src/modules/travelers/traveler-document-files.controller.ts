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
import { TravelersService } from './travelers.service.js';

/**
 * Evidence (scans) of a traveler's documents: the same rules as profile document files. The
 * traveler is resolved for the caller first (another user's traveler → 404); an archived
 * traveler's files can be read but not changed. Only uploading needs the consent.
 */
@ApiTags('travelers')
@ApiBearerAuth()
@RequiresVerifiedEmail()
@Controller('travelers/:travelerId/documents/:documentId/files')
export class TravelerDocumentFilesController {
  constructor(
    private readonly travelers: TravelersService,
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
    @UuidParam('travelerId') travelerId: string,
    @UuidParam('documentId') documentId: string,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<DocumentFileResponseDto> {
    await this.travelers.findEditable(user.id, travelerId);
    const { side, bytes } = await receiveUpload(request, this.config.DOCUMENT_FILE_MAX_BYTES);
    const file = await this.files.upload('traveler', travelerId, documentId, side, bytes);
    void reply.header(
      'Location',
      `/api/v1/travelers/${travelerId}/documents/${documentId}/files/${file.id}/content`,
    );
    return file;
  }

  @Get()
  @ApiOperation({ summary: 'The files of the document' })
  @ApiOkResponse({ type: DocumentFileListDto })
  async list(
    @CurrentUser() user: AuthenticatedUser,
    @UuidParam('travelerId') travelerId: string,
    @UuidParam('documentId') documentId: string,
  ): Promise<DocumentFileListDto> {
    await this.travelers.findOwned(user.id, travelerId);
    return { items: await this.files.list('traveler', travelerId, documentId) };
  }

  @Get(':fileId/content')
  @ApiOperation({ summary: 'The bytes of a file (images inline, PDF as attachment)' })
  @ApiOkResponse({ description: 'The file', content: FILE_CONTENT_SCHEMA })
  async content(
    @CurrentUser() user: AuthenticatedUser,
    @UuidParam('travelerId') travelerId: string,
    @UuidParam('documentId') documentId: string,
    @UuidParam('fileId') fileId: string,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    await this.travelers.findOwned(user.id, travelerId);
    await sendFileContent(
      reply,
      await this.files.content('traveler', travelerId, documentId, fileId),
    );
  }

  @Delete(':fileId')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a file (a verified document goes back to review)' })
  @ApiNoContentResponse()
  async remove(
    @CurrentUser() user: AuthenticatedUser,
    @UuidParam('travelerId') travelerId: string,
    @UuidParam('documentId') documentId: string,
    @UuidParam('fileId') fileId: string,
  ): Promise<void> {
    await this.travelers.findEditable(user.id, travelerId);
    await this.files.remove('traveler', travelerId, documentId, fileId);
  }
}
