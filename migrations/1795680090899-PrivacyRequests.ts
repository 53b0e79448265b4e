import type { MigrationInterface, QueryRunner } from 'typeorm';

/*
 * Data-subject rights: the privacy-request register, an index for the time-ordered consent
 * export, and (hand-written, below the generated part) a wider privileged path on audit_events:
 * erasure pseudonymises the erased user's id where they are the SUBJECT and where they were the
 * ACTOR (their own exports, consent changes), so under `SET LOCAL pathavana.allow_pseudonymise`
 * an UPDATE of audit_events may change `subject_id` and `actor_id`, nothing else. consent_events
 * keep allowing `subject_id` only (actor_id is part of the hash chain).
 */

export class PrivacyRequests1795680090899 implements MigrationInterface {
  name = 'PrivacyRequests1795680090899';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TYPE "public"."privacy_request_type" AS ENUM('export', 'erasure')`,
    );
    await queryRunner.query(
      `CREATE TYPE "public"."privacy_request_status" AS ENUM('in_progress', 'completed', 'failed')`,
    );
    await queryRunner.query(
      `CREATE TABLE "privacy_requests" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "type" "public"."privacy_request_type" NOT NULL, "subject_id" uuid NOT NULL, "status" "public"."privacy_request_status" NOT NULL DEFAULT 'in_progress', "received_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "due_at" TIMESTAMP WITH TIME ZONE NOT NULL, "completed_at" TIMESTAMP WITH TIME ZONE, "outcome" jsonb NOT NULL DEFAULT '{}', "request_id" character varying(128), CONSTRAINT "pk_privacy_requests" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_privacy_requests_subject_id" ON "privacy_requests"  ("subject_id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_privacy_requests_received_at_id" ON "privacy_requests"  ("received_at", "id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_consent_events_occurred_at_id" ON "consent_events"  ("occurred_at", "id") `,
    );

    // ---- hand-written: audit_events pseudonymisation may change subject_id and actor_id ----
    await queryRunner.query(`DROP TRIGGER audit_events_append_only ON "audit_events"`);
    await queryRunner.query(
      `CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE ON "audit_events" FOR EACH ROW EXECUTE FUNCTION pathavana_refuse_change('subject_id', 'actor_id')`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER audit_events_append_only ON "audit_events"`);
    await queryRunner.query(
      `CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE ON "audit_events" FOR EACH ROW EXECUTE FUNCTION pathavana_refuse_change('subject_id')`,
    );
    await queryRunner.query(`DROP INDEX "public"."idx_consent_events_occurred_at_id"`);
    await queryRunner.query(`DROP INDEX "public"."idx_privacy_requests_received_at_id"`);
    await queryRunner.query(`DROP INDEX "public"."idx_privacy_requests_subject_id"`);
    await queryRunner.query(`DROP TABLE "privacy_requests"`);
    await queryRunner.query(`DROP TYPE "public"."privacy_request_status"`);
    await queryRunner.query(`DROP TYPE "public"."privacy_request_type"`);
  }
}
