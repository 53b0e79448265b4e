import { Body, Controller, Delete, Get, HttpCode, Patch, Post, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiTags,
  ApiOperation,
} from '#libs/common/openapi/api-docs.js';
import type { AuthenticatedUser } from '#libs/common/auth/authenticated-user.js';
import { CurrentUser, RequiresConsent } from '#libs/common/auth/decorators.js';
import type { Page } from '#libs/common/pagination/pagination.js';
import {
  CreateSavedItemDto,
  ListSavedItemsQueryDto,
  SavedItemPageDto,
  SavedItemResponseDto,
  UpdateSavedItemDto,
} from './dto/saved-item.dto.js';
import { SavedItemsService } from './saved-items.service.js';
import { UuidParam } from '#libs/common/http/uuid-param.js';

@ApiTags('sessions')
@ApiBearerAuth()
@Controller('sessions/:id/saved-items')
export class SavedItemsController {
  constructor(private readonly items: SavedItemsService) {}

  @RequiresConsent('travel_planning')
  @Post()
  @ApiCreatedResponse({ type: SavedItemResponseDto })
  @ApiOperation({ summary: 'Save an item in a session' })
  create(
    @CurrentUser() user: AuthenticatedUser,
    @UuidParam('id') sessionId: string,
    @Body() dto: CreateSavedItemDto,
  ): Promise<SavedItemResponseDto> {
    return this.items.create(user.id, sessionId, dto);
  }

  @Get()
  @ApiOkResponse({ type: SavedItemPageDto })
  @ApiOperation({ summary: "List a session's saved items" })
  list(
    @CurrentUser() user: AuthenticatedUser,
    @UuidParam('id') sessionId: string,
    @Query() query: ListSavedItemsQueryDto,
  ): Promise<Page<SavedItemResponseDto>> {
    return this.items.list(user.id, sessionId, query);
  }

  @Get(':itemId')
  @ApiOkResponse({ type: SavedItemResponseDto })
  @ApiOperation({ summary: 'Get a saved item' })
  get(
    @CurrentUser() user: AuthenticatedUser,
    @UuidParam('id') sessionId: string,
    @UuidParam('itemId') itemId: string,
  ): Promise<SavedItemResponseDto> {
    return this.items.get(user.id, sessionId, itemId);
  }

  @RequiresConsent('travel_planning')
  @Patch(':itemId')
  @ApiOkResponse({ type: SavedItemResponseDto })
  @ApiOperation({ summary: 'Update a saved item' })
  update(
    @CurrentUser() user: AuthenticatedUser,
    @UuidParam('id') sessionId: string,
    @UuidParam('itemId') itemId: string,
    @Body() dto: UpdateSavedItemDto,
  ): Promise<SavedItemResponseDto> {
    return this.items.update(user.id, sessionId, itemId, dto);
  }

  @Delete(':itemId')
  @HttpCode(204)
  @ApiNoContentResponse()
  @ApiOperation({ summary: 'Remove a saved item' })
  async remove(
    @CurrentUser() user: AuthenticatedUser,
    @UuidParam('id') sessionId: string,
    @UuidParam('itemId') itemId: string,
  ): Promise<void> {
    await this.items.remove(user.id, sessionId, itemId);
  }
}
