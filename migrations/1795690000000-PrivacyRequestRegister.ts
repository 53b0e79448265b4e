import type { MigrationInterface, QueryRunner } from 'typeorm';

/*
 * The privacy-request register (staff intake, deadlines, a lifecycle with history). Hand-written
 * where enums change meaning: rows from self-service keep their meaning — type `export` is an
 * `access` request, status `failed` (an export cut short) is `rejected`, every existing row came
 * through `self_service`, and the machine-readable `outcome` counts move to `result`.
 */
export class PrivacyRequestRegister1795690000000 implements MigrationInterface {
  name = 'PrivacyRequestRegister1795690000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TYPE "public"."privacy_request_type" RENAME TO "privacy_request_type_old"`,
    );
    await queryRunner.query(
      `CREATE TYPE "public"."privacy_request_type" AS ENUM('access', 'erasure', 'rectification', 'restriction', 'objection', 'portability')`,
    );
    await queryRunner.query(
      `ALTER TABLE "privacy_requests" ALTER COLUMN "type" TYPE "public"."privacy_request_type" USING (CASE "type"::text WHEN 'export' THEN 'access' ELSE "type"::text END)::"public"."privacy_request_type"`,
    );
    await queryRunner.query(`DROP TYPE "public"."privacy_request_type_old"`);

    await queryRunner.query(`ALTER TABLE "privacy_requests" RENAME COLUMN "outcome" TO "result"`);
    await queryRunner.query(`ALTER TABLE "privacy_requests" ADD "outcome" text`);
    await queryRunner.query(`ALTER TABLE "privacy_requests" ADD "rejection_reason" text`);

    await queryRunner.query(`ALTER TABLE "privacy_requests" ALTER COLUMN "status" DROP DEFAULT`);
    await queryRunner.query(
      `ALTER TYPE "public"."privacy_request_status" RENAME TO "privacy_request_status_old"`,
    );
    await queryRunner.query(
      `CREATE TYPE "public"."privacy_request_status" AS ENUM('received', 'identity_verified', 'in_progress', 'completed', 'rejected')`,
    );
    await queryRunner.query(
      `UPDATE "privacy_requests" SET "rejection_reason" = 'The export was cut short.' WHERE "status" = 'failed'`,
    );
    await queryRunner.query(
      `ALTER TABLE "privacy_requests" ALTER COLUMN "status" TYPE "public"."privacy_request_status" USING (CASE "status"::text WHEN 'failed' THEN 'rejected' ELSE "status"::text END)::"public"."privacy_request_status"`,
    );
    await queryRunner.query(
      `ALTER TABLE "privacy_requests" ALTER COLUMN "status" SET DEFAULT 'received'`,
    );
    await queryRunner.query(`DROP TYPE "public"."privacy_request_status_old"`);

    await queryRunner.query(
      `CREATE TYPE "public"."privacy_request_channel" AS ENUM('self_service', 'email', 'letter', 'phone', 'web_form')`,
    );
    await queryRunner.query(
      `ALTER TABLE "privacy_requests" ADD "channel" "public"."privacy_request_channel" NOT NULL DEFAULT 'self_service'`,
    );
    await queryRunner.query(`ALTER TABLE "privacy_requests" ALTER COLUMN "channel" DROP DEFAULT`);
    await queryRunner.query(
      `ALTER TABLE "privacy_requests" ALTER COLUMN "subject_id" DROP NOT NULL`,
    );
    await queryRunner.query(
      `ALTER TABLE "privacy_requests" ADD "subject_email" character varying(320)`,
    );
    await queryRunner.query(`ALTER TABLE "privacy_requests" ADD "details" text`);
    await queryRunner.query(
      `ALTER TABLE "privacy_requests" ADD "extended_due_at" TIMESTAMP WITH TIME ZONE`,
    );
    await queryRunner.query(`ALTER TABLE "privacy_requests" ADD "extension_reason" text`);
    await queryRunner.query(
      `ALTER TABLE "privacy_requests" ADD "identity_method" character varying(200)`,
    );

    await queryRunner.query(
      `CREATE TABLE "privacy_request_events" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "privacy_request_id" uuid NOT NULL, "at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT clock_timestamp(), "actor_id" uuid, "from_status" character varying(32), "to_status" character varying(32) NOT NULL, "reason" text, CONSTRAINT "pk_privacy_request_events" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_privacy_request_events_request_id_at" ON "privacy_request_events"  ("privacy_request_id", "at") `,
    );
    await queryRunner.query(
      `ALTER TABLE "privacy_request_events" ADD CONSTRAINT "fk_privacy_request_events_privacy_request_id" FOREIGN KEY ("privacy_request_id") REFERENCES "privacy_requests"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "privacy_request_events"`);
    await queryRunner.query(`DELETE FROM "privacy_requests" WHERE "channel" <> 'self_service'`);
    await queryRunner.query(`ALTER TABLE "privacy_requests" DROP COLUMN "identity_method"`);
    await queryRunner.query(`ALTER TABLE "privacy_requests" DROP COLUMN "extension_reason"`);
    await queryRunner.query(`ALTER TABLE "privacy_requests" DROP COLUMN "extended_due_at"`);
    await queryRunner.query(`ALTER TABLE "privacy_requests" DROP COLUMN "details"`);
    await queryRunner.query(`ALTER TABLE "privacy_requests" DROP COLUMN "subject_email"`);
    await queryRunner.query(
      `ALTER TABLE "privacy_requests" ALTER COLUMN "subject_id" SET NOT NULL`,
    );
    await queryRunner.query(`ALTER TABLE "privacy_requests" DROP COLUMN "channel"`);
    await queryRunner.query(`DROP TYPE "public"."privacy_request_channel"`);

    await queryRunner.query(`ALTER TABLE "privacy_requests" ALTER COLUMN "status" DROP DEFAULT`);
    await queryRunner.query(
      `ALTER TYPE "public"."privacy_request_status" RENAME TO "privacy_request_status_old"`,
    );
    await queryRunner.query(
      `CREATE TYPE "public"."privacy_request_status" AS ENUM('in_progress', 'completed', 'failed')`,
    );
    await queryRunner.query(
      `ALTER TABLE "privacy_requests" ALTER COLUMN "status" TYPE "public"."privacy_request_status" USING (CASE "status"::text WHEN 'rejected' THEN 'failed' WHEN 'completed' THEN 'completed' ELSE 'in_progress' END)::"public"."privacy_request_status"`,
    );
    await queryRunner.query(
      `ALTER TABLE "privacy_requests" ALTER COLUMN "status" SET DEFAULT 'in_progress'`,
    );
    await queryRunner.query(`DROP TYPE "public"."privacy_request_status_old"`);
    await queryRunner.query(`ALTER TABLE "privacy_requests" DROP COLUMN "rejection_reason"`);
    await queryRunner.query(`ALTER TABLE "privacy_requests" DROP COLUMN "outcome"`);
    await queryRunner.query(`ALTER TABLE "privacy_requests" RENAME COLUMN "result" TO "outcome"`);

    await queryRunner.query(
      `ALTER TYPE "public"."privacy_request_type" RENAME TO "privacy_request_type_old"`,
    );
    await queryRunner.query(
      `CREATE TYPE "public"."privacy_request_type" AS ENUM('export', 'erasure')`,
    );
    await queryRunner.query(
      `ALTER TABLE "privacy_requests" ALTER COLUMN "type" TYPE "public"."privacy_request_type" USING (CASE "type"::text WHEN 'erasure' THEN 'erasure' ELSE 'export' END)::"public"."privacy_request_type"`,
    );
    await queryRunner.query(`DROP TYPE "public"."privacy_request_type_old"`);
  }
}
