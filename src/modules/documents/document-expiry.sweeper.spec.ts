import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import type { AppConfig } from '#config/app-config.js';
import {
  periodStart,
  type ScheduledJobs,
  type ScheduledRun,
} from '#libs/common/scheduling/scheduled-jobs.js';
import { DocumentExpirySweeper } from './document-expiry.sweeper.js';
import type { DocumentStore } from './document-store.js';

interface FakeStore {
  store: DocumentStore;
  sweeps: () => number;
  setLocked: (locked: boolean) => void;
}

function fakeStore(): FakeStore {
  let sweeps = 0;
  let locked = true;
  const manager = {
    query: () => Promise.resolve([{ locked }]),
  };
  const store = {
    dataSource: {
      transaction: <T>(work: (m: typeof manager) => Promise<T>): Promise<T> => work(manager),
    },
    registry: { has: (kind: string) => kind === 'user' },
    expireOverdue: () => {
      sweeps += 1;
      return Promise.resolve(2);
    },
  };
  return {
    store: store as unknown as DocumentStore,
    sweeps: () => sweeps,
    setLocked: (value) => {
      locked = value;
    },
  };
}

/** ScheduledJobs as one database would answer it: the first claim of a period wins. */
function fakeJobs(): ScheduledJobs {
  const claimed = new Set<string>();
  return {
    runOncePerPeriod: async <T>(
      job: string,
      seconds: number,
      work: () => Promise<T>,
      now = new Date(),
    ): Promise<ScheduledRun<T>> => {
      const key = `${job}@${periodStart(now, seconds).toISOString()}`;
      if (claimed.has(key)) return { ran: false };
      claimed.add(key);
      return { ran: true, result: await work() };
    },
  } as unknown as ScheduledJobs;
}

const config = (seconds: number): AppConfig =>
  ({ DOCUMENT_EXPIRY_SWEEP_SECONDS: seconds }) as unknown as AppConfig;

describe('document expiry sweeper (timer)', () => {
  beforeEach(() => {
    jest.useFakeTimers();
  });

  afterEach(() => {
    jest.useRealTimers();
  });

  it('sweeps every interval once started, and never again after shutdown', async () => {
    const fake = fakeStore();
    const sweeper = new DocumentExpirySweeper(fake.store, fakeJobs(), config(60));
    sweeper.onApplicationBootstrap();
    expect(sweeper.scheduled).toBe(true);
    expect(fake.sweeps()).toBe(0);

    await jest.advanceTimersByTimeAsync(60_000);
    expect(fake.sweeps()).toBe(1);
    await jest.advanceTimersByTimeAsync(120_000);
    expect(fake.sweeps()).toBe(3);

    await sweeper.onApplicationShutdown();
    expect(sweeper.scheduled).toBe(false);
    await jest.advanceTimersByTimeAsync(600_000);
    expect(fake.sweeps()).toBe(3);
  });

  it('0 seconds disables the timer', () => {
    const sweeper = new DocumentExpirySweeper(fakeStore().store, fakeJobs(), config(0));
    sweeper.onApplicationBootstrap();
    expect(sweeper.scheduled).toBe(false);
  });

  it('does nothing when another instance holds the lock', async () => {
    const fake = fakeStore();
    fake.setLocked(false);
    const sweeper = new DocumentExpirySweeper(fake.store, fakeJobs(), config(60));
    expect(await sweeper.sweep()).toEqual({ ran: false, expired: {} });
    expect(fake.sweeps()).toBe(0);
    fake.setLocked(true);
    expect(await sweeper.sweep()).toEqual({ ran: true, expired: { user: 2 } });
  });

  it('the schedule runs once per period however many instances tick', async () => {
    const fake = fakeStore();
    const jobs = fakeJobs();
    const instances = [1, 2, 3].map(() => new DocumentExpirySweeper(fake.store, jobs, config(60)));
    const now = new Date('2026-11-26T08:00:30Z');
    const runs = await Promise.all(instances.map((instance) => instance.scheduledSweep(now)));
    expect(runs.filter((run) => run.ran)).toHaveLength(1);
    expect(fake.sweeps()).toBe(1);
    const next = await instances[1]?.scheduledSweep(new Date('2026-11-26T08:01:00Z'));
    expect(next?.ran).toBe(true);
  });

  it('overlapping calls share the sweep in flight', async () => {
    const fake = fakeStore();
    const sweeper = new DocumentExpirySweeper(fake.store, fakeJobs(), config(60));
    const [first, second] = await Promise.all([sweeper.sweep(), sweeper.sweep()]);
    expect(first).toBe(second);
    expect(fake.sweeps()).toBe(1);
  });
});
