import { Body, Controller, Get, HttpCode, Patch, Post, Put, Query, Req } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '#libs/common/openapi/api-docs.js';
import type { FastifyRequest } from 'fastify';
import type { AuthenticatedUser } from '#libs/common/auth/authenticated-user.js';
import { CurrentUser, RequiresRecentAuth, Roles } from '#libs/common/auth/decorators.js';
import {
  AdminUserPageDto,
  AdminUserQueryDto,
  MfaResetDto,
  ReplaceRolesDto,
  UpdateUserStatusDto,
} from '../dto/admin-users.dto.js';
import { AdminUserResponseDto } from '../dto/user-response.dto.js';
import { AdminUsersService } from '../services/admin-users.service.js';
import { requestMeta } from '../services/request-meta.js';
import { UuidParam } from '#libs/common/http/uuid-param.js';

const requestIdOf = (request: FastifyRequest): string | null =>
  typeof request.id === 'string' ? request.id : null;

@ApiTags('admin')
@ApiBearerAuth()
@Roles('admin')
@Controller('admin/users')
export class AdminUsersController {
  constructor(private readonly admin: AdminUsersService) {}

  @Get()
  @ApiOkResponse({ type: AdminUserPageDto })
  @ApiOperation({ summary: 'List users' })
  list(
    @Query() query: AdminUserQueryDto,
    @CurrentUser() actor: AuthenticatedUser,
    @Req() request: FastifyRequest,
  ): Promise<AdminUserPageDto> {
    return this.admin.list(query, { user: actor, requestId: requestIdOf(request) });
  }

  @Get(':id')
  @ApiOkResponse({ type: AdminUserResponseDto })
  @ApiOperation({ summary: 'Get a user' })
  get(
    @UuidParam('id') id: string,
    @CurrentUser() actor: AuthenticatedUser,
    @Req() request: FastifyRequest,
  ): Promise<AdminUserResponseDto> {
    return this.admin.get(id, { user: actor, requestId: requestIdOf(request) });
  }

  @Patch(':id')
  @ApiOkResponse({ type: AdminUserResponseDto })
  @ApiOperation({ summary: "Change a user's status" })
  setStatus(
    @CurrentUser() actor: AuthenticatedUser,
    @UuidParam('id') id: string,
    @Body() dto: UpdateUserStatusDto,
    @Req() request: FastifyRequest,
  ): Promise<AdminUserResponseDto> {
    return this.admin.setStatus(actor, id, dto.status, requestMeta(request), requestIdOf(request));
  }

  @RequiresRecentAuth()
  @Put(':id/roles')
  @ApiOkResponse({ type: AdminUserResponseDto })
  @ApiOperation({ summary: "Replace a user's roles" })
  setRoles(
    @CurrentUser() actor: AuthenticatedUser,
    @UuidParam('id') id: string,
    @Body() dto: ReplaceRolesDto,
    @Req() request: FastifyRequest,
  ): Promise<AdminUserResponseDto> {
    return this.admin.setRoles(actor, id, dto.roles, requestMeta(request), requestIdOf(request));
  }

  @RequiresRecentAuth()
  @Post(':id/mfa/reset')
  @HttpCode(200)
  @ApiOperation({
    summary: "Remove an account's TOTP and backup codes and sign it out everywhere (audited)",
  })
  @ApiOkResponse({ type: AdminUserResponseDto })
  resetMfa(
    @CurrentUser() actor: AuthenticatedUser,
    @UuidParam('id') id: string,
    @Body() dto: MfaResetDto,
    @Req() request: FastifyRequest,
  ): Promise<AdminUserResponseDto> {
    return this.admin.resetMfa(actor, id, dto.reason, requestMeta(request), requestIdOf(request));
  }

  @Post(':id/unlock')
  @HttpCode(200)
  @ApiOkResponse({ type: AdminUserResponseDto })
  @ApiOperation({ summary: "Unlock a user's account" })
  unlock(
    @CurrentUser() actor: AuthenticatedUser,
    @UuidParam('id') id: string,
    @Req() request: FastifyRequest,
  ): Promise<AdminUserResponseDto> {
    return this.admin.unlock(actor, id, requestMeta(request), requestIdOf(request));
  }
}
