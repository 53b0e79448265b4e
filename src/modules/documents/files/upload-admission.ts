import { ProblemException } from '#libs/common/errors/problem.exception.js';

/**
 * How many uploads an instance reads and processes at once (`DOCUMENT_UPLOADS_AT_ONCE`); the
 * others wait, first come first served, with their bodies unread (TCP holds the bytes back at
 * the client), for at most `maxWaitMs`, then get 503 `UPLOADS_BUSY` with Retry-After. It bounds
 * the memory of a burst of uploads (at most `slots` × the file limit in buffers, not one per
 * request) and keeps twenty bodies arriving at once from taking the event loop and setting off
 * V8's full collections: /health/live p99 under twenty concurrent 5 MiB uploads went from 49–102
 * to 23–40 ms with two slots (bench/RESULTS.md). A slot is held by a slow client while it sends,
 * so size it for the clients' upload speed as well as memory (docs/deployment.md).
 */
export class UploadAdmission {
  private busy = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(
    private readonly slots: number,
    private readonly maxWaitMs: number,
  ) {}

  /** Runs `work` in a slot, once one is free. */
  async run<T>(work: () => Promise<T>): Promise<T> {
    await this.enter();
    try {
      return await work();
    } finally {
      this.leave();
    }
  }

  /** Uploads waiting for a slot now (diagnostics, tests). */
  get queued(): number {
    return this.waiting.length;
  }

  private enter(): Promise<void> {
    if (this.busy < this.slots) {
      this.busy += 1;
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => {
      const admit = (): void => {
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(() => {
        this.waiting.splice(this.waiting.indexOf(admit), 1);
        reject(uploadsBusy(this.maxWaitMs));
      }, this.maxWaitMs);
      this.waiting.push(admit);
    });
  }

  /** The slot passes to the first waiting upload, if any. */
  private leave(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.busy -= 1;
  }
}

export const uploadsBusy = (waitedMs: number): ProblemException =>
  new ProblemException(
    503,
    'UPLOADS_BUSY',
    `Too many uploads are being processed; none was free within ${Math.round(waitedMs / 1000)} s. Retry shortly.`,
    { headers: { 'Retry-After': '5' } },
  );
