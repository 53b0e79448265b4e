import {
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { ProblemException } from '../../../../libs/common/errors/problem.exception.js';
import type { RetentionTask } from '../../../../libs/common/privacy/personal-data-contributor.js';
import {
  type RetentionPolicy,
  retentionPolicy,
} from '../../../../libs/common/privacy/retention-policies.js';
import { type AppConfig, InjectConfig } from '../../../config/app-config.js';
import { PeriodicTask } from '../../../platform/periodic-task.js';
import { PrivacyContributors } from './privacy-contributors.js';

/** Session-level advisory lock key (pg_try_advisory_lock(int, int)): one run across instances. */
export const RETENTION_LOCK = [74_012_303, 1] as const;
const DAY_MS = 86_400_000;

export interface RetentionCategoryResult {
  category: string;
  contributor: string;
  action: RetentionPolicy['action'];
  cutoff: string;
  /** Rows past retention (dry run) or rows deleted (real run). */
  rows: number;
}

export interface RetentionRunResult {
  dryRun: boolean;
  startedAt: string;
  finishedAt: string;
  categories: RetentionCategoryResult[];
  total: number;
}

interface PlannedTask {
  contributor: string;
  task: RetentionTask;
  policy: RetentionPolicy;
}

/**
 * The retention purge: walks the contributors' retention tasks, each bound to a policy (a task
 * whose category has no policy fails the whole run before anything is deleted). Deletes in
 * batches, one short transaction per batch, under a session-level advisory lock so only one
 * instance runs at a time (a second caller gets 409 RETENTION_RUN_IN_PROGRESS). Runs on a
 * schedule (unref'd interval, stopped on shutdown) and on demand.
 */
@Injectable()
export class RetentionService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(RetentionService.name);
  private readonly timer = new PeriodicTask('Retention purge', this.logger);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectConfig() private readonly config: AppConfig,
    private readonly contributors: PrivacyContributors,
  ) {}

  onApplicationBootstrap(): void {
    this.timer.start(this.config.RETENTION_INTERVAL_SECONDS, () =>
      this.run({ dryRun: false })
        .then((result) => this.logger.log(`retention purge deleted ${result.total} rows`))
        .catch((error: unknown) => {
          // 409: another instance holds the purge lock this period; nothing to report.
          if (error instanceof ProblemException && error.getStatus() === 409) return;
          throw error;
        }),
    );
  }

  async onApplicationShutdown(): Promise<void> {
    await this.timer.stop();
  }

  /** Every task with its policy; throws when a task's category has no policy. */
  plan(): PlannedTask[] {
    const planned: PlannedTask[] = [];
    const missing: string[] = [];
    for (const { key, instance } of this.contributors.all()) {
      for (const task of instance.retentionTasks?.() ?? []) {
        const policy = retentionPolicy(task.category);
        if (!policy) missing.push(`${key}:${task.category}`);
        else planned.push({ contributor: key, task, policy });
      }
    }
    if (missing.length > 0) {
      throw new ProblemException(
        500,
        'RETENTION_POLICY_MISSING',
        `No retention policy for ${missing.join(', ')}: nothing was kept or deleted.`,
        { categories: missing },
      );
    }
    return planned;
  }

  async run(options: { dryRun: boolean }, now = new Date()): Promise<RetentionRunResult> {
    const planned = this.plan();
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      const [lock] = (await runner.query('SELECT pg_try_advisory_lock($1, $2) AS locked', [
        ...RETENTION_LOCK,
      ])) as { locked: boolean }[];
      if (!lock?.locked) {
        throw new ProblemException(
          409,
          'RETENTION_RUN_IN_PROGRESS',
          'A retention run is already in progress (on this or another instance).',
        );
      }
      try {
        const categories: RetentionCategoryResult[] = [];
        for (const { contributor, task, policy } of planned) {
          const cutoff = new Date(now.getTime() - policy.periodDays * DAY_MS);
          let rows = 0;
          if (policy.action === 'keep') {
            rows = 0;
          } else if (options.dryRun) {
            rows = await task.count(runner.manager, cutoff);
          } else {
            for (;;) {
              const deleted = await this.dataSource.transaction((manager) =>
                task.purgeBatch(manager, cutoff, this.config.RETENTION_BATCH_SIZE),
              );
              rows += deleted;
              if (deleted === 0) break;
            }
          }
          categories.push({
            category: task.category,
            contributor,
            action: policy.action,
            cutoff: cutoff.toISOString(),
            rows,
          });
        }
        return {
          dryRun: options.dryRun,
          startedAt: now.toISOString(),
          finishedAt: new Date().toISOString(),
          categories,
          total: categories.reduce((sum, category) => sum + category.rows, 0),
        };
      } finally {
        await runner.query('SELECT pg_advisory_unlock($1, $2)', [...RETENTION_LOCK]);
      }
    } finally {
      await runner.release();
    }
  }
}
