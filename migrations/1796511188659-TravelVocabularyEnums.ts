import type { MigrationInterface, QueryRunner } from 'typeorm';

/*
 * One travel vocabulary (libs/common/travel-vocabulary.ts) for every table: profiles accept the
 * seat type `middle` as travelers always did, and the travelers' `gender` type lists its values
 * in the vocabulary's order, like `user_profile_gender` (`/meta/enums` equals `pg_enum`).
 * The generator wrote the ADD VALUE; the BEFORE and the gender reorder are by hand (the diff
 * ignores value order).
 */
export class TravelVocabularyEnums1796511188659 implements MigrationInterface {
  name = 'TravelVocabularyEnums1796511188659';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TYPE "public"."travel_preferences_seat_type" ADD VALUE 'middle' BEFORE 'any'`,
    );
    await queryRunner.query(`ALTER TYPE "public"."gender" RENAME TO "gender_old"`);
    await queryRunner.query(
      `CREATE TYPE "public"."gender" AS ENUM('male', 'female', 'other', 'prefer_not_to_say')`,
    );
    await queryRunner.query(
      `ALTER TABLE "travelers" ALTER COLUMN "gender" TYPE "public"."gender" USING "gender"::"text"::"public"."gender"`,
    );
    await queryRunner.query(`DROP TYPE "public"."gender_old"`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TYPE "public"."gender" RENAME TO "gender_old"`);
    await queryRunner.query(
      `CREATE TYPE "public"."gender" AS ENUM('female', 'male', 'other', 'prefer_not_to_say')`,
    );
    await queryRunner.query(
      `ALTER TABLE "travelers" ALTER COLUMN "gender" TYPE "public"."gender" USING "gender"::"text"::"public"."gender"`,
    );
    await queryRunner.query(`DROP TYPE "public"."gender_old"`);
    await queryRunner.query(
      `UPDATE "travel_preferences" SET "preferred_seat_type" = NULL WHERE "preferred_seat_type" = 'middle'`,
    );
    await queryRunner.query(
      `CREATE TYPE "public"."travel_preferences_seat_type_old" AS ENUM('aisle', 'window', 'any')`,
    );
    await queryRunner.query(
      `ALTER TABLE "travel_preferences" ALTER COLUMN "preferred_seat_type" TYPE "public"."travel_preferences_seat_type_old" USING "preferred_seat_type"::"text"::"public"."travel_preferences_seat_type_old"`,
    );
    await queryRunner.query(`DROP TYPE "public"."travel_preferences_seat_type"`);
    await queryRunner.query(
      `ALTER TYPE "public"."travel_preferences_seat_type_old" RENAME TO "travel_preferences_seat_type"`,
    );
  }
}
