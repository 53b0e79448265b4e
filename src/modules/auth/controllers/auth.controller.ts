import { Body, Controller, Get, HttpCode, Post, Req } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiExtraModels,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  getSchemaPath,
} from '#libs/common/openapi/api-docs.js';
import type { FastifyRequest } from 'fastify';
import type { AuthenticatedUser } from '#libs/common/auth/authenticated-user.js';
import { CurrentUser, Public, RequiresRecentAuth } from '#libs/common/auth/decorators.js';
import { RateLimit } from '#libs/common/http/rate-limit.js';
import {
  AuthResponseDto,
  ChangePasswordDto,
  ForgotPasswordDto,
  LoginDto,
  MfaChallengeResponseDto,
  ReauthenticateDto,
  RefreshDto,
  RegisterDto,
  ResetPasswordDto,
  TokenDto,
} from '../dto/auth.dto.js';
import { TokenPairDto } from '../dto/token-pair.dto.js';
import { UserResponseDto } from '../dto/user-response.dto.js';
import { AuthEventsService } from '../services/auth-events.service.js';
import { AuthService } from '../services/auth.service.js';
import { requestMeta } from '../services/request-meta.js';
import { DeviceSessionsService } from '../services/device-sessions.service.js';
import { StepUpService } from '../services/step-up.service.js';
import { signOutSession } from './sign-out.js';

@ApiTags('auth')
@RateLimit('auth')
@Controller('auth')
@ApiExtraModels(AuthResponseDto, MfaChallengeResponseDto)
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly sessions: DeviceSessionsService,
    private readonly events: AuthEventsService,
    private readonly stepUp: StepUpService,
  ) {}

  @Public()
  @Post('register')
  @ApiCreatedResponse({ type: AuthResponseDto })
  @ApiOperation({ summary: 'Register an account' })
  register(@Body() dto: RegisterDto, @Req() request: FastifyRequest): Promise<AuthResponseDto> {
    return this.auth.register(dto, requestMeta(request));
  }

  @Public()
  @Post('verify-email')
  @HttpCode(200)
  @ApiOkResponse({ type: UserResponseDto })
  @ApiOperation({ summary: 'Verify my email address' })
  verifyEmail(@Body() dto: TokenDto, @Req() request: FastifyRequest): Promise<UserResponseDto> {
    return this.auth.verifyEmail(dto.token, requestMeta(request));
  }

  @ApiBearerAuth()
  @Post('verify-email/resend')
  @HttpCode(202)
  @ApiOperation({ summary: 'Resend the verification email' })
  async resend(@CurrentUser() user: AuthenticatedUser): Promise<void> {
    await this.auth.resendVerification(user.id);
  }

  @Public()
  @Post('login')
  @HttpCode(200)
  @ApiOkResponse({
    schema: {
      oneOf: [
        { $ref: getSchemaPath(AuthResponseDto) },
        { $ref: getSchemaPath(MfaChallengeResponseDto) },
      ],
    },
  })
  @ApiOperation({ summary: 'Sign in with email and password' })
  login(
    @Body() dto: LoginDto,
    @Req() request: FastifyRequest,
  ): Promise<AuthResponseDto | MfaChallengeResponseDto> {
    return this.auth.login(dto.email, dto.password, requestMeta(request));
  }

  @Public()
  @Post('refresh')
  @HttpCode(200)
  @ApiOkResponse({ type: TokenPairDto })
  @ApiOperation({ summary: 'Refresh the access token' })
  refresh(@Body() dto: RefreshDto, @Req() request: FastifyRequest): Promise<TokenPairDto> {
    return this.sessions.refresh(dto.refreshToken, requestMeta(request));
  }

  @ApiBearerAuth()
  @Post('logout')
  @HttpCode(204)
  @ApiOperation({ summary: 'Sign out this session' })
  async logout(
    @CurrentUser() user: AuthenticatedUser,
    @Req() request: FastifyRequest,
  ): Promise<void> {
    await signOutSession(this.sessions, this.events, user, request);
  }

  @ApiBearerAuth()
  @Post('logout-all')
  @HttpCode(204)
  @ApiOperation({ summary: 'Sign out everywhere' })
  async logoutAll(
    @CurrentUser() user: AuthenticatedUser,
    @Req() request: FastifyRequest,
  ): Promise<void> {
    const count = await this.sessions.revokeAll(user.id, 'logout_all');
    await this.events.record('logout_all', {
      userId: user.id,
      sessionId: user.sessionId,
      meta: requestMeta(request),
      metadata: { sessions: count },
    });
  }

  @Public()
  @Post('password/forgot')
  @HttpCode(202)
  @ApiOperation({ summary: 'Request a password reset' })
  async forgot(@Body() dto: ForgotPasswordDto, @Req() request: FastifyRequest): Promise<void> {
    await this.auth.forgotPassword(dto.email, requestMeta(request));
  }

  @Public()
  @Post('password/reset')
  @HttpCode(204)
  @ApiOperation({ summary: 'Reset my password with a mailed token' })
  async reset(@Body() dto: ResetPasswordDto, @Req() request: FastifyRequest): Promise<void> {
    await this.auth.resetPassword(dto.token, dto.password, requestMeta(request));
  }

  @ApiBearerAuth()
  @RequiresRecentAuth()
  @Post('password/change')
  @HttpCode(204)
  @ApiOperation({ summary: 'Change my password' })
  async change(
    @CurrentUser() user: AuthenticatedUser,
    @Body() dto: ChangePasswordDto,
    @Req() request: FastifyRequest,
  ): Promise<void> {
    await this.auth.changePassword(user.id, user.sessionId, dto, requestMeta(request));
  }

  @ApiBearerAuth()
  @Post('reauthenticate')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Step-up: prove it is you again (password and/or TOTP) for a fresh auth_time',
  })
  @ApiOkResponse({ type: TokenPairDto })
  reauthenticate(
    @CurrentUser() user: AuthenticatedUser,
    @Body() dto: ReauthenticateDto,
    @Req() request: FastifyRequest,
  ): Promise<TokenPairDto> {
    return this.stepUp.reauthenticate(user.id, user.sessionId, dto, requestMeta(request));
  }

  @ApiBearerAuth()
  @Get('me')
  @ApiOkResponse({ type: UserResponseDto })
  @ApiOperation({ summary: 'Show my account' })
  me(@CurrentUser() user: AuthenticatedUser): Promise<UserResponseDto> {
    return this.auth.me(user.id);
  }
}
