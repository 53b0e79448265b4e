import { Delete, Get, HttpCode, Post, Req, Res } from '@nestjs/common';
import {
  ApiBody,
  ApiConsumes,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
} from '#libs/common/openapi/api-docs.js';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AuthenticatedUser } from '#libs/common/auth/authenticated-user.js';
import { CurrentUser, RequiresConsent } from '#libs/common/auth/decorators.js';
import { UuidParam } from '#libs/common/http/uuid-param.js';
import type { AppConfig } from '#config/app-config.js';
import {
  type DocumentOwnerResolver,
  type DocumentOwnerRoutes,
  ownerParamOf,
  routeLocation,
} from '../document-routes.js';
import {
  DocumentFileListDto,
  DocumentFileResponseDto,
  UploadDocumentFileDto,
} from './document-file.dto.js';
import type { DocumentFilesService } from './document-files.service.js';
import { FILE_CONTENT_SCHEMA, sendFileContent } from './file-reply.js';
import { receiveUpload } from './multipart-upload.js';

/** The handlers of a document-files controller, bound to one owner kind's routes. */
export interface DocumentFilesHandlers {
  upload(
    user: AuthenticatedUser,
    ownerParam: string,
    documentId: string,
    request: FastifyRequest,
    reply: FastifyReply,
  ): Promise<DocumentFileResponseDto>;
  list(
    user: AuthenticatedUser,
    ownerParam: string,
    documentId: string,
  ): Promise<DocumentFileListDto>;
  content(
    user: AuthenticatedUser,
    ownerParam: string,
    documentId: string,
    fileId: string,
    reply: FastifyReply,
  ): Promise<void>;
  remove(
    user: AuthenticatedUser,
    ownerParam: string,
    documentId: string,
    fileId: string,
  ): Promise<void>;
}

/**
 * The evidence (scans) routes of one owner kind's documents, the same for every kind: upload,
 * list, content, delete. Uploading is new processing and needs the `travel_documents` consent;
 * listing, reading and deleting do not (withdrawing consent stops new processing, it does not
 * lock the owner out of their own files).
 *
 * The owner kind's controller extends the class this returns, carries the class decorators
 * (`@Controller(path)`, tag, guards) and says who owns the document for the caller
 * (`ownerFor`: another user's owner → 404; `change` is true for upload and delete). Its
 * constructor passes the files service and the config.
 */
export function DocumentFilesController(
  routes: DocumentOwnerRoutes,
): abstract new (
  files: DocumentFilesService,
  config: AppConfig,
) => DocumentFilesHandlers & DocumentOwnerResolver {
  const OwnerParam = ownerParamOf(routes);
  const DocumentParam = UuidParam(routes.documentParam);

  abstract class Files implements DocumentFilesHandlers, DocumentOwnerResolver {
    constructor(
      protected readonly files: DocumentFilesService,
      protected readonly config: AppConfig,
    ) {}

    /** The owner id of the caller's documents under this route (404 when not theirs). */
    abstract ownerFor(
      user: AuthenticatedUser,
      ownerParam: string,
      change: boolean,
    ): Promise<string>;

    @Post()
    @RequiresConsent('travel_documents')
    @ApiOperation({ summary: 'Upload a scan of the document (multipart: field side, then file)' })
    @ApiConsumes('multipart/form-data')
    @ApiBody({ type: UploadDocumentFileDto })
    @ApiCreatedResponse({ type: DocumentFileResponseDto })
    async upload(
      @CurrentUser() user: AuthenticatedUser,
      @OwnerParam ownerParam: string,
      @DocumentParam documentId: string,
      @Req() request: FastifyRequest,
      @Res({ passthrough: true }) reply: FastifyReply,
    ): Promise<DocumentFileResponseDto> {
      const ownerId = await this.ownerFor(user, ownerParam, true);
      const file = await this.files.admitted(async () => {
        const { side, bytes } = await receiveUpload(request, this.config.DOCUMENT_FILE_MAX_BYTES);
        return this.files.upload(routes.owner, ownerId, documentId, side, bytes);
      });
      void reply.header(
        'Location',
        routeLocation(routes, ownerParam, documentId, file.id, 'content'),
      );
      return file;
    }

    @Get()
    @ApiOperation({ summary: 'The files of the document' })
    @ApiOkResponse({ type: DocumentFileListDto })
    async list(
      @CurrentUser() user: AuthenticatedUser,
      @OwnerParam ownerParam: string,
      @DocumentParam documentId: string,
    ): Promise<DocumentFileListDto> {
      const ownerId = await this.ownerFor(user, ownerParam, false);
      return { items: await this.files.list(routes.owner, ownerId, documentId) };
    }

    @Get(':fileId/content')
    @ApiOperation({ summary: 'The bytes of a file (images inline, PDF as attachment)' })
    @ApiOkResponse({ description: 'The file', content: FILE_CONTENT_SCHEMA })
    async content(
      @CurrentUser() user: AuthenticatedUser,
      @OwnerParam ownerParam: string,
      @DocumentParam documentId: string,
      @UuidParam('fileId') fileId: string,
      @Res() reply: FastifyReply,
    ): Promise<void> {
      const ownerId = await this.ownerFor(user, ownerParam, false);
      await sendFileContent(
        reply,
        await this.files.content(routes.owner, ownerId, documentId, fileId),
      );
    }

    @Delete(':fileId')
    @HttpCode(204)
    @ApiOperation({ summary: 'Delete a file (a verified document goes back to review)' })
    @ApiNoContentResponse()
    async remove(
      @CurrentUser() user: AuthenticatedUser,
      @OwnerParam ownerParam: string,
      @DocumentParam documentId: string,
      @UuidParam('fileId') fileId: string,
    ): Promise<void> {
      const ownerId = await this.ownerFor(user, ownerParam, true);
      await this.files.remove(routes.owner, ownerId, documentId, fileId);
    }
  }
  return Files;
}
