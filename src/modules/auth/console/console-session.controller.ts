import { Body, Controller, HttpCode, Post, Req, Res } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiExtraModels,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  getSchemaPath,
} from '#libs/common/openapi/api-docs.js';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AuthenticatedUser } from '#libs/common/auth/authenticated-user.js';
import { CurrentUser, Public } from '#libs/common/auth/decorators.js';
import { ProblemException } from '#libs/common/errors/problem.exception.js';
import { RateLimit } from '#libs/common/http/rate-limit.js';
import { type AppConfig, InjectConfig } from '#config/app-config.js';
import {
  type AuthResponseDto,
  LoginDto,
  type MfaChallengeResponseDto,
  MfaChallengeResponseDto as MfaChallengeSchema,
  MfaLoginDto,
  ReauthenticateDto,
} from '../dto/auth.dto.js';
import { AuthEventsService } from '../services/auth-events.service.js';
import { AuthService } from '../services/auth.service.js';
import { DeviceSessionsService, invalidRefreshToken } from '../services/device-sessions.service.js';
import { MfaService } from '../services/mfa.service.js';
import { requestMeta } from '../services/request-meta.js';
import { StepUpService } from '../services/step-up.service.js';
import {
  assertSameOrigin,
  clearConsoleRefreshCookie,
  readConsoleRefreshCookie,
  setConsoleRefreshCookie,
} from './console-cookie.js';
import type { TokenPairDto } from '../dto/token-pair.dto.js';
import { signOutSession } from '../controllers/sign-out.js';
import { ConsoleAccessTokenDto, ConsoleSignInDto } from './console-session.dto.js';

/**
 * The staff console's sign-in: the same login and MFA rules as the JSON API, but the refresh
 * token goes into an httpOnly cookie scoped to /auth/console/refresh instead of the body, so
 * no script in the page can read it. The JSON API for other clients is unchanged.
 */
@ApiTags('auth')
@RateLimit('auth')
@Controller('auth/console')
@ApiExtraModels(ConsoleSignInDto, MfaChallengeSchema)
export class ConsoleSessionController {
  constructor(
    private readonly auth: AuthService,
    private readonly mfa: MfaService,
    private readonly sessions: DeviceSessionsService,
    private readonly events: AuthEventsService,
    private readonly stepUp: StepUpService,
    @InjectConfig() private readonly config: AppConfig,
  ) {}

  @Public()
  @Post('login')
  @HttpCode(200)
  @ApiOperation({ summary: 'Console sign-in (refresh token set as an httpOnly cookie)' })
  @ApiOkResponse({
    schema: {
      oneOf: [
        { $ref: getSchemaPath(ConsoleSignInDto) },
        { $ref: getSchemaPath(MfaChallengeSchema) },
      ],
    },
  })
  async login(
    @Body() dto: LoginDto,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ConsoleSignInDto | MfaChallengeResponseDto> {
    assertSameOrigin(request);
    const result = await this.auth.login(dto.email, dto.password, requestMeta(request));
    return 'mfaRequired' in result ? result : this.signedIn(result, reply);
  }

  @Public()
  @Post('login/mfa')
  @HttpCode(200)
  @ApiOperation({ summary: 'Console sign-in, second step (authentication code)' })
  @ApiOkResponse({ type: ConsoleSignInDto })
  async completeLogin(
    @Body() dto: MfaLoginDto,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ConsoleSignInDto> {
    assertSameOrigin(request);
    const result = await this.mfa.completeLogin(dto.mfaToken, dto.code, requestMeta(request));
    return this.signedIn(result, reply);
  }

  @Public()
  @Post('refresh')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Console access token from the refresh cookie (same-origin only; rotates the cookie)',
  })
  @ApiOkResponse({ type: ConsoleAccessTokenDto })
  async refresh(
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ConsoleAccessTokenDto> {
    assertSameOrigin(request);
    const token = readConsoleRefreshCookie(request);
    try {
      if (token === null) throw invalidRefreshToken();
      return this.withCookie(reply, await this.sessions.refresh(token, requestMeta(request)));
    } catch (error) {
      // A dead cookie is useless: drop it so the browser stops sending it.
      if (error instanceof ProblemException && error.getStatus() === 401) {
        clearConsoleRefreshCookie(reply);
      }
      throw error;
    }
  }

  /**
   * Step-up for the console: the same rules as `POST /auth/reauthenticate`, but the rotated
   * refresh token replaces the cookie instead of appearing in the body.
   */
  @ApiBearerAuth()
  @Post('reauthenticate')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Console step-up (password and/or TOTP); the rotated refresh token goes into the cookie',
  })
  @ApiOkResponse({ type: ConsoleAccessTokenDto })
  async reauthenticate(
    @CurrentUser() user: AuthenticatedUser,
    @Body() dto: ReauthenticateDto,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ConsoleAccessTokenDto> {
    assertSameOrigin(request);
    const meta = requestMeta(request);
    return this.withCookie(
      reply,
      await this.stepUp.reauthenticate(user.id, user.sessionId, dto, meta),
    );
  }

  @ApiBearerAuth()
  @Post('logout')
  @HttpCode(204)
  @ApiOperation({ summary: 'Console sign-out: revokes the device session and clears the cookie' })
  async logout(
    @CurrentUser() user: AuthenticatedUser,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<void> {
    await signOutSession(this.sessions, this.events, user, request);
    clearConsoleRefreshCookie(reply);
  }

  private signedIn(result: AuthResponseDto, reply: FastifyReply): ConsoleSignInDto {
    return { ...this.withCookie(reply, result), user: result.user };
  }

  /**
   * The console's answer to a new token pair (sign-in, refresh, step-up): the refresh token
   * goes into the cookie, the body carries only the access token.
   */
  private withCookie(reply: FastifyReply, pair: TokenPairDto): ConsoleAccessTokenDto {
    setConsoleRefreshCookie(reply, pair.refreshToken, this.config.REFRESH_ABSOLUTE_TTL_SECONDS);
    return { accessToken: pair.accessToken, tokenType: 'Bearer', expiresIn: pair.expiresIn };
  }
}
