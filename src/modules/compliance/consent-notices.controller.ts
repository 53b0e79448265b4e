import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiTags, ApiOperation } from '#libs/common/openapi/api-docs.js';
import { Public } from '#libs/common/auth/decorators.js';
import { toConsentNoticeDto } from './compliance.mappers.js';
import { ConsentNoticesService } from './consent-notices.service.js';
import { ConsentNoticeListResponseDto } from './dto/consent-notice.dto.js';

@ApiTags('consents')
@Controller('consent-notices')
export class ConsentNoticesController {
  constructor(private readonly notices: ConsentNoticesService) {}

  /** The current notice of every purpose, with its text and SHA-256. */
  @Public()
  @Get()
  @ApiOkResponse({ type: ConsentNoticeListResponseDto })
  @ApiOperation({ summary: 'List the current consent notices' })
  async current(): Promise<ConsentNoticeListResponseDto> {
    const notices = await this.notices.current();
    return { items: notices.map(toConsentNoticeDto), nextCursor: null };
  }
}
