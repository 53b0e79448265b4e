import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Travelers1795678600573 implements MigrationInterface {
  name = 'Travelers1795678600573';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TYPE "public"."gender" AS ENUM('female', 'male', 'other', 'prefer_not_to_say')`,
    );
    await queryRunner.query(
      `CREATE TYPE "public"."traveler_relationship" AS ENUM('self', 'spouse', 'partner', 'child', 'parent', 'sibling', 'relative', 'friend', 'colleague', 'other')`,
    );
    await queryRunner.query(
      `CREATE TYPE "public"."traveler_status" AS ENUM('active', 'inactive', 'archived')`,
    );
    await queryRunner.query(
      `CREATE TYPE "public"."guardian_relationship" AS ENUM('parent', 'legal_guardian', 'other')`,
    );
    await queryRunner.query(
      `CREATE TABLE "travelers" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "user_id" uuid NOT NULL, "first_name" character varying(100) NOT NULL, "middle_name" character varying(100), "last_name" character varying(100) NOT NULL, "date_of_birth" date, "gender" "public"."gender", "nationality" character(2), "country_of_residence" character(2), "email" character varying(254), "phone" character varying(32), "emergency_contact_name" character varying(200), "emergency_contact_phone" character varying(32), "relationship_to_user" "public"."traveler_relationship", "is_primary" boolean NOT NULL DEFAULT false, "status" "public"."traveler_status" NOT NULL DEFAULT 'active', "dietary_restrictions" text array NOT NULL DEFAULT '{}', "accessibility_needs" text array NOT NULL DEFAULT '{}', "special_needs" character varying(1000), "frequent_flyer_numbers" jsonb NOT NULL DEFAULT '[]', "guardian_name" character varying(200), "guardian_relationship" "public"."guardian_relationship", "version" integer NOT NULL DEFAULT '1', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "pk_travelers" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_travelers_user_id_primary" ON "travelers"  ("user_id") WHERE "is_primary" AND "status" <> 'archived'`,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_travelers_user_id_created_at_id" ON "travelers"  ("user_id", "created_at", "id") `,
    );
    await queryRunner.query(
      `CREATE TYPE "public"."cabin_class" AS ENUM('economy', 'premium_economy', 'business', 'first')`,
    );
    await queryRunner.query(
      `CREATE TYPE "public"."seat_type" AS ENUM('aisle', 'window', 'middle', 'any')`,
    );
    await queryRunner.query(
      `CREATE TYPE "public"."seat_location" AS ENUM('front', 'middle', 'back', 'any')`,
    );
    await queryRunner.query(
      `CREATE TABLE "traveler_preferences" ("traveler_id" uuid NOT NULL, "cabin_class" "public"."cabin_class", "seat_type" "public"."seat_type", "seat_location" "public"."seat_location", "extra_legroom" boolean NOT NULL DEFAULT false, "meal_preference" character varying(50), "food_allergies" text array NOT NULL DEFAULT '{}', "wheelchair_assistance" boolean NOT NULL DEFAULT false, "visual_assistance" boolean NOT NULL DEFAULT false, "hearing_assistance" boolean NOT NULL DEFAULT false, "special_assistance_notes" character varying(1000), "preferred_language" character varying(35), "activity_interests" text array NOT NULL DEFAULT '{}', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "pk_traveler_preferences" PRIMARY KEY ("traveler_id"))`,
    );
    await queryRunner.query(
      `ALTER TABLE "travelers" ADD CONSTRAINT "fk_travelers_user_id" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "traveler_preferences" ADD CONSTRAINT "fk_traveler_preferences_traveler_id" FOREIGN KEY ("traveler_id") REFERENCES "travelers"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "traveler_preferences" DROP CONSTRAINT "fk_traveler_preferences_traveler_id"`,
    );
    await queryRunner.query(`ALTER TABLE "travelers" DROP CONSTRAINT "fk_travelers_user_id"`);
    await queryRunner.query(`DROP TABLE "traveler_preferences"`);
    await queryRunner.query(`DROP TYPE "public"."seat_location"`);
    await queryRunner.query(`DROP TYPE "public"."seat_type"`);
    await queryRunner.query(`DROP TYPE "public"."cabin_class"`);
    await queryRunner.query(`DROP INDEX "public"."idx_travelers_user_id_created_at_id"`);
    await queryRunner.query(`DROP INDEX "public"."uq_travelers_user_id_primary"`);
    await queryRunner.query(`DROP TABLE "travelers"`);
    await queryRunner.query(`DROP TYPE "public"."guardian_relationship"`);
    await queryRunner.query(`DROP TYPE "public"."traveler_status"`);
    await queryRunner.query(`DROP TYPE "public"."traveler_relationship"`);
    await queryRunner.query(`DROP TYPE "public"."gender"`);
  }
}
