import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * One enum type per vocabulary (issue 21): the profile's travel preferences reuse `cabin_class`
 * and `seat_type` (same values) instead of their own copies, and the booking snapshot's traveler
 * type is the `traveler_type` the seed named. Casts through text keep every value.
 */
export class OneEnumPerVocabulary1796517900000 implements MigrationInterface {
  name = 'OneEnumPerVocabulary1796517900000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "travel_preferences" ALTER COLUMN "preferred_cabin_class" TYPE "public"."cabin_class" USING "preferred_cabin_class"::text::"public"."cabin_class"`,
    );
    await queryRunner.query(`DROP TYPE "public"."travel_preferences_cabin_class"`);
    await queryRunner.query(
      `ALTER TABLE "travel_preferences" ALTER COLUMN "preferred_seat_type" TYPE "public"."seat_type" USING "preferred_seat_type"::text::"public"."seat_type"`,
    );
    await queryRunner.query(`DROP TYPE "public"."travel_preferences_seat_type"`);
    await queryRunner.query(
      `ALTER TYPE "public"."booking_traveler_type" RENAME TO "traveler_type"`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TYPE "public"."traveler_type" RENAME TO "booking_traveler_type"`,
    );
    await queryRunner.query(
      `CREATE TYPE "public"."travel_preferences_seat_type" AS ENUM('aisle', 'window', 'middle', 'any')`,
    );
    await queryRunner.query(
      `ALTER TABLE "travel_preferences" ALTER COLUMN "preferred_seat_type" TYPE "public"."travel_preferences_seat_type" USING "preferred_seat_type"::text::"public"."travel_preferences_seat_type"`,
    );
    await queryRunner.query(
      `CREATE TYPE "public"."travel_preferences_cabin_class" AS ENUM('economy', 'premium_economy', 'business', 'first')`,
    );
    await queryRunner.query(
      `ALTER TABLE "travel_preferences" ALTER COLUMN "preferred_cabin_class" TYPE "public"."travel_preferences_cabin_class" USING "preferred_cabin_class"::text::"public"."travel_preferences_cabin_class"`,
    );
  }
}
