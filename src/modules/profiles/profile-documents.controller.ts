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
import { UuidParam } from '#libs/common/http/uuid-param.js';
import { VersionETag } from '#libs/common/http/version-etag.interceptor.js';
import { API_PREFIX } from '#libs/common/http/api-prefix.js';

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
  @VersionETag()
  @ApiOperation({ summary: 'Add a travel document' })
  async create(
    @CurrentUser() user: AuthenticatedUser,
    @Body() body: CreateDocumentDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<DocumentResponseDto> {
    const document = await this.documents.create('user', user.id, body);
    reply.header('Location', `${API_PREFIX}/profile/documents/${document.id}`);
    return document;
  }

  @Get()
  @ApiOkResponse({ type: DocumentPageDto })
  @ApiOperation({ summary: 'List my travel documents' })
  list(
    @CurrentUser() user: AuthenticatedUser,
    @Query() query: ListDocumentsQueryDto,
  ): Promise<Page<DocumentResponseDto>> {
    return this.documents.list('user', user.id, query);
  }

  @Get(':id')
  @ApiOkResponse({ type: DocumentResponseDto })
  @VersionETag()
  @ApiOperation({ summary: 'Get one of my travel documents' })
  async get(
    @CurrentUser() user: AuthenticatedUser,
    @UuidParam('id') id: string,
  ): Promise<DocumentResponseDto> {
    const document = await this.documents.get('user', user.id, id);
    return document;
  }

  @RequiresConsent('travel_documents')
  @Patch(':id')
  @ApiHeader({ name: 'If-Match', required: false })
  @ApiOkResponse({ type: DocumentResponseDto })
  @VersionETag()
  @ApiOperation({ summary: 'Update one of my travel documents' })
  async update(
    @CurrentUser() user: AuthenticatedUser,
    @UuidParam('id') id: string,
    @Body() body: UpdateDocumentDto,
    @Headers('if-match') ifMatch: string | undefined,
  ): Promise<DocumentResponseDto> {
    const document = await this.documents.update(
      'user',
      user.id,
      id,
      body,
      versionFromIfMatch(ifMatch),
    );
    return document;
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiNoContentResponse()
  @ApiOperation({ summary: 'Delete one of my travel documents' })
  remove(@CurrentUser() user: AuthenticatedUser, @UuidParam('id') id: string): Promise<void> {
    return this.documents.remove('user', user.id, id);
  }
}
