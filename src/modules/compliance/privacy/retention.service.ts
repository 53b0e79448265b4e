import { Injectable } from '@nestjs/common';
import { ProblemException } from '#libs/common/errors/problem.exception.js';
import type { RetentionTask } from '#libs/common/privacy/personal-data-contributor.js';
import { type RetentionPolicy, retentionPolicy } from '#libs/common/privacy/retention-policies.js';
import { type AppConfig, InjectConfig } from '#config/app-config.js';
import { PeriodicService } from '#libs/common/scheduling/periodic-service.js';
import { ScheduledJobs } from '#libs/common/scheduling/scheduled-jobs.js';
import { PrivacyContributors } from './privacy-contributors.js';
import { RetentionRepository } from './retention.repository.js';

export { RETENTION_LOCK } from './retention.repository.js';
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
 * batches, one short transaction per batch, while a lock transaction holds a transaction-scoped
 * advisory lock, so only one run happens at a time (a second caller gets 409
 * RETENTION_RUN_IN_PROGRESS). Transaction-scoped because a session-level lock and its unlock can
 * land on different server connections behind PgBouncer in transaction mode. Runs on a schedule
 * (once per period across instances, `scheduled_job_runs`) and on demand.
 */
@Injectable()
export class RetentionService extends PeriodicService {
  constructor(
    private readonly transactions: RetentionRepository,
    @InjectConfig() private readonly config: AppConfig,
    private readonly contributors: PrivacyContributors,
    private readonly jobs: ScheduledJobs,
  ) {
    super('Retention purge');
  }

  protected tickSeconds(): number {
    return this.config.RETENTION_INTERVAL_SECONDS;
  }

  protected tick(): Promise<void> {
    const seconds = this.config.RETENTION_INTERVAL_SECONDS;
    return this.jobs
      .runOncePerPeriod('compliance.retention', seconds, () => this.run({ dryRun: false }))
      .then((run) => {
        if (run.ran) this.logger.log(`retention purge deleted ${run.result.total} rows`);
      })
      .catch((error: unknown) => {
        // 409: another instance holds the purge lock this period; nothing to report.
        if (error instanceof ProblemException && error.getStatus() === 409) return;
        throw error;
      });
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
    const run = await this.transactions.underRunLock(async (lockManager) => {
      const categories: RetentionCategoryResult[] = [];
      for (const { contributor, task, policy } of planned) {
        const cutoff = new Date(now.getTime() - policy.periodDays * DAY_MS);
        let rows = 0;
        if (policy.action === 'keep') {
          rows = 0;
        } else if (options.dryRun) {
          rows = await task.count(lockManager, cutoff);
        } else {
          for (;;) {
            const deleted = await this.transactions.batch((manager) =>
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
      return categories;
    });
    if (!run.locked) {
      throw new ProblemException(
        409,
        'RETENTION_RUN_IN_PROGRESS',
        'A retention run is already in progress (on this or another instance).',
      );
    }
    const categories = run.result;
    return {
      dryRun: options.dryRun,
      startedAt: now.toISOString(),
      finishedAt: new Date().toISOString(),
      categories,
      total: categories.reduce((sum, category) => sum + category.rows, 0),
    };
  }
}
