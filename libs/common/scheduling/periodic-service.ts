import { Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { PeriodicTask } from './periodic-task.js';

/**
 * The start/stop shape of a service with one scheduled job: on application bootstrap its
 * PeriodicTask starts ticking every `tickSeconds()` (0 or less: never), on shutdown it stops
 * and waits for a tick in flight. The subclass names the task (`super(name)`) and says what a
 * tick does (usually one `ScheduledJobs.runOncePerPeriod`). Its logger is named after the class.
 */
export abstract class PeriodicService implements OnApplicationBootstrap, OnApplicationShutdown {
  protected readonly logger = new Logger(this.constructor.name);
  private readonly timer: PeriodicTask;

  constructor(taskName: string) {
    this.timer = new PeriodicTask(taskName, this.logger);
  }

  /** Seconds between ticks, read at bootstrap (0 or less: the job is not scheduled). */
  protected abstract tickSeconds(): number;

  /** One tick of the timer (a failure is logged, not thrown). */
  protected abstract tick(): Promise<unknown>;

  onApplicationBootstrap(): void {
    this.timer.start(this.tickSeconds(), () => this.tick());
  }

  async onApplicationShutdown(): Promise<void> {
    await this.timer.stop();
  }

  /** Whether the timer is running. */
  get scheduled(): boolean {
    return this.timer.active;
  }
}
