import { Body, Controller, Get, Headers, Patch, Put } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiHeader,
  ApiOkResponse,
  ApiTags,
  ApiOperation,
} from '#libs/common/openapi/api-docs.js';
import type { AuthenticatedUser } from '#libs/common/auth/authenticated-user.js';
import { CurrentUser } from '#libs/common/auth/decorators.js';
import { versionFromIfMatch } from '#libs/common/http/version-etag.js';
import { ProfileResponseDto, TravelPreferencesResponseDto } from './dto/profile-response.dto.js';
import { TravelPreferencesDto } from './dto/travel-preferences.dto.js';
import { UpdateProfileDto } from './dto/update-profile.dto.js';
import { ProfilesService } from './profiles.service.js';
import { VersionETag } from '#libs/common/http/version-etag.interceptor.js';

const IF_MATCH = { name: 'If-Match', required: false, description: 'ETag of the version you edit' };

/** The caller's own profile and travel preferences (created on first use). */
@ApiTags('profiles')
@ApiBearerAuth()
@Controller('profile')
export class ProfilesController {
  constructor(private readonly profiles: ProfilesService) {}

  @Get()
  @ApiOkResponse({ type: ProfileResponseDto })
  @VersionETag()
  @ApiOperation({ summary: 'Get my profile' })
  async get(@CurrentUser() user: AuthenticatedUser): Promise<ProfileResponseDto> {
    const profile = await this.profiles.getProfile(user.id);
    return profile;
  }

  @Patch()
  @ApiHeader(IF_MATCH)
  @ApiOkResponse({ type: ProfileResponseDto })
  @VersionETag()
  @ApiOperation({ summary: 'Update my profile' })
  async update(
    @CurrentUser() user: AuthenticatedUser,
    @Body() body: UpdateProfileDto,
    @Headers('if-match') ifMatch: string | undefined,
  ): Promise<ProfileResponseDto> {
    const profile = await this.profiles.updateProfile(user.id, body, versionFromIfMatch(ifMatch));
    return profile;
  }

  @Get('travel-preferences')
  @ApiOkResponse({ type: TravelPreferencesResponseDto })
  @VersionETag()
  @ApiOperation({ summary: 'Get my travel preferences' })
  async getPreferences(
    @CurrentUser() user: AuthenticatedUser,
  ): Promise<TravelPreferencesResponseDto> {
    const preferences = await this.profiles.getPreferences(user.id);
    return preferences;
  }

  @Put('travel-preferences')
  @ApiHeader(IF_MATCH)
  @ApiOkResponse({ type: TravelPreferencesResponseDto })
  @VersionETag()
  @ApiOperation({ summary: 'Replace my travel preferences' })
  async replacePreferences(
    @CurrentUser() user: AuthenticatedUser,
    @Body() body: TravelPreferencesDto,
    @Headers('if-match') ifMatch: string | undefined,
  ): Promise<TravelPreferencesResponseDto> {
    return this.profiles.savePreferences(user.id, body, 'replace', versionFromIfMatch(ifMatch));
  }

  @Patch('travel-preferences')
  @ApiHeader(IF_MATCH)
  @ApiOkResponse({ type: TravelPreferencesResponseDto })
  @VersionETag()
  @ApiOperation({ summary: 'Update my travel preferences' })
  async patchPreferences(
    @CurrentUser() user: AuthenticatedUser,
    @Body() body: TravelPreferencesDto,
    @Headers('if-match') ifMatch: string | undefined,
  ): Promise<TravelPreferencesResponseDto> {
    return this.profiles.savePreferences(user.id, body, 'merge', versionFromIfMatch(ifMatch));
  }
}
