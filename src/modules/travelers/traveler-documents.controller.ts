import {
  Body,
  Controller,
  Delete,
  Get,
  Headers,
  HttpCode,
  Patch,
  Post,
  Query,
  Res,
} from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiHeader,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiTags,
  ApiOperation,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { AuthenticatedUser } from '#libs/common/auth/authenticated-user.js';
import {
  CurrentUser,
  RequiresConsent,
  RequiresVerifiedEmail,
} from '#libs/common/auth/decorators.js';
import { versionFromIfMatch } from '#libs/common/http/version-etag.js';
import type { Page } from '#libs/common/pagination/pagination.js';
import { DocumentsService } from '#modules/documents/documents.service.js';
import { CreateDocumentDto } from '#modules/documents/dto/create-document.dto.js';
import {
  DocumentPageDto,
  DocumentResponseDto,
} from '#modules/documents/dto/document-response.dto.js';
import { ListDocumentsQueryDto } from '#modules/documents/dto/list-documents-query.dto.js';
import { UpdateDocumentDto } from '#modules/documents/dto/update-document.dto.js';
import { TravelersService } from './travelers.service.js';
import { UuidParam } from '#libs/common/http/uuid-param.js';
import { VersionETag } from '#libs/common/http/version-etag.interceptor.js';
import { API_PREFIX } from '#libs/common/http/api-prefix.js';

/**
 * A traveler's travel documents (owner kind `traveler`): the same rules as profile documents.
 * The traveler is resolved for the caller first, so another user's traveler is 404 throughout;
 * an archived traveler's documents can be read but not changed.
 */
@ApiTags('travelers')
@ApiBearerAuth()
@RequiresVerifiedEmail()
@Controller('travelers/:travelerId/documents')
export class TravelerDocumentsController {
  constructor(
    private readonly travelers: TravelersService,
    private readonly documents: DocumentsService,
  ) {}

  @RequiresConsent('travel_documents')
  @Post()
  @ApiCreatedResponse({ type: DocumentResponseDto })
  @VersionETag()
  @ApiOperation({ summary: "Add a traveler's travel document" })
  async create(
    @CurrentUser() user: AuthenticatedUser,
    @UuidParam('travelerId') travelerId: string,
    @Body() body: CreateDocumentDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<DocumentResponseDto> {
    await this.travelers.findEditable(user.id, travelerId);
    const document = await this.documents.create('traveler', travelerId, body);
    void reply.header('Location', `${API_PREFIX}/travelers/${travelerId}/documents/${document.id}`);
    return document;
  }

  @Get()
  @ApiOkResponse({ type: DocumentPageDto })
  @ApiOperation({ summary: "List a traveler's travel documents" })
  async list(
    @CurrentUser() user: AuthenticatedUser,
    @UuidParam('travelerId') travelerId: string,
    @Query() query: ListDocumentsQueryDto,
  ): Promise<Page<DocumentResponseDto>> {
    await this.travelers.findOwned(user.id, travelerId);
    return this.documents.list('traveler', travelerId, query);
  }

  @Get(':documentId')
  @ApiOkResponse({ type: DocumentResponseDto })
  @VersionETag()
  @ApiOperation({ summary: "Get a traveler's travel document" })
  async get(
    @CurrentUser() user: AuthenticatedUser,
    @UuidParam('travelerId') travelerId: string,
    @UuidParam('documentId') documentId: string,
  ): Promise<DocumentResponseDto> {
    await this.travelers.findOwned(user.id, travelerId);
    const document = await this.documents.get('traveler', travelerId, documentId);
    return document;
  }

  @RequiresConsent('travel_documents')
  @Patch(':documentId')
  @ApiHeader({ name: 'If-Match', required: false })
  @ApiOkResponse({ type: DocumentResponseDto })
  @VersionETag()
  @ApiOperation({ summary: "Update a traveler's travel document" })
  async update(
    @CurrentUser() user: AuthenticatedUser,
    @UuidParam('travelerId') travelerId: string,
    @UuidParam('documentId') documentId: string,
    @Body() body: UpdateDocumentDto,
    @Headers('if-match') ifMatch: string | undefined,
  ): Promise<DocumentResponseDto> {
    await this.travelers.findEditable(user.id, travelerId);
    const document = await this.documents.update(
      'traveler',
      travelerId,
      documentId,
      body,
      versionFromIfMatch(ifMatch),
    );
    return document;
  }

  @Delete(':documentId')
  @HttpCode(204)
  @ApiNoContentResponse()
  @ApiOperation({ summary: "Delete a traveler's travel document" })
  async remove(
    @CurrentUser() user: AuthenticatedUser,
    @UuidParam('travelerId') travelerId: string,
    @UuidParam('documentId') documentId: string,
  ): Promise<void> {
    await this.travelers.findEditable(user.id, travelerId);
    await this.documents.remove('traveler', travelerId, documentId);
  }
}
