import type { MigrationInterface, QueryRunner } from 'typeorm';

export class DocumentFiles1796511623306 implements MigrationInterface {
  name = 'DocumentFiles1796511623306';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TYPE "public"."document_file_side" AS ENUM('front', 'back', 'other')`,
    );
    await queryRunner.query(
      `CREATE TABLE "document_files" ("id" uuid NOT NULL, "document_kind" "public"."document_kind" NOT NULL, "user_document_id" uuid, "traveler_document_id" uuid, "side" "public"."document_file_side" NOT NULL, "content_type" character varying(32) NOT NULL, "size_bytes" integer NOT NULL, "sha256" character(64) NOT NULL, "width" integer, "height" integer, "key_id" character varying(16) NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "chk_document_files_one_document" CHECK (("document_kind" = 'user' AND "user_document_id" IS NOT NULL AND "traveler_document_id" IS NULL) OR ("document_kind" = 'traveler' AND "traveler_document_id" IS NOT NULL AND "user_document_id" IS NULL)), CONSTRAINT "pk_document_files" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_document_files_traveler_document_id" ON "document_files"  ("traveler_document_id", "created_at") `,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_document_files_user_document_id" ON "document_files"  ("user_document_id", "created_at") `,
    );
    await queryRunner.query(
      `CREATE TYPE "public"."document_file_variant" AS ENUM('original', 'preview')`,
    );
    await queryRunner.query(
      `CREATE TABLE "document_file_blobs" ("file_id" uuid NOT NULL, "variant" "public"."document_file_variant" NOT NULL, "ciphertext" bytea NOT NULL, CONSTRAINT "pk_document_file_blobs" PRIMARY KEY ("file_id", "variant"))`,
    );
    // Ciphertext does not compress: store it out of line without trying (no pglz pass).
    await queryRunner.query(
      `ALTER TABLE "document_file_blobs" ALTER COLUMN "ciphertext" SET STORAGE EXTERNAL`,
    );
    await queryRunner.query(
      `ALTER TABLE "document_files" ADD CONSTRAINT "fk_document_files_user_document_id" FOREIGN KEY ("user_document_id") REFERENCES "user_documents"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "document_files" ADD CONSTRAINT "fk_document_files_traveler_document_id" FOREIGN KEY ("traveler_document_id") REFERENCES "traveler_documents"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "document_file_blobs" ADD CONSTRAINT "fk_document_file_blobs_file_id" FOREIGN KEY ("file_id") REFERENCES "document_files"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "document_file_blobs" DROP CONSTRAINT "fk_document_file_blobs_file_id"`,
    );
    await queryRunner.query(
      `ALTER TABLE "document_files" DROP CONSTRAINT "fk_document_files_traveler_document_id"`,
    );
    await queryRunner.query(
      `ALTER TABLE "document_files" DROP CONSTRAINT "fk_document_files_user_document_id"`,
    );
    await queryRunner.query(`DROP TABLE "document_file_blobs"`);
    await queryRunner.query(`DROP TYPE "public"."document_file_variant"`);
    await queryRunner.query(`DROP INDEX "public"."idx_document_files_user_document_id"`);
    await queryRunner.query(`DROP INDEX "public"."idx_document_files_traveler_document_id"`);
    await queryRunner.query(`DROP TABLE "document_files"`);
    await queryRunner.query(`DROP TYPE "public"."document_file_side"`);
  }
}
