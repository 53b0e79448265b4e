import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CancellationQuoteRecordedAt1795688683263 implements MigrationInterface {
  name = 'CancellationQuoteRecordedAt1795688683263';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "booking_cancellation_quotes" ADD "recorded_at" TIMESTAMP WITH TIME ZONE`,
    );
    // Cancellations recorded before this column: the used quote made on the version cancelled.
    await queryRunner.query(
      `UPDATE "booking_cancellation_quotes" q SET "recorded_at" = b."cancelled_at"
         FROM "bookings" b
        WHERE b."id" = q."booking_id" AND b."status" = 'cancelled' AND q."used_at" IS NOT NULL
          AND q."booking_version" = b."version" - 1`,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_booking_cancellation_quotes_unrecorded" ON "booking_cancellation_quotes"  ("used_at") WHERE "used_at" IS NOT NULL AND "recorded_at" IS NULL`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."idx_booking_cancellation_quotes_unrecorded"`);
    await queryRunner.query(`ALTER TABLE "booking_cancellation_quotes" DROP COLUMN "recorded_at"`);
  }
}
