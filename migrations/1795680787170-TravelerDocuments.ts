import type { MigrationInterface, QueryRunner } from 'typeorm';

export class TravelerDocuments1795680787170 implements MigrationInterface {
  name = 'TravelerDocuments1795680787170';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "traveler_documents" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "document_type" "public"."document_type" NOT NULL, "number_ciphertext" text NOT NULL, "number_index" character(64) NOT NULL, "number_masked" character varying(16) NOT NULL, "issuing_country" character(2) NOT NULL, "issuing_authority" character varying(255), "nationality" character(2), "holder_name" character varying(255) NOT NULL, "date_of_birth" date, "issue_date" date, "expiry_date" date, "extra_data" jsonb NOT NULL DEFAULT '{}', "status" "public"."document_status" NOT NULL DEFAULT 'pending', "status_changed_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "claimed_by" uuid, "claimed_at" TIMESTAMP WITH TIME ZONE, "review_reason_code" "public"."document_review_reason_code", "reviewed_at" TIMESTAMP WITH TIME ZONE, "reviewed_by" uuid, "version" integer NOT NULL DEFAULT '1', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "traveler_id" uuid NOT NULL, CONSTRAINT "chk_traveler_documents_dates" CHECK ("issue_date" IS NULL OR "expiry_date" IS NULL OR "issue_date" <= "expiry_date"), CONSTRAINT "chk_traveler_documents_extra_data_size" CHECK (octet_length("extra_data"::text) <= 8192), CONSTRAINT "pk_traveler_documents" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_traveler_documents_expiry_date" ON "traveler_documents"  ("expiry_date") `,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_traveler_documents_status_created_at" ON "traveler_documents"  ("status", "created_at", "id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_traveler_documents_traveler_id_created_at" ON "traveler_documents"  ("traveler_id", "created_at", "id") `,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_traveler_documents_traveler_id_number_index" ON "traveler_documents"  ("traveler_id", "number_index") `,
    );
    await queryRunner.query(
      `ALTER TABLE "traveler_documents" ADD CONSTRAINT "fk_traveler_documents_traveler_id" FOREIGN KEY ("traveler_id") REFERENCES "travelers"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    // Hand-written: a deleted document takes its (append-only) review history with it.
    await queryRunner.query(
      `CREATE TRIGGER "trg_traveler_documents_delete_reviews" AFTER DELETE ON "traveler_documents" FOR EACH ROW EXECUTE FUNCTION "documents_delete_reviews"('traveler')`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `DROP TRIGGER "trg_traveler_documents_delete_reviews" ON "traveler_documents"`,
    );
    await queryRunner.query(
      `ALTER TABLE "traveler_documents" DROP CONSTRAINT "fk_traveler_documents_traveler_id"`,
    );
    await queryRunner.query(`DROP INDEX "public"."uq_traveler_documents_traveler_id_number_index"`);
    await queryRunner.query(`DROP INDEX "public"."idx_traveler_documents_traveler_id_created_at"`);
    await queryRunner.query(`DROP INDEX "public"."idx_traveler_documents_status_created_at"`);
    await queryRunner.query(`DROP INDEX "public"."idx_traveler_documents_expiry_date"`);
    await queryRunner.query(`DROP TABLE "traveler_documents"`);
  }
}
