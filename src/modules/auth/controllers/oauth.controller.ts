import {
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  Query,
  Redirect,
  Req,
  Res,
} from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiExtraModels,
  ApiFoundResponse,
  ApiOkResponse,
  ApiTags,
  ApiOperation,
  getSchemaPath,
} from '#libs/common/openapi/api-docs.js';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AuthenticatedUser } from '#libs/common/auth/authenticated-user.js';
import { CurrentUser, Public, RequiresRecentAuth } from '#libs/common/auth/decorators.js';
import { RateLimit } from '#libs/common/http/rate-limit.js';
import { PageQueryDto } from '#libs/common/pagination/pagination.js';
import { AuthResponseDto, MfaChallengeResponseDto } from '../dto/auth.dto.js';
import { IdentityPageDto } from '../dto/identity.dto.js';
import { IdentitiesService } from '../services/identities.service.js';
import { OAuthService } from '../services/oauth.service.js';
import { requestMeta } from '../services/request-meta.js';
import { UuidParam } from '#libs/common/http/uuid-param.js';

const PROVIDER = /^[a-z0-9]{1,32}$/i;

@ApiTags('auth')
@RateLimit('auth')
@Controller('auth')
export class OAuthController {
  constructor(
    private readonly oauth: OAuthService,
    private readonly identities: IdentitiesService,
  ) {}

  @Public()
  @Get('oauth/:provider/authorize')
  @Redirect()
  @ApiFoundResponse({ description: 'To the provider, with state, nonce and PKCE S256' })
  @ApiOperation({ summary: 'Start sign-in with an identity provider' })
  async authorize(
    @Param('provider') provider: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<{ url: string; statusCode: number }> {
    const { url, cookie } = await this.oauth.authorize(PROVIDER.test(provider) ? provider : '-');
    void reply.header('set-cookie', cookie);
    void reply.header('cache-control', 'no-store');
    return { url, statusCode: 302 };
  }

  @Public()
  @Get('oauth/:provider/callback')
  @ApiExtraModels(AuthResponseDto, MfaChallengeResponseDto)
  @ApiOkResponse({
    description: 'Signed in, or (account with TOTP) a challenge for POST /auth/login/mfa',
    schema: {
      oneOf: [
        { $ref: getSchemaPath(AuthResponseDto) },
        { $ref: getSchemaPath(MfaChallengeResponseDto) },
      ],
    },
  })
  @ApiOperation({ summary: 'Finish sign-in with an identity provider' })
  async callback(
    @Param('provider') provider: string,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<AuthResponseDto | MfaChallengeResponseDto> {
    void reply.header('set-cookie', this.oauth.clearCookie());
    void reply.header('cache-control', 'no-store');
    const query = request.url.includes('?') ? request.url.slice(request.url.indexOf('?')) : '';
    return this.oauth.callback(
      PROVIDER.test(provider) ? provider : '-',
      query,
      request.headers.cookie,
      requestMeta(request),
    );
  }

  @ApiBearerAuth()
  @Get('identities')
  @ApiOkResponse({ type: IdentityPageDto })
  @ApiOperation({ summary: 'List my linked identities' })
  list(
    @CurrentUser() user: AuthenticatedUser,
    @Query() query: PageQueryDto,
  ): Promise<IdentityPageDto> {
    return this.identities.list(user.id, query.limit, query.cursor);
  }

  @ApiBearerAuth()
  @RequiresRecentAuth()
  @Delete('identities/:id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Unlink an identity' })
  async unlink(
    @CurrentUser() user: AuthenticatedUser,
    @UuidParam('id') id: string,
    @Req() request: FastifyRequest,
  ): Promise<void> {
    await this.identities.unlink(user.id, id, requestMeta(request));
  }
}
