import type { Logger } from '@nestjs/common';

/**
 * The timer of a scheduled job: every `seconds` (0 or less: never) it starts `tick` unless the
 * previous one is still running, logging a failure instead of crashing; the interval is unref'd so it never keeps a process alive, and
 * `stop()` clears it and waits for a tick in flight (what application shutdown needs).
 */
export class PeriodicTask {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;

  constructor(
    private readonly name: string,
    private readonly logger: Logger,
  ) {}

  start(seconds: number, tick: () => Promise<unknown>): void {
    if (seconds <= 0 || this.timer) return;
    this.timer = setInterval(() => {
      // A tick still running when the next is due is not overlapped (stop() waits for it).
      if (this.running) return;
      this.running = tick()
        .catch((error: unknown) => {
          this.logger.error(`${this.name} failed: ${String(error)}`);
        })
        .finally(() => {
          this.running = undefined;
        });
    }, seconds * 1000);
    this.timer.unref();
  }

  get active(): boolean {
    return this.timer !== undefined;
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }
}
