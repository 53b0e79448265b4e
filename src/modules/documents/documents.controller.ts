import { Body, Delete, Get, Headers, HttpCode, Patch, Post, Query, Res } from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiHeader,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
} from '#libs/common/openapi/api-docs.js';
import type { FastifyReply } from 'fastify';
import type { AuthenticatedUser } from '#libs/common/auth/authenticated-user.js';
import { CurrentUser, RequiresConsent } from '#libs/common/auth/decorators.js';
import { versionFromIfMatch } from '#libs/common/http/version-etag.js';
import { UuidParam } from '#libs/common/http/uuid-param.js';
import { VersionETag } from '#libs/common/http/version-etag.interceptor.js';
import type { Page } from '#libs/common/pagination/pagination.js';
import {
  type DocumentOwnerResolver,
  type DocumentOwnerRoutes,
  ownerParamOf,
  routeLocation,
} from './document-routes.js';
import type { DocumentsService } from './documents.service.js';
import { CreateDocumentDto } from './dto/create-document.dto.js';
import { DocumentPageDto, DocumentResponseDto } from './dto/document-response.dto.js';
import { ListDocumentsQueryDto } from './dto/list-documents-query.dto.js';
import { UpdateDocumentDto } from './dto/update-document.dto.js';

/** One owner kind's document routes and the OpenAPI summary of each of its operations. */
export interface DocumentsRoutes extends DocumentOwnerRoutes {
  summaries: Record<keyof DocumentsHandlers, string>;
}

/** The handlers of a documents controller, bound to one owner kind's routes. */
export interface DocumentsHandlers {
  create(
    user: AuthenticatedUser,
    ownerParam: string,
    body: CreateDocumentDto,
    reply: FastifyReply,
  ): Promise<DocumentResponseDto>;
  list(
    user: AuthenticatedUser,
    ownerParam: string,
    query: ListDocumentsQueryDto,
  ): Promise<Page<DocumentResponseDto>>;
  get(
    user: AuthenticatedUser,
    ownerParam: string,
    documentId: string,
  ): Promise<DocumentResponseDto>;
  update(
    user: AuthenticatedUser,
    ownerParam: string,
    documentId: string,
    body: UpdateDocumentDto,
    ifMatch: string | undefined,
  ): Promise<DocumentResponseDto>;
  remove(user: AuthenticatedUser, ownerParam: string, documentId: string): Promise<void>;
}

/**
 * The travel-document routes of one owner kind, the same for every kind: create, list, get,
 * update (If-Match), delete. Creating and updating are new processing and need the
 * `travel_documents` consent; reading and deleting do not. Numbers are always masked here.
 *
 * The owner kind's controller extends the class this returns, carries the class decorators
 * (`@Controller(path)`, tag, guards) and says who owns the documents for the caller
 * (`ownerFor`: another user's owner → 404; `change` is true for create, update and delete).
 * Its constructor passes the documents service.
 */
export function DocumentsController(
  routes: DocumentsRoutes,
): abstract new (documents: DocumentsService) => DocumentsHandlers & DocumentOwnerResolver {
  const OwnerParam = ownerParamOf(routes);
  const DocumentParam = UuidParam(routes.documentParam);
  const { summaries } = routes;

  abstract class Documents implements DocumentsHandlers, DocumentOwnerResolver {
    constructor(protected readonly documents: DocumentsService) {}

    /** The owner id of the caller's documents under this route (404 when not theirs). */
    abstract ownerFor(
      user: AuthenticatedUser,
      ownerParam: string,
      change: boolean,
    ): Promise<string>;

    @RequiresConsent('travel_documents')
    @Post()
    @ApiCreatedResponse({ type: DocumentResponseDto })
    @VersionETag()
    @ApiOperation({ summary: summaries.create })
    async create(
      @CurrentUser() user: AuthenticatedUser,
      @OwnerParam ownerParam: string,
      @Body() body: CreateDocumentDto,
      @Res({ passthrough: true }) reply: FastifyReply,
    ): Promise<DocumentResponseDto> {
      const ownerId = await this.ownerFor(user, ownerParam, true);
      const document = await this.documents.create(routes.owner, ownerId, body);
      void reply.header('Location', routeLocation(routes, ownerParam, undefined, document.id));
      return document;
    }

    @Get()
    @ApiOkResponse({ type: DocumentPageDto })
    @ApiOperation({ summary: summaries.list })
    async list(
      @CurrentUser() user: AuthenticatedUser,
      @OwnerParam ownerParam: string,
      @Query() query: ListDocumentsQueryDto,
    ): Promise<Page<DocumentResponseDto>> {
      const ownerId = await this.ownerFor(user, ownerParam, false);
      return this.documents.list(routes.owner, ownerId, query);
    }

    @Get(`:${routes.documentParam}`)
    @ApiOkResponse({ type: DocumentResponseDto })
    @VersionETag()
    @ApiOperation({ summary: summaries.get })
    async get(
      @CurrentUser() user: AuthenticatedUser,
      @OwnerParam ownerParam: string,
      @DocumentParam documentId: string,
    ): Promise<DocumentResponseDto> {
      const ownerId = await this.ownerFor(user, ownerParam, false);
      return this.documents.get(routes.owner, ownerId, documentId);
    }

    @RequiresConsent('travel_documents')
    @Patch(`:${routes.documentParam}`)
    @ApiHeader({ name: 'If-Match', required: false })
    @ApiOkResponse({ type: DocumentResponseDto })
    @VersionETag()
    @ApiOperation({ summary: summaries.update })
    async update(
      @CurrentUser() user: AuthenticatedUser,
      @OwnerParam ownerParam: string,
      @DocumentParam documentId: string,
      @Body() body: UpdateDocumentDto,
      @Headers('if-match') ifMatch: string | undefined,
    ): Promise<DocumentResponseDto> {
      const ownerId = await this.ownerFor(user, ownerParam, true);
      return this.documents.update(
        routes.owner,
        ownerId,
        documentId,
        body,
        versionFromIfMatch(ifMatch),
      );
    }

    @Delete(`:${routes.documentParam}`)
    @HttpCode(204)
    @ApiNoContentResponse()
    @ApiOperation({ summary: summaries.remove })
    async remove(
      @CurrentUser() user: AuthenticatedUser,
      @OwnerParam ownerParam: string,
      @DocumentParam documentId: string,
    ): Promise<void> {
      const ownerId = await this.ownerFor(user, ownerParam, true);
      await this.documents.remove(routes.owner, ownerId, documentId);
    }
  }
  return Documents;
}
