import { Body, Controller, Delete, Get, HttpCode, Patch, Post, Put } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '#libs/common/openapi/api-docs.js';
import type { AuthenticatedUser } from '#libs/common/auth/authenticated-user.js';
import { CurrentUser } from '#libs/common/auth/decorators.js';
import { UuidParam } from '#libs/common/http/uuid-param.js';
import {
  CreateTravelerGroupDto,
  TravelerGroupListDto,
  TravelerGroupResponseDto,
  UpdateTravelerGroupDto,
} from './traveler-group.dto.js';
import { TravelerGroupsService } from './traveler-groups.service.js';

/** A user's named groups of travelers; `POST /bookings` takes `travelerGroupId` as shorthand. */
@ApiTags('travelers')
@ApiBearerAuth()
@Controller('traveler-groups')
export class TravelerGroupsController {
  constructor(private readonly groups: TravelerGroupsService) {}

  @Post()
  @ApiOkResponse({ type: TravelerGroupResponseDto })
  @ApiOperation({ summary: 'Create a traveler group' })
  create(
    @CurrentUser() user: AuthenticatedUser,
    @Body() body: CreateTravelerGroupDto,
  ): Promise<TravelerGroupResponseDto> {
    return this.groups.create(user.id, body);
  }

  @Get()
  @ApiOkResponse({ type: TravelerGroupListDto })
  @ApiOperation({ summary: 'List my traveler groups' })
  list(@CurrentUser() user: AuthenticatedUser): Promise<TravelerGroupListDto> {
    return this.groups.list(user.id);
  }

  @Get(':id')
  @ApiOkResponse({ type: TravelerGroupResponseDto })
  @ApiOperation({ summary: 'Get a traveler group' })
  get(
    @CurrentUser() user: AuthenticatedUser,
    @UuidParam('id') id: string,
  ): Promise<TravelerGroupResponseDto> {
    return this.groups.get(user.id, id);
  }

  @Patch(':id')
  @ApiOkResponse({ type: TravelerGroupResponseDto })
  @ApiOperation({ summary: 'Rename a traveler group' })
  rename(
    @CurrentUser() user: AuthenticatedUser,
    @UuidParam('id') id: string,
    @Body() body: UpdateTravelerGroupDto,
  ): Promise<TravelerGroupResponseDto> {
    return this.groups.rename(user.id, id, body);
  }

  /** Deletes the group only; its travelers stay. */
  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a traveler group' })
  async delete(@CurrentUser() user: AuthenticatedUser, @UuidParam('id') id: string): Promise<void> {
    await this.groups.delete(user.id, id);
  }

  @Put(':id/members/:travelerId')
  @ApiOkResponse({ type: TravelerGroupResponseDto })
  @ApiOperation({ summary: 'Add a traveler to a group (idempotent)' })
  addMember(
    @CurrentUser() user: AuthenticatedUser,
    @UuidParam('id') id: string,
    @UuidParam('travelerId') travelerId: string,
  ): Promise<TravelerGroupResponseDto> {
    return this.groups.addMember(user.id, id, travelerId);
  }

  @Delete(':id/members/:travelerId')
  @HttpCode(204)
  @ApiOperation({ summary: 'Remove a traveler from a group (idempotent)' })
  async removeMember(
    @CurrentUser() user: AuthenticatedUser,
    @UuidParam('id') id: string,
    @UuidParam('travelerId') travelerId: string,
  ): Promise<void> {
    await this.groups.removeMember(user.id, id, travelerId);
  }
}
