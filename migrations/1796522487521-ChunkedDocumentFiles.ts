import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Document files in 64 KiB sealed chunks (`document_file_chunks`, format 2). Existing rows of
 * `document_file_blobs` hold whole-file ciphertexts and get `format` 1: they cannot be converted
 * here (the encryption is in the application), so they stay as they are and are still read
 * (`FileCipher.decrypt`); every new upload is written as format 2.
 */
export class ChunkedDocumentFiles1796522487521 implements MigrationInterface {
  name = 'ChunkedDocumentFiles1796522487521';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "document_file_chunks" ("file_id" uuid NOT NULL, "variant" "public"."document_file_variant" NOT NULL, "seq" integer NOT NULL, "ciphertext" bytea NOT NULL, CONSTRAINT "pk_document_file_chunks" PRIMARY KEY ("file_id", "variant", "seq"))`,
    );
    // Ciphertext does not compress: store it out of line without trying (as the blobs).
    await queryRunner.query(
      `ALTER TABLE "document_file_chunks" ALTER COLUMN "ciphertext" SET STORAGE EXTERNAL`,
    );
    await queryRunner.query(
      `ALTER TABLE "document_file_blobs" ADD "format" smallint NOT NULL DEFAULT '1'`,
    );
    await queryRunner.query(
      `ALTER TABLE "document_file_chunks" ADD CONSTRAINT "fk_document_file_chunks_blob" FOREIGN KEY ("file_id", "variant") REFERENCES "document_file_blobs"("file_id","variant") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "document_file_chunks" DROP CONSTRAINT "fk_document_file_chunks_blob"`,
    );
    await queryRunner.query(`ALTER TABLE "document_file_blobs" DROP COLUMN "format"`);
    await queryRunner.query(`DROP TABLE "document_file_chunks"`);
  }
}
