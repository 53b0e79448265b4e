import { Controller, Delete, Get, HttpCode, Query, Req } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiOkResponse,
  ApiTags,
  ApiOperation,
} from '#libs/common/openapi/api-docs.js';
import type { FastifyRequest } from 'fastify';
import type { AuthenticatedUser } from '#libs/common/auth/authenticated-user.js';
import { CurrentUser } from '#libs/common/auth/decorators.js';
import { notFound } from '#libs/common/errors/problem.exception.js';
import { RateLimit } from '#libs/common/http/rate-limit.js';
import { keysetPage, mapPage, PageQueryDto } from '#libs/common/pagination/pagination.js';
import { DeviceSessionPageDto, toSessionResponse } from '../dto/device-session.dto.js';
import { AuthEventsService } from '../services/auth-events.service.js';
import { requestMeta } from '../services/request-meta.js';
import { DeviceSessionsService } from '../services/device-sessions.service.js';
import { UuidParam } from '#libs/common/http/uuid-param.js';

/** The caller's signed-in devices. */
@ApiTags('auth')
@ApiBearerAuth()
@RateLimit('auth')
@Controller('auth/sessions')
export class DeviceSessionsController {
  constructor(
    private readonly sessions: DeviceSessionsService,
    private readonly events: AuthEventsService,
  ) {}

  @Get()
  @ApiOkResponse({ type: DeviceSessionPageDto })
  @ApiOperation({ summary: 'List my signed-in devices' })
  async list(
    @CurrentUser() user: AuthenticatedUser,
    @Query() query: PageQueryDto,
  ): Promise<DeviceSessionPageDto> {
    const page = await keysetPage(this.sessions.liveSessionsQuery(user.id), {
      alias: 'session',
      limit: query.limit,
      cursor: query.cursor,
    });
    return mapPage(page, (session) => toSessionResponse(session, user.sessionId));
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Sign out a device' })
  async revoke(
    @CurrentUser() user: AuthenticatedUser,
    @UuidParam('id') id: string,
    @Req() request: FastifyRequest,
  ): Promise<void> {
    if (!(await this.sessions.revoke(user.id, id, 'revoked'))) {
      throw notFound('SESSION_NOT_FOUND', 'No such session.');
    }
    await this.events.record('session_revoked', {
      userId: user.id,
      sessionId: id,
      meta: requestMeta(request),
    });
  }
}
