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

/**
 * The caller's own travel documents (owner kind `user`). Needs a verified email and a live
 * `travel_documents` consent. Numbers are always masked here.
 */
@ApiTags('profiles')
@ApiBearerAuth()
@RequiresVerifiedEmail()
@Controller('profile/documents')
export class ProfileDocumentsController {
  constructor(private readonly documents: DocumentsService) {}

  @RequiresConsent('travel_documents')
  @Post()
  @ApiCreatedResponse({ type: DocumentResponseDto })
  async create(
    @CurrentUser() user: AuthenticatedUser,
    @Body() body: CreateDocumentDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<DocumentResponseDto> {
    const document = await this.documents.create('user', user.id, body);
    reply.header('ETag', etagOf(document.version));
    reply.header('Location', `/api/v1/profile/documents/${document.id}`);
    return document;
  }

  @Get()
  @ApiOkResponse({ type: DocumentPageDto })
  list(
    @CurrentUser() user: AuthenticatedUser,
    @Query() query: ListDocumentsQueryDto,
  ): Promise<Page<DocumentResponseDto>> {
    return this.documents.list('user', user.id, query);
  }

  @Get(':id')
  @ApiOkResponse({ type: DocumentResponseDto })
  async get(
    @CurrentUser() user: AuthenticatedUser,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<DocumentResponseDto> {
    const document = await this.documents.get('user', user.id, id);
    reply.header('ETag', etagOf(document.version));
    return document;
  }

  @RequiresConsent('travel_documents')
  @Patch(':id')
  @ApiHeader({ name: 'If-Match', required: false })
  @ApiOkResponse({ type: DocumentResponseDto })
  async update(
    @CurrentUser() user: AuthenticatedUser,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: UpdateDocumentDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<DocumentResponseDto> {
    const document = await this.documents.update(
      'user',
      user.id,
      id,
      body,
      versionFromIfMatch(ifMatch),
    );
    reply.header('ETag', etagOf(document.version));
    return document;
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiNoContentResponse()
  remove(
    @CurrentUser() user: AuthenticatedUser,
    @Param('id', new ParseUUIDPipe()) id: string,
  ): Promise<void> {
    return this.documents.remove('user', user.id, id);
  }
}
