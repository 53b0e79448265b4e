import {
  Body,
  Controller,
  Delete,
  Get,
  Headers,
  HttpCode,
  Param,
  ParseUUIDPipe,
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
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { AuthenticatedUser } from '#libs/common/auth/authenticated-user.js';
import {
  CurrentUser,
  RequiresConsent,
  RequiresVerifiedEmail,
} from '#libs/common/auth/decorators.js';
import { etagOf, versionFromIfMatch } from '#libs/common/http/version-etag.js';
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

const Uuid = (name: string): ParameterDecorator => Param(name, new ParseUUIDPipe());

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
  async create(
    @CurrentUser() user: AuthenticatedUser,
    @Uuid('travelerId') travelerId: string,
    @Body() body: CreateDocumentDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<DocumentResponseDto> {
    await this.travelers.findEditable(user.id, travelerId);
    const document = await this.documents.create('traveler', travelerId, body);
    void reply.header('ETag', etagOf(document.version));
    void reply.header('Location', `/api/v1/travelers/${travelerId}/documents/${document.id}`);
    return document;
  }

  @Get()
  @ApiOkResponse({ type: DocumentPageDto })
  async list(
    @CurrentUser() user: AuthenticatedUser,
    @Uuid('travelerId') travelerId: string,
    @Query() query: ListDocumentsQueryDto,
  ): Promise<Page<DocumentResponseDto>> {
    await this.travelers.findOwned(user.id, travelerId);
    return this.documents.list('traveler', travelerId, query);
  }

  @Get(':documentId')
  @ApiOkResponse({ type: DocumentResponseDto })
  async get(
    @CurrentUser() user: AuthenticatedUser,
    @Uuid('travelerId') travelerId: string,
    @Uuid('documentId') documentId: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<DocumentResponseDto> {
    await this.travelers.findOwned(user.id, travelerId);
    const document = await this.documents.get('traveler', travelerId, documentId);
    void reply.header('ETag', etagOf(document.version));
    return document;
  }

  @RequiresConsent('travel_documents')
  @Patch(':documentId')
  @ApiHeader({ name: 'If-Match', required: false })
  @ApiOkResponse({ type: DocumentResponseDto })
  async update(
    @CurrentUser() user: AuthenticatedUser,
    @Uuid('travelerId') travelerId: string,
    @Uuid('documentId') documentId: string,
    @Body() body: UpdateDocumentDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<DocumentResponseDto> {
    await this.travelers.findEditable(user.id, travelerId);
    const document = await this.documents.update(
      'traveler',
      travelerId,
      documentId,
      body,
      versionFromIfMatch(ifMatch),
    );
    void reply.header('ETag', etagOf(document.version));
    return document;
  }

  @Delete(':documentId')
  @HttpCode(204)
  @ApiNoContentResponse()
  async remove(
    @CurrentUser() user: AuthenticatedUser,
    @Uuid('travelerId') travelerId: string,
    @Uuid('documentId') documentId: string,
  ): Promise<void> {
    await this.travelers.findEditable(user.id, travelerId);
    await this.documents.remove('traveler', travelerId, documentId);
  }
}
