import type { MigrationInterface, QueryRunner } from 'typeorm';

export class IdempotencyLease1795686193135 implements MigrationInterface {
  name = 'IdempotencyLease1795686193135';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "idempotency_keys" ADD "locked_until" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now()`,
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
