import type { MigrationInterface, QueryRunner } from 'typeorm';

export class BookingsConfirmationCodeIndex1796518160314 implements MigrationInterface {
  name = 'BookingsConfirmationCodeIndex1796518160314';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE INDEX "idx_bookings_confirmation_code" ON "bookings" ("confirmation_code")`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."idx_bookings_confirmation_code"`);
  }
}
