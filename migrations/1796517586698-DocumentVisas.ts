import type { MigrationInterface, QueryRunner } from 'typeorm';

export class DocumentVisas1796517586698 implements MigrationInterface {
  name = 'DocumentVisas1796517586698';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "user_documents" ADD "visa_country" character(2)`);
    await queryRunner.query(`ALTER TABLE "user_documents" ADD "visa_type" character varying(50)`);
    await queryRunner.query(
      `CREATE TYPE "public"."visa_entries" AS ENUM('single', 'double', 'multiple')`,
    ); // shared by user_documents and traveler_documents
    await queryRunner.query(
      `ALTER TABLE "user_documents" ADD "visa_entries" "public"."visa_entries"`,
    );
    await queryRunner.query(
      `ALTER TABLE "user_documents" ADD "visa_purpose" character varying(100)`,
    );
    await queryRunner.query(`ALTER TABLE "user_documents" ADD "valid_from" date`);
    await queryRunner.query(`ALTER TABLE "traveler_documents" ADD "visa_country" character(2)`);
    await queryRunner.query(
      `ALTER TABLE "traveler_documents" ADD "visa_type" character varying(50)`,
    );
    await queryRunner.query(
      `ALTER TABLE "traveler_documents" ADD "visa_entries" "public"."visa_entries"`,
    );
    await queryRunner.query(
      `ALTER TABLE "traveler_documents" ADD "visa_purpose" character varying(100)`,
    );
    await queryRunner.query(`ALTER TABLE "traveler_documents" ADD "valid_from" date`);
    await queryRunner.query(
      `ALTER TABLE "user_documents" ADD CONSTRAINT "chk_user_documents_visa_fields" CHECK ("document_type" = 'visa' OR ("visa_country" IS NULL AND "visa_entries" IS NULL AND "visa_type" IS NULL AND "visa_purpose" IS NULL AND "valid_from" IS NULL))`,
    );
    await queryRunner.query(
      `ALTER TABLE "traveler_documents" ADD CONSTRAINT "chk_traveler_documents_visa_fields" CHECK ("document_type" = 'visa' OR ("visa_country" IS NULL AND "visa_entries" IS NULL AND "visa_type" IS NULL AND "visa_purpose" IS NULL AND "valid_from" IS NULL))`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "traveler_documents" DROP CONSTRAINT "chk_traveler_documents_visa_fields"`,
    );
    await queryRunner.query(
      `ALTER TABLE "user_documents" DROP CONSTRAINT "chk_user_documents_visa_fields"`,
    );
    await queryRunner.query(`ALTER TABLE "traveler_documents" DROP COLUMN "valid_from"`);
    await queryRunner.query(`ALTER TABLE "traveler_documents" DROP COLUMN "visa_purpose"`);
    await queryRunner.query(`ALTER TABLE "traveler_documents" DROP COLUMN "visa_entries"`);
    await queryRunner.query(`ALTER TABLE "traveler_documents" DROP COLUMN "visa_type"`);
    await queryRunner.query(`ALTER TABLE "traveler_documents" DROP COLUMN "visa_country"`);
    await queryRunner.query(`ALTER TABLE "user_documents" DROP COLUMN "valid_from"`);
    await queryRunner.query(`ALTER TABLE "user_documents" DROP COLUMN "visa_purpose"`);
    await queryRunner.query(`ALTER TABLE "user_documents" DROP COLUMN "visa_entries"`);
    // One enum type shared by both tables: dropped once, after both columns.
    await queryRunner.query(`DROP TYPE "public"."visa_entries"`);
    await queryRunner.query(`ALTER TABLE "user_documents" DROP COLUMN "visa_type"`);
    await queryRunner.query(`ALTER TABLE "user_documents" DROP COLUMN "visa_country"`);
  }
}
