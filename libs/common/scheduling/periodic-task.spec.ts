import type { Logger } from '@nestjs/common';
import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { PeriodicTask } from './periodic-task.js';

const quietLogger = () => {
  const errors: string[] = [];
  const logger = { error: (message: string) => errors.push(message) } as unknown as Logger;
  return { logger, errors };
};

describe('PeriodicTask', () => {
  beforeEach(() => {
    jest.useFakeTimers();
  });

  afterEach(() => {
    jest.useRealTimers();
  });

  it('ticks every period, logs a failing tick and keeps going', async () => {
    const { logger, errors } = quietLogger();
    const task = new PeriodicTask('Job', logger);
    let ticks = 0;
    task.start(30, async () => {
      ticks += 1;
      if (ticks === 2) throw new Error('boom');
    });
    expect(task.active).toBe(true);
    await jest.advanceTimersByTimeAsync(90_000);
    expect(ticks).toBe(3);
    expect(errors).toEqual(['Job failed: Error: boom']);
    await task.stop();
    await jest.advanceTimersByTimeAsync(90_000);
    expect(ticks).toBe(3);
    expect(task.active).toBe(false);
  });

  it('0 seconds never starts', () => {
    const task = new PeriodicTask('Job', quietLogger().logger);
    task.start(0, async () => undefined);
    expect(task.active).toBe(false);
  });

  it('stop() waits for the tick in flight', async () => {
    const task = new PeriodicTask('Job', quietLogger().logger);
    let finish: () => void = () => undefined;
    let finished = false;
    task.start(
      10,
      () =>
        new Promise<void>((resolve) => {
          finish = () => {
            finished = true;
            resolve();
          };
        }),
    );
    await jest.advanceTimersByTimeAsync(10_000);
    let stopped = false;
    const stopping = task.stop().then(() => (stopped = true));
    await Promise.resolve();
    expect(stopped).toBe(false);
    finish();
    await stopping;
    expect(finished).toBe(true);
    expect(stopped).toBe(true);
  });

  it('skips a tick while the previous one still runs', async () => {
    const task = new PeriodicTask('Job', quietLogger().logger);
    let started = 0;
    let finish: () => void = () => undefined;
    task.start(10, () => {
      started += 1;
      return new Promise<void>((resolve) => {
        finish = resolve;
      });
    });
    await jest.advanceTimersByTimeAsync(35_000);
    expect(started).toBe(1);
    finish();
    await jest.advanceTimersByTimeAsync(10_000);
    expect(started).toBe(2);
    finish();
    await task.stop();
  });
});
