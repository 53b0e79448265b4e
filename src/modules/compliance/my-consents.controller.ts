import { Body, Controller, Get, HttpCode, Post, Query, Req } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiTags,
  ApiOperation,
} from '#libs/common/openapi/api-docs.js';
import type { FastifyRequest } from 'fastify';
import type { AuthenticatedUser } from '#libs/common/auth/authenticated-user.js';
import { CurrentUser } from '#libs/common/auth/decorators.js';
import { mapPage, PageQueryDto } from '#libs/common/pagination/pagination.js';
import { toConsentEventDto, toConsentStateDto } from './compliance.mappers.js';
import { ConsentLedgerService } from './consent-ledger.service.js';
import {
  ConsentEventPageDto,
  ConsentEventResponseDto,
  ConsentStateListDto,
  RecordConsentDto,
} from './dto/consent.dto.js';
import { requestOrigin } from './request-context.js';

@ApiTags('consents')
@ApiBearerAuth()
@Controller('me/consents')
export class MyConsentsController {
  constructor(private readonly ledger: ConsentLedgerService) {}

  /** Current state per purpose, derived from the caller's events. */
  @Get()
  @ApiOkResponse({ type: ConsentStateListDto })
  @ApiOperation({ summary: 'Show my consent state' })
  async state(@CurrentUser() user: AuthenticatedUser): Promise<ConsentStateListDto> {
    const states = await this.ledger.stateFor(user.id);
    return { items: states.map(toConsentStateDto), nextCursor: null };
  }

  /** Grant (`granted: true`) or withdraw (`granted: false`): one call, one appended event. */
  @Post()
  @HttpCode(201)
  @ApiCreatedResponse({ type: ConsentEventResponseDto })
  @ApiOperation({ summary: 'Grant or withdraw a consent' })
  async decide(
    @CurrentUser() user: AuthenticatedUser,
    @Body() body: RecordConsentDto,
    @Req() request: FastifyRequest,
  ): Promise<ConsentEventResponseDto> {
    const { ip, userAgent } = requestOrigin(request);
    const event = await this.ledger.recordEvent({
      subjectId: user.id,
      purpose: body.purpose,
      version: body.version,
      granted: body.granted,
      source: 'api',
      ip,
      userAgent,
    });
    return toConsentEventDto(event);
  }

  /** Every decision of the caller, newest first. */
  @Get('history')
  @ApiOkResponse({ type: ConsentEventPageDto })
  @ApiOperation({ summary: 'List my consent history' })
  async history(
    @CurrentUser() user: AuthenticatedUser,
    @Query() query: PageQueryDto,
  ): Promise<ConsentEventPageDto> {
    const page = await this.ledger.history(user.id, {
      limit: query.limit,
      cursor: query.cursor,
    });
    return mapPage(page, toConsentEventDto);
  }
}
