import { Controller, Get, Header } from '@nestjs/common';
import { ApiTags, ApiOperation } from '#libs/common/openapi/api-docs.js';
import {
  HealthCheckService,
  type HealthCheckResult,
  TypeOrmHealthIndicator,
} from '@nestjs/terminus';
import { Public } from '#libs/common/auth/decorators.js';
import { RateLimit } from '#libs/common/http/rate-limit.js';
import { ShutdownState } from './shutdown-state.js';

@ApiTags('platform')
@Public()
@RateLimit(false)
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly database: TypeOrmHealthIndicator,
    private readonly shutdown: ShutdownState,
  ) {}

  /** The process is up and its event loop answers. */
  @Get('live')
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: 'Liveness probe' })
  live(): Promise<HealthCheckResult> {
    return this.health.check([]);
  }

  /** Ready for traffic: the database answers and the instance is not shutting down. */
  @Get('ready')
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: 'Readiness probe' })
  ready(): Promise<HealthCheckResult> {
    return this.health.check([
      () => this.shutdown.indicator(),
      () => this.database.pingCheck('database', { timeout: 2000 }),
    ]);
  }
}
