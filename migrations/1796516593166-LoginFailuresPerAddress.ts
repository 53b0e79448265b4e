import type { MigrationInterface, QueryRunner } from 'typeorm';

export class LoginFailuresPerAddress1796516593166 implements MigrationInterface {
  name = 'LoginFailuresPerAddress1796516593166';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "login_failures" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "user_id" uuid NOT NULL, "client_ip" character varying(64) NOT NULL, "failures" integer NOT NULL DEFAULT '0', "locked_until" TIMESTAMP WITH TIME ZONE, "last_failed_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "pk_login_failures" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_login_failures_user_id_client_ip" ON "login_failures"  ("user_id", "client_ip") `,
    );
    await queryRunner.query(
      `ALTER TABLE "users" ADD "failed_login_window_started_at" TIMESTAMP WITH TIME ZONE`,
    );
    await queryRunner.query(
      `ALTER TABLE "login_failures" ADD CONSTRAINT "fk_login_failures_user_id" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "login_failures" DROP CONSTRAINT "fk_login_failures_user_id"`,
    );
    await queryRunner.query(`ALTER TABLE "users" DROP COLUMN "failed_login_window_started_at"`);
    await queryRunner.query(`DROP INDEX "public"."uq_login_failures_user_id_client_ip"`);
    await queryRunner.query(`DROP TABLE "login_failures"`);
  }
}
