import {
  Body,
  Controller,
  Delete,
  Get,
  Headers,
  HttpCode,
  Patch,
  Post,
  Put,
  Query,
  Req,
} from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiHeader,
  ApiOkResponse,
  ApiTags,
  ApiOperation,
} from '#libs/common/openapi/api-docs.js';
import type { FastifyRequest } from 'fastify';
import type { AuthenticatedUser } from '#libs/common/auth/authenticated-user.js';
import { CurrentUser } from '#libs/common/auth/decorators.js';
import { versionFromIfMatch } from '#libs/common/http/version-etag.js';
import { requestOrigin } from '#libs/common/http/request-origin.js';
import {
  PutTravelerPreferencesDto,
  TravelerPreferencesResponseDto,
} from './dto/traveler-preferences.dto.js';
import {
  BookabilityDto,
  BookabilityQueryDto,
  CreateTravelerDto,
  GuardianConsentDto,
  GuardianConsentResponseDto,
  ListTravelersQueryDto,
  TravelerPageDto,
  TravelerResponseDto,
  UpdateTravelerDto,
} from './dto/traveler.dto.js';
import { TravelersService } from './travelers.service.js';
import { UuidParam } from '#libs/common/http/uuid-param.js';
import { VersionETag } from '#libs/common/http/version-etag.interceptor.js';

@ApiTags('travelers')
@ApiBearerAuth()
@Controller('travelers')
export class TravelersController {
  constructor(private readonly travelers: TravelersService) {}

  @Post()
  @ApiOkResponse({ type: TravelerResponseDto })
  @VersionETag()
  @ApiOperation({ summary: 'Add a traveler' })
  async create(
    @CurrentUser() user: AuthenticatedUser,
    @Body() body: CreateTravelerDto,
  ): Promise<TravelerResponseDto> {
    const traveler = await this.travelers.create(user.id, body);
    return traveler;
  }

  @Get()
  @ApiOkResponse({ type: TravelerPageDto })
  @ApiOperation({ summary: 'List my travelers' })
  list(
    @CurrentUser() user: AuthenticatedUser,
    @Query() query: ListTravelersQueryDto,
  ): Promise<TravelerPageDto> {
    return this.travelers.list(user.id, query);
  }

  @Get(':id')
  @ApiOkResponse({ type: TravelerResponseDto })
  @VersionETag()
  @ApiOperation({ summary: 'Get a traveler' })
  async get(
    @CurrentUser() user: AuthenticatedUser,
    @UuidParam('id') id: string,
  ): Promise<TravelerResponseDto> {
    const traveler = await this.travelers.get(user.id, id);
    return traveler;
  }

  @Patch(':id')
  @ApiHeader({ name: 'If-Match', required: false, description: 'Honoured when sent' })
  @ApiOkResponse({ type: TravelerResponseDto })
  @VersionETag()
  @ApiOperation({ summary: 'Update a traveler' })
  async update(
    @CurrentUser() user: AuthenticatedUser,
    @UuidParam('id') id: string,
    @Body() body: UpdateTravelerDto,
    @Headers('if-match') ifMatch: string | undefined,
  ): Promise<TravelerResponseDto> {
    const traveler = await this.travelers.update(user.id, id, body, versionFromIfMatch(ifMatch));
    return traveler;
  }

  /** Archives: the traveler stays for booking history but is hidden and cannot be booked. */
  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Archive a traveler' })
  async archive(
    @CurrentUser() user: AuthenticatedUser,
    @UuidParam('id') id: string,
  ): Promise<void> {
    await this.travelers.archive(user.id, id);
  }

  @Get(':id/preferences')
  @ApiOkResponse({ type: TravelerPreferencesResponseDto })
  @ApiOperation({ summary: "Get a traveler's preferences" })
  getPreferences(
    @CurrentUser() user: AuthenticatedUser,
    @UuidParam('id') id: string,
  ): Promise<TravelerPreferencesResponseDto> {
    return this.travelers.getPreferences(user.id, id);
  }

  @Put(':id/preferences')
  @ApiOkResponse({ type: TravelerPreferencesResponseDto })
  @ApiOperation({ summary: "Replace a traveler's preferences" })
  putPreferences(
    @CurrentUser() user: AuthenticatedUser,
    @UuidParam('id') id: string,
    @Body() body: PutTravelerPreferencesDto,
  ): Promise<TravelerPreferencesResponseDto> {
    return this.travelers.putPreferences(user.id, id, body);
  }

  @Post(':id/guardian-consent')
  @HttpCode(200)
  @ApiOkResponse({ type: GuardianConsentResponseDto })
  @ApiOperation({ summary: 'Record guardian consent for a minor' })
  guardianConsent(
    @CurrentUser() user: AuthenticatedUser,
    @UuidParam('id') id: string,
    @Body() body: GuardianConsentDto,
    @Req() request: FastifyRequest,
  ): Promise<GuardianConsentResponseDto> {
    return this.travelers.recordGuardianConsent(user.id, id, body, requestOrigin(request));
  }

  @Get(':id/bookability')
  @ApiOkResponse({ type: BookabilityDto })
  @ApiOperation({ summary: 'Check whether a traveler can be booked' })
  bookability(
    @CurrentUser() user: AuthenticatedUser,
    @UuidParam('id') id: string,
    @Query() query: BookabilityQueryDto,
  ): Promise<BookabilityDto> {
    return this.travelers.bookability(user.id, id, query.travelDate);
  }
}
