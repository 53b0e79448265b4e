import type { MigrationInterface, QueryRunner } from 'typeorm';

export class BookingFreeCancellationUntil1796516224560 implements MigrationInterface {
  name = 'BookingFreeCancellationUntil1796516224560';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "bookings" ADD "free_cancellation_until" TIMESTAMP WITH TIME ZONE`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "bookings" DROP COLUMN "free_cancellation_until"`);
  }
}
