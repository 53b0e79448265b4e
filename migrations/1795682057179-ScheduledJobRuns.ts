import type { MigrationInterface, QueryRunner } from 'typeorm';

export class ScheduledJobRuns1795682057179 implements MigrationInterface {
  name = 'ScheduledJobRuns1795682057179';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "scheduled_job_runs" ("job" character varying(100) NOT NULL, "period_start" TIMESTAMP WITH TIME ZONE NOT NULL, "instance" character varying(200) NOT NULL, "started_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "finished_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "pk_scheduled_job_runs" PRIMARY KEY ("job", "period_start"))`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "scheduled_job_runs"`);
  }
}
