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
  Req,
  Res,
} from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiConsumes,
  ApiCreatedResponse,
  ApiHeader,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiTags,
  ApiOperation,
} from '#libs/common/openapi/api-docs.js';
import type { FastifyReply } from 'fastify';
import type { AuthenticatedUser } from '#libs/common/auth/authenticated-user.js';
import { CurrentUser, RequiresConsent } from '#libs/common/auth/decorators.js';
import {
  ListsOwned,
  type PrefetchedOwned,
  prefetchedOwned,
  type PrefetchedOwnedList,
  prefetchedOwnedList,
  ReadsOwned,
} from '#libs/common/auth/owned-read.js';
import type { Page } from '#libs/common/pagination/pagination.js';
import {
  AppendMessageDto,
  ListMessagesQueryDto,
  MessagePageDto,
  MessageResponseDto,
} from './dto/message.dto.js';
import {
  CreateSessionDto,
  ListSessionsQueryDto,
  SessionPageDto,
  SessionResponseDto,
  type SessionSummaryDto,
  UpdateSessionDto,
} from './dto/session.dto.js';
import { parseIfMatch } from '#libs/common/http/version-etag.js';
import { etagOf } from './sessions.exception.js';
import { SESSION_OWNED_LIST } from './session-list.js';
import { SESSION_OWNED_READ } from './sessions.repository.js';
import { SessionsService } from './sessions.service.js';
import type { TravelSessionEntity } from './travel-session.entity.js';
import { UuidParam } from '#libs/common/http/uuid-param.js';
import { VersionETag } from '#libs/common/http/version-etag.interceptor.js';
import { API_PREFIX } from '#libs/common/http/api-prefix.js';

export const MERGE_PATCH_JSON = 'application/merge-patch+json';

@ApiTags('sessions')
@ApiBearerAuth()
@Controller('sessions')
export class SessionsController {
  constructor(private readonly sessions: SessionsService) {}

  @RequiresConsent('travel_planning')
  @Post()
  @ApiCreatedResponse({ type: SessionResponseDto })
  @VersionETag()
  @ApiOperation({ summary: 'Start a travel-planning session' })
  async create(
    @CurrentUser() user: AuthenticatedUser,
    @Body() dto: CreateSessionDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<SessionResponseDto> {
    const session = await this.sessions.create(user.id, dto);
    void reply.header('Location', `${API_PREFIX}/sessions/${session.id}`);
    return session;
  }

  @Get()
  @ListsOwned(SESSION_OWNED_LIST)
  @ApiOkResponse({ type: SessionPageDto })
  @ApiOperation({ summary: 'List my sessions' })
  list(
    @CurrentUser() user: AuthenticatedUser,
    @Query() query: ListSessionsQueryDto,
    @Req() request: { prefetchedOwnedList?: PrefetchedOwnedList },
  ): Promise<Page<SessionSummaryDto>> {
    return this.sessions.list(user.id, query, (key) =>
      prefetchedOwnedList<readonly object[]>(request, SESSION_OWNED_LIST, user.id, key),
    );
  }

  // The hot read: its ETag is set here rather than by @VersionETag(), so the route has no
  // interceptor and Nest skips its RxJS pipeline (bench/RESULTS.md, issue 22 item 1).
  @Get(':id')
  @ReadsOwned(SESSION_OWNED_READ)
  @ApiOkResponse({ type: SessionResponseDto })
  @ApiOperation({ summary: 'Get a session' })
  async get(
    @CurrentUser() user: AuthenticatedUser,
    @UuidParam('id') id: string,
    @Req() request: { prefetchedOwned?: PrefetchedOwned },
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<SessionResponseDto> {
    const prefetched = prefetchedOwned<TravelSessionEntity>(
      request,
      SESSION_OWNED_READ,
      user.id,
      id,
    );
    const session = await this.sessions.get(user.id, id, prefetched);
    void reply.header('ETag', etagOf(session.version));
    return session;
  }

  @RequiresConsent('travel_planning')
  @Patch(':id')
  @ApiConsumes(MERGE_PATCH_JSON, 'application/json')
  @ApiHeader({ name: 'If-Match', required: true, description: 'ETag from GET (the version)' })
  @ApiOkResponse({ type: SessionResponseDto })
  @VersionETag()
  @ApiOperation({ summary: 'Update a session (JSON merge patch, If-Match required)' })
  async update(
    @CurrentUser() user: AuthenticatedUser,
    @UuidParam('id') id: string,
    @Headers('if-match') ifMatch: string | undefined,
    @Body() patch: UpdateSessionDto,
  ): Promise<SessionResponseDto> {
    const session = await this.sessions.update(user.id, id, parseIfMatch(ifMatch), patch);
    return session;
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Archived' })
  @ApiOperation({ summary: 'Archive a session' })
  async archive(
    @CurrentUser() user: AuthenticatedUser,
    @UuidParam('id') id: string,
  ): Promise<void> {
    await this.sessions.archive(user.id, id);
  }

  @RequiresConsent('travel_planning')
  @Post(':id/messages')
  @ApiCreatedResponse({ type: MessageResponseDto })
  @ApiOperation({ summary: 'Append a chat message' })
  async appendMessage(
    @CurrentUser() user: AuthenticatedUser,
    @UuidParam('id') id: string,
    @Body() dto: AppendMessageDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<MessageResponseDto> {
    const { message, version } = await this.sessions.appendMessage(user.id, id, dto);
    void reply.header('ETag', etagOf(version));
    return message;
  }

  @Get(':id/messages')
  @ApiOkResponse({ type: MessagePageDto })
  @ApiOperation({ summary: "List a session's chat messages" })
  listMessages(
    @CurrentUser() user: AuthenticatedUser,
    @UuidParam('id') id: string,
    @Query() query: ListMessagesQueryDto,
  ): Promise<Page<MessageResponseDto>> {
    return this.sessions.listMessages(user.id, id, query);
  }
}
