import { Body, Controller, Headers, HttpCode, Param, Post, Req } from '@nestjs/common';
import { ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '#libs/common/openapi/api-docs.js';
import type { FastifyRequest } from 'fastify';
import { Public } from '#libs/common/auth/decorators.js';
import { ProviderEventDto, ProviderEventReceiptDto } from './provider-event.dto.js';
import { ProviderEventsService } from './provider-events.service.js';
import { rawBodyOf } from './raw-body.js';
import { SIGNATURE_HEADER } from './signature.js';

export const PROVIDER_EVENTS_ROUTE_SUFFIX = '/providers/:provider/events';

@ApiTags('provider events')
@Controller('providers')
export class ProviderEventsController {
  constructor(private readonly events: ProviderEventsService) {}

  /**
   * A booking provider tells us what happened to a booking. Signed with HMAC-SHA256 over
   * `"<t>.<raw body>"` (header `Pathavana-Signature: t=<unix>,v1=<hex>`, 300 s tolerance); the
   * same event id again → 200 `duplicate: true`, no second effect.
   */
  @Post(':provider/events')
  @Public()
  @HttpCode(200)
  @ApiOperation({ summary: 'Receive a signed booking event from a provider' })
  @ApiHeader({
    name: 'Pathavana-Signature',
    required: true,
    description: 't=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">',
  })
  @ApiOkResponse({ type: ProviderEventReceiptDto })
  async receive(
    @Param('provider') provider: string,
    @Headers(SIGNATURE_HEADER) signature: string | undefined,
    @Body() body: ProviderEventDto,
    @Req() request: FastifyRequest,
  ): Promise<ProviderEventReceiptDto> {
    this.events.verify(provider, signature, rawBodyOf(request));
    return this.events.receive(provider, this.events.checkType(body));
  }
}
