import type { MigrationInterface, QueryRunner } from 'typeorm';

export class ProfilesAndDocuments1795678182802 implements MigrationInterface {
  name = 'ProfilesAndDocuments1795678182802';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TYPE "public"."document_kind" AS ENUM('user', 'traveler')`);
    await queryRunner.query(
      `CREATE TYPE "public"."document_review_decision" AS ENUM('verify', 'reject')`,
    );
    await queryRunner.query(
      `CREATE TYPE "public"."document_review_reason_code" AS ENUM('document_valid', 'illegible', 'data_mismatch', 'invalid_dates', 'unsupported_document', 'incomplete', 'suspected_fraud', 'other')`,
    );
    await queryRunner.query(
      `CREATE TYPE "public"."document_status" AS ENUM('pending', 'in_review', 'verified', 'rejected', 'expired')`,
    );
    await queryRunner.query(
      `CREATE TABLE "document_reviews" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "document_kind" "public"."document_kind" NOT NULL, "document_id" uuid NOT NULL, "reviewer_id" uuid, "decision" "public"."document_review_decision" NOT NULL, "reason_code" "public"."document_review_reason_code" NOT NULL, "note" text, "from_status" "public"."document_status" NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "pk_document_reviews" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_document_reviews_document" ON "document_reviews"  ("document_kind", "document_id", "created_at") `,
    );
    await queryRunner.query(
      `CREATE TYPE "public"."travel_preferences_cabin_class" AS ENUM('economy', 'premium_economy', 'business', 'first')`,
    );
    await queryRunner.query(
      `CREATE TYPE "public"."travel_preferences_seat_type" AS ENUM('aisle', 'window', 'any')`,
    );
    await queryRunner.query(
      `CREATE TABLE "travel_preferences" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "user_id" uuid NOT NULL, "preferred_cabin_class" "public"."travel_preferences_cabin_class", "preferred_seat_type" "public"."travel_preferences_seat_type", "preferred_airlines" jsonb NOT NULL DEFAULT '[]', "avoided_airlines" jsonb NOT NULL DEFAULT '[]', "preferred_airports" jsonb NOT NULL DEFAULT '[]', "max_flight_duration_minutes" integer, "max_layovers" smallint NOT NULL DEFAULT '1', "preferred_hotel_class" smallint, "preferred_hotel_chains" jsonb NOT NULL DEFAULT '[]', "room_preferences" jsonb NOT NULL DEFAULT '{}', "activity_interests" jsonb NOT NULL DEFAULT '[]', "dietary_restrictions" jsonb NOT NULL DEFAULT '[]', "mobility_requirements" jsonb NOT NULL DEFAULT '[]', "budget_min_minor" bigint, "budget_max_minor" bigint, "budget_currency" character(3), "price_alerts_enabled" boolean NOT NULL DEFAULT true, "deal_notifications_enabled" boolean NOT NULL DEFAULT true, "booking_reminders_enabled" boolean NOT NULL DEFAULT true, "version" integer NOT NULL DEFAULT '1', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "chk_travel_preferences_budget" CHECK (("budget_currency" IS NULL AND "budget_min_minor" IS NULL AND "budget_max_minor" IS NULL) OR ("budget_currency" IS NOT NULL AND "budget_min_minor" >= 0 AND "budget_max_minor" >= "budget_min_minor")), CONSTRAINT "chk_travel_preferences_max_flight_duration" CHECK ("max_flight_duration_minutes" BETWEEN 30 AND 4320), CONSTRAINT "chk_travel_preferences_max_layovers" CHECK ("max_layovers" BETWEEN 0 AND 5), CONSTRAINT "chk_travel_preferences_hotel_class" CHECK ("preferred_hotel_class" BETWEEN 1 AND 5), CONSTRAINT "pk_travel_preferences" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_travel_preferences_user_id" ON "travel_preferences"  ("user_id") `,
    );
    await queryRunner.query(
      `CREATE TYPE "public"."document_type" AS ENUM('passport', 'visa', 'drivers_license', 'national_id', 'travel_card', 'vaccination_card')`,
    );
    await queryRunner.query(
      `CREATE TABLE "user_documents" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "document_type" "public"."document_type" NOT NULL, "number_ciphertext" text NOT NULL, "number_index" character(64) NOT NULL, "number_masked" character varying(16) NOT NULL, "issuing_country" character(2) NOT NULL, "issuing_authority" character varying(255), "nationality" character(2), "holder_name" character varying(255) NOT NULL, "date_of_birth" date, "issue_date" date, "expiry_date" date, "extra_data" jsonb NOT NULL DEFAULT '{}', "status" "public"."document_status" NOT NULL DEFAULT 'pending', "status_changed_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "claimed_by" uuid, "claimed_at" TIMESTAMP WITH TIME ZONE, "review_reason_code" "public"."document_review_reason_code", "reviewed_at" TIMESTAMP WITH TIME ZONE, "reviewed_by" uuid, "version" integer NOT NULL DEFAULT '1', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "user_id" uuid NOT NULL, CONSTRAINT "chk_user_documents_dates" CHECK ("issue_date" IS NULL OR "expiry_date" IS NULL OR "issue_date" <= "expiry_date"), CONSTRAINT "chk_user_documents_extra_data_size" CHECK (octet_length("extra_data"::text) <= 8192), CONSTRAINT "pk_user_documents" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_user_documents_expiry_date" ON "user_documents"  ("expiry_date") `,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_user_documents_status_created_at" ON "user_documents"  ("status", "created_at", "id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_user_documents_user_id_created_at" ON "user_documents"  ("user_id", "created_at", "id") `,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_user_documents_user_id_number_index" ON "user_documents"  ("user_id", "number_index") `,
    );
    await queryRunner.query(
      `CREATE TYPE "public"."user_profile_gender" AS ENUM('male', 'female', 'other', 'prefer_not_to_say')`,
    );
    await queryRunner.query(
      `CREATE TYPE "public"."user_profile_travel_frequency" AS ENUM('rarely', 'occasionally', 'frequently', 'very_frequently')`,
    );
    await queryRunner.query(
      `CREATE TYPE "public"."user_profile_travel_purpose" AS ENUM('leisure', 'business', 'mixed')`,
    );
    await queryRunner.query(
      `CREATE TABLE "user_profiles" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "user_id" uuid NOT NULL, "first_name" character varying(100), "middle_name" character varying(100), "last_name" character varying(100), "date_of_birth" date, "gender" "public"."user_profile_gender", "phone" character varying(20), "nationality" character(2), "country_of_residence" character(2), "city" character varying(100), "timezone" character varying(64) NOT NULL DEFAULT 'UTC', "preferred_language" character varying(35) NOT NULL DEFAULT 'en', "preferred_currency" character(3) NOT NULL DEFAULT 'USD', "communication_preferences" jsonb NOT NULL DEFAULT '{}', "frequent_flyer_numbers" jsonb NOT NULL DEFAULT '{}', "hotel_loyalty_numbers" jsonb NOT NULL DEFAULT '{}', "travel_frequency" "public"."user_profile_travel_frequency", "travel_purpose" "public"."user_profile_travel_purpose", "emergency_contact_name" character varying(255), "emergency_contact_phone" character varying(20), "emergency_contact_relationship" character varying(100), "version" integer NOT NULL DEFAULT '1', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "pk_user_profiles" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_user_profiles_user_id" ON "user_profiles"  ("user_id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_user_profiles_nationality" ON "user_profiles"  ("nationality") `,
    );

    // Hand-written: decisions are append-only (no UPDATE); they go only with their document.
    await queryRunner.query(`CREATE FUNCTION "document_reviews_refuse_update"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'document_reviews is append-only' USING ERRCODE = 'restrict_violation';
END $$`);
    await queryRunner.query(
      `CREATE TRIGGER "trg_document_reviews_append_only" BEFORE UPDATE ON "document_reviews" FOR EACH ROW EXECUTE FUNCTION "document_reviews_refuse_update"()`,
    );
    // Generic: AFTER DELETE on a document table, with the kind as argument (traveler_documents
    // adds: ... ON "traveler_documents" ... EXECUTE FUNCTION "documents_delete_reviews"('traveler')).
    await queryRunner.query(`CREATE FUNCTION "documents_delete_reviews"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM "document_reviews" WHERE "document_kind" = TG_ARGV[0]::"document_kind" AND "document_id" = OLD."id";
  RETURN OLD;
END $$`);
    await queryRunner.query(
      `CREATE TRIGGER "trg_user_documents_delete_reviews" AFTER DELETE ON "user_documents" FOR EACH ROW EXECUTE FUNCTION "documents_delete_reviews"('user')`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER "trg_user_documents_delete_reviews" ON "user_documents"`);
    await queryRunner.query(`DROP FUNCTION "documents_delete_reviews"()`);
    await queryRunner.query(
      `DROP TRIGGER "trg_document_reviews_append_only" ON "document_reviews"`,
    );
    await queryRunner.query(`DROP FUNCTION "document_reviews_refuse_update"()`);
    await queryRunner.query(`DROP INDEX "public"."idx_user_profiles_nationality"`);
    await queryRunner.query(`DROP INDEX "public"."uq_user_profiles_user_id"`);
    await queryRunner.query(`DROP TABLE "user_profiles"`);
    await queryRunner.query(`DROP TYPE "public"."user_profile_travel_purpose"`);
    await queryRunner.query(`DROP TYPE "public"."user_profile_travel_frequency"`);
    await queryRunner.query(`DROP TYPE "public"."user_profile_gender"`);
    await queryRunner.query(`DROP INDEX "public"."uq_user_documents_user_id_number_index"`);
    await queryRunner.query(`DROP INDEX "public"."idx_user_documents_user_id_created_at"`);
    await queryRunner.query(`DROP INDEX "public"."idx_user_documents_status_created_at"`);
    await queryRunner.query(`DROP INDEX "public"."idx_user_documents_expiry_date"`);
    await queryRunner.query(`DROP TABLE "user_documents"`);
    await queryRunner.query(`DROP TYPE "public"."document_type"`);
    await queryRunner.query(`DROP INDEX "public"."uq_travel_preferences_user_id"`);
    await queryRunner.query(`DROP TABLE "travel_preferences"`);
    await queryRunner.query(`DROP TYPE "public"."travel_preferences_seat_type"`);
    await queryRunner.query(`DROP TYPE "public"."travel_preferences_cabin_class"`);
    await queryRunner.query(`DROP INDEX "public"."idx_document_reviews_document"`);
    await queryRunner.query(`DROP TABLE "document_reviews"`);
    await queryRunner.query(`DROP TYPE "public"."document_review_decision"`);
    await queryRunner.query(`DROP TYPE "public"."document_kind"`);
    await queryRunner.query(`DROP TYPE "public"."document_review_reason_code"`);
    await queryRunner.query(`DROP TYPE "public"."document_status"`);
  }
}
