import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * One row per scheduled job and period: the instance that inserts it runs the job for that
 * period; every other instance sees the row and skips. At most once per period, across instances.
 */
@Entity('scheduled_job_runs')
export class ScheduledJobRunEntity {
  @PrimaryColumn({ type: 'varchar', length: 100 })
  job: string;

  @PrimaryColumn({ type: 'timestamptz' })
  periodStart: Date;

  @Column({ type: 'varchar', length: 200 })
  instance: string;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  startedAt: Date;

  @Column({ type: 'timestamptz', nullable: true })
  finishedAt: Date | null;
}
