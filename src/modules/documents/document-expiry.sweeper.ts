import { Injectable } from '@nestjs/common';
import { InjectConfig, type AppConfig } from '#config/app-config.js';
import { PeriodicService } from '#libs/common/scheduling/periodic-service.js';
import { ScheduledJobs, type ScheduledRun } from '#libs/common/scheduling/scheduled-jobs.js';
import { DocumentStore } from './document-store.js';
import { DOCUMENT_KINDS, type DocumentKind } from './document-vocabulary.js';

/** Key of the transaction-scoped advisory lock: one instance sweeps at a time. */
export const EXPIRY_SWEEP_LOCK = 'pathavana.documents.expiry-sweep';

export interface SweepResult {
  /** False when another instance held the lock (nothing was done). */
  ran: boolean;
  expired: Partial<Record<DocumentKind, number>>;
}

/**
 * Scheduled expiry: every DOCUMENT_EXPIRY_SWEEP_SECONDS (0 disables it) marks documents past
 * their expiry date `expired` in every registered kind. A Postgres advisory lock taken inside
 * the sweep's transaction makes concurrent instances skip instead of racing. The timer is
 * unref'd and stopped on shutdown, which also waits for a sweep in flight.
 */
@Injectable()
export class DocumentExpirySweeper extends PeriodicService {
  private running: Promise<SweepResult> | undefined;

  constructor(
    private readonly store: DocumentStore,
    private readonly jobs: ScheduledJobs,
    @InjectConfig() private readonly config: AppConfig,
  ) {
    super('Document expiry sweep');
  }

  protected tickSeconds(): number {
    return this.config.DOCUMENT_EXPIRY_SWEEP_SECONDS;
  }

  protected tick(): Promise<unknown> {
    return this.scheduledSweep();
  }

  override async onApplicationShutdown(): Promise<void> {
    await super.onApplicationShutdown();
    await this.running?.catch(() => undefined);
  }

  /** What the timer calls: one sweep per period across every instance of the deployment. */
  scheduledSweep(now?: Date): Promise<ScheduledRun<SweepResult>> {
    return this.jobs.runOncePerPeriod(
      'documents.expiry-sweep',
      this.config.DOCUMENT_EXPIRY_SWEEP_SECONDS,
      () => this.sweep(),
      now,
    );
  }

  /** One sweep now. Overlapping calls share the run in flight. */
  sweep(): Promise<SweepResult> {
    if (!this.running) {
      this.running = this.run().finally(() => {
        this.running = undefined;
      });
    }
    return this.running;
  }

  private run(): Promise<SweepResult> {
    return this.store.dataSource.transaction(async (manager) => {
      const [{ locked }] = (await manager.query(
        'SELECT pg_try_advisory_xact_lock(hashtext($1)) AS locked',
        [EXPIRY_SWEEP_LOCK],
      )) as [{ locked: boolean }];
      if (!locked) return { ran: false, expired: {} };
      const expired: Partial<Record<DocumentKind, number>> = {};
      for (const kind of DOCUMENT_KINDS) {
        if (!this.store.registry.has(kind)) continue;
        expired[kind] = await this.store.expireOverdue(kind, {}, manager);
      }
      const total = Object.values(expired).reduce((sum, count) => sum + count, 0);
      if (total > 0) this.logger.log(`Expired ${total} travel document(s)`);
      return { ran: true, expired };
    });
  }
}
