import type { MigrationInterface, QueryRunner } from 'typeorm';

export class SessionsUserForeignKey1795678205904 implements MigrationInterface {
  name = 'SessionsUserForeignKey1795678205904';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "unified_travel_sessions" ADD CONSTRAINT "fk_unified_travel_sessions_user_id" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "unified_travel_sessions" DROP CONSTRAINT "fk_unified_travel_sessions_user_id"`,
    );
  }
}
