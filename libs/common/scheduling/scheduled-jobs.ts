import { hostname } from 'node:os';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { ScheduledJobRunEntity } from './scheduled-job-run.entity.js';

export type ScheduledRun<T> = { ran: true; result: T } | { ran: false };

/** The start of the period `now` falls in, for a period of `seconds` (aligned to the epoch). */
export function periodStart(now: Date, seconds: number): Date {
  const size = seconds * 1000;
  return new Date(Math.floor(now.getTime() / size) * size);
}

/**
 * Runs scheduled work once per period across all instances: each timer tick claims
 * (job, period) with an INSERT … ON CONFLICT DO NOTHING; only the instance whose insert landed
 * runs the job. A crash mid-run leaves the claim, so the next run is the next period's.
 */
@Injectable()
export class ScheduledJobs {
  private readonly instance = `${hostname()}:${process.pid}`;

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async runOncePerPeriod<T>(
    job: string,
    periodSeconds: number,
    work: () => Promise<T>,
    now: Date = new Date(),
  ): Promise<ScheduledRun<T>> {
    const period = periodStart(now, periodSeconds);
    const claimed = await this.dataSource
      .createQueryBuilder()
      .insert()
      .into(ScheduledJobRunEntity)
      .values({ job, periodStart: period, instance: this.instance })
      .orIgnore()
      .returning(['job'])
      .execute();
    if (claimed.raw.length === 0) return { ran: false };
    const result = await work();
    await this.dataSource
      .getRepository(ScheduledJobRunEntity)
      .update({ job, periodStart: period }, { finishedAt: new Date() });
    return { ran: true, result };
  }
}
