import type { MigrationInterface, QueryRunner } from 'typeorm';

export class ErasedAccountsIndex1795686704890 implements MigrationInterface {
  name = 'ErasedAccountsIndex1795686704890';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE INDEX "idx_users_deleted_updated_at" ON "users"  ("updated_at") WHERE "status" = 'deleted'`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."idx_users_deleted_updated_at"`);
  }
}
