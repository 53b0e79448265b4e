import { Injectable, type BeforeApplicationShutdown } from '@nestjs/common';
import { HealthIndicatorService, type HealthIndicatorResult } from '@nestjs/terminus';

/** Readiness turns 503 as soon as shutdown begins, before connections close. */
@Injectable()
export class ShutdownState implements BeforeApplicationShutdown {
  private shuttingDown = false;

  constructor(private readonly indicators: HealthIndicatorService) {}

  /** Called first on SIGTERM, so load balancers stop sending traffic before we stop accepting. */
  beginShutdown(): void {
    this.shuttingDown = true;
  }

  beforeApplicationShutdown(): void {
    this.shuttingDown = true;
  }

  indicator(): HealthIndicatorResult {
    const check = this.indicators.check('instance');
    return this.shuttingDown ? check.down({ reason: 'shutting down' }) : check.up();
  }
}
