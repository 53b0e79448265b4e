import type { MigrationInterface, QueryRunner } from 'typeorm';

export class IdempotencyLease1795686193135 implements MigrationInterface {
  name = 'IdempotencyLease1795686193135';

  // The default is a full lease (5 min), not now(): during a rolling deploy the previous version
  // inserts keys without this column, and an already-expired lease would let a retry take over
  // (and book again) while that request is still running. Existing in-flight keys get it too.
  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "idempotency_keys" ADD "locked_until" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT (now() + '00:05:00'::interval)`,
    );
    await queryRunner.query(
      `ALTER TABLE "idempotency_keys" ADD "attempt" integer NOT NULL DEFAULT '1'`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "idempotency_keys" DROP COLUMN "attempt"`);
    await queryRunner.query(`ALTER TABLE "idempotency_keys" DROP COLUMN "locked_until"`);
  }
}
