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
  ApiConsumes,
  ApiCreatedResponse,
  ApiHeader,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { AuthenticatedUser } from '#libs/common/auth/authenticated-user.js';
import { CurrentUser, RequiresConsent } from '#libs/common/auth/decorators.js';
import { validationProblem } from '#libs/common/http/validation.js';
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
import { parseIfMatch } from './if-match.js';
import { etagOf } from './sessions.exception.js';
import { SessionsService } from './sessions.service.js';

/** `:id`-style path parameters: malformed → 400 on that parameter. */
export const uuidParam = (name: string): ParseUUIDPipe =>
  new ParseUUIDPipe({
    exceptionFactory: () => validationProblem({ [name]: ['must be a UUID'] }),
  });

export const MERGE_PATCH_JSON = 'application/merge-patch+json';

@ApiTags('sessions')
@ApiBearerAuth()
@Controller('sessions')
export class SessionsController {
  constructor(private readonly sessions: SessionsService) {}

  @RequiresConsent('travel_planning')
  @Post()
  @ApiCreatedResponse({ type: SessionResponseDto })
  async create(
    @CurrentUser() user: AuthenticatedUser,
    @Body() dto: CreateSessionDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<SessionResponseDto> {
    const session = await this.sessions.create(user.id, dto);
    void reply.header('ETag', etagOf(session.version));
    void reply.header('Location', `/api/v1/sessions/${session.id}`);
    return session;
  }

  @Get()
  @ApiOkResponse({ type: SessionPageDto })
  list(
    @CurrentUser() user: AuthenticatedUser,
    @Query() query: ListSessionsQueryDto,
  ): Promise<Page<SessionSummaryDto>> {
    return this.sessions.list(user.id, query);
  }

  @Get(':id')
  @ApiOkResponse({ type: SessionResponseDto })
  async get(
    @CurrentUser() user: AuthenticatedUser,
    @Param('id', uuidParam('id')) id: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<SessionResponseDto> {
    const session = await this.sessions.get(user.id, id);
    void reply.header('ETag', etagOf(session.version));
    return session;
  }

  @RequiresConsent('travel_planning')
  @Patch(':id')
  @ApiConsumes(MERGE_PATCH_JSON, 'application/json')
  @ApiHeader({ name: 'If-Match', required: true, description: 'ETag from GET (the version)' })
  @ApiOkResponse({ type: SessionResponseDto })
  async update(
    @CurrentUser() user: AuthenticatedUser,
    @Param('id', uuidParam('id')) id: string,
    @Headers('if-match') ifMatch: string | undefined,
    @Body() patch: UpdateSessionDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<SessionResponseDto> {
    const session = await this.sessions.update(user.id, id, parseIfMatch(ifMatch), patch);
    void reply.header('ETag', etagOf(session.version));
    return session;
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Archived' })
  async archive(
    @CurrentUser() user: AuthenticatedUser,
    @Param('id', uuidParam('id')) id: string,
  ): Promise<void> {
    await this.sessions.archive(user.id, id);
  }

  @RequiresConsent('travel_planning')
  @Post(':id/messages')
  @ApiCreatedResponse({ type: MessageResponseDto })
  async appendMessage(
    @CurrentUser() user: AuthenticatedUser,
    @Param('id', uuidParam('id')) id: string,
    @Body() dto: AppendMessageDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<MessageResponseDto> {
    const { message, version } = await this.sessions.appendMessage(user.id, id, dto);
    void reply.header('ETag', etagOf(version));
    return message;
  }

  @Get(':id/messages')
  @ApiOkResponse({ type: MessagePageDto })
  listMessages(
    @CurrentUser() user: AuthenticatedUser,
    @Param('id', uuidParam('id')) id: string,
    @Query() query: ListMessagesQueryDto,
  ): Promise<Page<MessageResponseDto>> {
    return this.sessions.listMessages(user.id, id, query);
  }
}
