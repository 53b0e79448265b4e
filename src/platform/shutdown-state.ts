import { Injectable, type BeforeApplicationShutdown } from '@nestjs/common';
import { HealthIndicatorService, type HealthIndicatorResult } from '@nestjs/terminus';

/** Readiness turns 503 as soon as shutdown begins, before connections close. */
@Injectable()
export class ShutdownState implements BeforeApplicationShutdown {
  private shuttingDown = false;

  constructor(private readonly indicators: HealthIndicatorService) {}

  beforeApplicationShutdown(): void {
    this.shuttingDown = true;
  }

  indicator(): HealthIndicatorResult {
    const check = this.indicators.check('instance');
    return this.shuttingDown ? check.down({ reason: 'shutting down' }) : check.up();
  }
}
