import { Body, Controller, HttpCode, Post, Req } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiOkResponse,
  ApiTags,
  ApiOperation,
} from '#libs/common/openapi/api-docs.js';
import type { FastifyRequest } from 'fastify';
import type { AuthenticatedUser } from '#libs/common/auth/authenticated-user.js';
import { CurrentUser, Public, RequiresRecentAuth } from '#libs/common/auth/decorators.js';
import { RateLimit } from '#libs/common/http/rate-limit.js';
import { AuthResponseDto, MfaLoginDto } from '../dto/auth.dto.js';
import { BackupCodesResponseDto, MfaCodeDto, TotpSetupResponseDto } from '../dto/mfa.dto.js';
import { MfaService } from '../services/mfa.service.js';
import { requestMeta } from '../services/request-meta.js';

@ApiTags('auth')
@RateLimit('auth')
@Controller('auth')
export class MfaController {
  constructor(private readonly mfa: MfaService) {}

  @Public()
  @Post('login/mfa')
  @HttpCode(200)
  @ApiOkResponse({ type: AuthResponseDto })
  @ApiOperation({ summary: 'Complete sign-in with a TOTP code' })
  completeLogin(
    @Body() dto: MfaLoginDto,
    @Req() request: FastifyRequest,
  ): Promise<AuthResponseDto> {
    return this.mfa.completeLogin(dto.mfaToken, dto.code, requestMeta(request));
  }

  @ApiBearerAuth()
  @RequiresRecentAuth()
  @Post('mfa/totp/setup')
  @HttpCode(200)
  @ApiOkResponse({ type: TotpSetupResponseDto })
  @ApiOperation({ summary: 'Start TOTP setup' })
  setup(@CurrentUser() user: AuthenticatedUser): Promise<TotpSetupResponseDto> {
    return this.mfa.setup(user.id);
  }

  @ApiBearerAuth()
  @RequiresRecentAuth()
  @Post('mfa/totp/enable')
  @HttpCode(200)
  @ApiOkResponse({ type: BackupCodesResponseDto })
  @ApiOperation({ summary: 'Enable TOTP' })
  enable(
    @CurrentUser() user: AuthenticatedUser,
    @Body() dto: MfaCodeDto,
    @Req() request: FastifyRequest,
  ): Promise<BackupCodesResponseDto> {
    return this.mfa.enable(user.id, user.sessionId, dto.code, requestMeta(request));
  }

  @ApiBearerAuth()
  @RequiresRecentAuth()
  @Post('mfa/totp/disable')
  @HttpCode(204)
  @ApiOperation({ summary: 'Disable TOTP' })
  async disable(
    @CurrentUser() user: AuthenticatedUser,
    @Body() dto: MfaCodeDto,
    @Req() request: FastifyRequest,
  ): Promise<void> {
    await this.mfa.disable(user.id, dto.code, requestMeta(request));
  }
}
