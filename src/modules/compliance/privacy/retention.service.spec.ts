import type { ScheduledJobs } from '#libs/common/scheduling/scheduled-jobs.js';
import { describe, expect, it, jest } from '@jest/globals';
import type {
  PersonalDataContributor,
  RetentionTask,
} from '#libs/common/privacy/personal-data-contributor.js';
import { ProblemException } from '#libs/common/errors/problem.exception.js';
import type { AppConfig } from '#config/app-config.js';
import type { PrivacyContributors } from './privacy-contributors.js';
import type { RetentionRepository } from './retention.repository.js';
import { RetentionService } from './retention.service.js';

const task = (category: string): RetentionTask => ({
  category,
  count: async () => 0,
  purgeBatch: async () => 0,
});

function service(tasks: RetentionTask[], intervalSeconds = 0) {
  const instance: PersonalDataContributor = {
    describe: () => ({ categories: [] }),
    export: async () => undefined,
    erase: async () => [],
    retentionTasks: () => tasks,
  };
  const contributors = {
    all: () => [{ key: 'm', order: 1, instance }],
  } as unknown as PrivacyContributors;
  const config = {
    RETENTION_INTERVAL_SECONDS: intervalSeconds,
    RETENTION_BATCH_SIZE: 10,
  } as AppConfig;
  // Every tick is its period's first: the cross-instance claim is tested in retention.e2e-spec.ts.
  const jobs = {
    runOncePerPeriod: async (_job: string, _seconds: number, work: () => Promise<unknown>) => ({
      ran: true,
      result: await work(),
    }),
  } as unknown as ScheduledJobs;
  return new RetentionService({} as RetentionRepository, config, contributors, jobs);
}

describe('RetentionService', () => {
  it('plans every task with its policy', () => {
    const planned = service([task('auth_events'), task('one_time_tokens')]).plan();
    expect(planned.map((entry) => [entry.task.category, entry.policy.periodDays])).toEqual([
      ['auth_events', 365],
      ['one_time_tokens', 7],
    ]);
  });

  it('fails the whole run when a task has no policy (nothing kept or deleted silently)', async () => {
    const retention = service([task('auth_events'), task('mystery_rows')]);
    expect(() => retention.plan()).toThrow(ProblemException);
    await expect(retention.run({ dryRun: true })).rejects.toMatchObject({
      code: 'RETENTION_POLICY_MISSING',
      detail: expect.stringContaining('m:mystery_rows'),
    });
  });

  it('schedules an unref’d interval and stops it on shutdown', async () => {
    jest.useFakeTimers();
    try {
      const retention = service([], 60);
      const run = jest.spyOn(retention, 'run').mockResolvedValue({
        dryRun: false,
        startedAt: '',
        finishedAt: '',
        categories: [],
        total: 0,
      });
      retention.onApplicationBootstrap();
      await jest.advanceTimersByTimeAsync(60_000);
      expect(run).toHaveBeenCalledTimes(1);
      expect(run).toHaveBeenCalledWith({ dryRun: false });
      await retention.onApplicationShutdown();
      jest.advanceTimersByTime(600_000);
      expect(run).toHaveBeenCalledTimes(1);
    } finally {
      jest.useRealTimers();
    }
  });

  it('does not schedule when the interval is 0', () => {
    jest.useFakeTimers();
    try {
      const retention = service([], 0);
      const run = jest.spyOn(retention, 'run');
      retention.onApplicationBootstrap();
      jest.advanceTimersByTime(10_000_000);
      expect(run).not.toHaveBeenCalled();
    } finally {
      jest.useRealTimers();
    }
  });
});
