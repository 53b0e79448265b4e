import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Bookings: bookings and their per-type details (1:1, cascade), booking travelers (snapshots),
 * session links, the money ledger, cancellation quotes and idempotency keys.
 *
 * Generated from the entities, plus hand-written triggers making `booking_ledger` append-only.
 */
export class Bookings1795680068190 implements MigrationInterface {
  name = 'Bookings1795680068190';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TYPE "public"."booking_type" AS ENUM('flight', 'hotel', 'activity')`,
    );
    await queryRunner.query(
      `CREATE TYPE "public"."booking_status" AS ENUM('pending', 'confirmed', 'cancelled', 'completed', 'expired', 'refunded', 'failed')`,
    );
    await queryRunner.query(
      `CREATE TYPE "public"."payment_status" AS ENUM('pending', 'processing', 'paid', 'failed', 'refunded', 'partially_refunded')`,
    );
    await queryRunner.query(
      `CREATE TABLE "bookings" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "user_id" uuid NOT NULL, "reference" character varying(20) NOT NULL, "booking_type" "public"."booking_type" NOT NULL, "status" "public"."booking_status" NOT NULL DEFAULT 'pending', "payment_status" "public"."payment_status" NOT NULL DEFAULT 'pending', "provider" character varying(50) NOT NULL, "provider_reference" character varying(255), "confirmation_code" character varying(100), "currency" character(3) NOT NULL, "total_amount_minor" bigint NOT NULL, "base_amount_minor" bigint NOT NULL, "taxes_amount_minor" bigint NOT NULL, "fees_amount_minor" bigint NOT NULL, "travel_start_date" date NOT NULL, "travel_end_date" date NOT NULL, "cancellation_policy" jsonb NOT NULL DEFAULT '{}', "provider_response" jsonb NOT NULL DEFAULT '{}', "session_id" uuid, "saved_item_id" uuid, "cancellation_reference" character varying(255), "booked_at" TIMESTAMP WITH TIME ZONE, "cancelled_at" TIMESTAMP WITH TIME ZONE, "version" integer NOT NULL DEFAULT '1', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "uq_bookings_reference" UNIQUE ("reference"), CONSTRAINT "chk_bookings_travel_dates" CHECK ("travel_end_date" >= "travel_start_date"), CONSTRAINT "chk_bookings_amounts" CHECK ("base_amount_minor" >= 0 AND "taxes_amount_minor" >= 0 AND "fees_amount_minor" >= 0 AND "total_amount_minor" = "base_amount_minor" + "taxes_amount_minor" + "fees_amount_minor"), CONSTRAINT "chk_bookings_currency" CHECK ("currency" ~ '^[A-Z]{3}$'), CONSTRAINT "pk_bookings" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_bookings_saved_item_id" ON "bookings"  ("saved_item_id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_bookings_session_id" ON "bookings"  ("session_id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_bookings_provider_provider_reference" ON "bookings"  ("provider", "provider_reference") `,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_bookings_status_created_at" ON "bookings"  ("status", "created_at") `,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_bookings_user_id_travel_start_date" ON "bookings"  ("user_id", "travel_start_date") `,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_bookings_user_id_status" ON "bookings"  ("user_id", "status") `,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_bookings_user_id_created_at_id" ON "bookings"  ("user_id", "created_at", "id") `,
    );
    await queryRunner.query(
      `CREATE TYPE "public"."booking_traveler_type" AS ENUM('infant', 'child', 'adult', 'senior')`,
    );
    await queryRunner.query(
      `CREATE TABLE "booking_travelers" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "booking_id" uuid NOT NULL, "traveler_id" uuid, "position" smallint NOT NULL, "is_primary" boolean NOT NULL DEFAULT false, "full_name" character varying(310) NOT NULL, "date_of_birth" date, "traveler_type" "public"."booking_traveler_type" NOT NULL, "document_snapshot" jsonb, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "uq_booking_travelers_booking_id_position" UNIQUE ("booking_id", "position"), CONSTRAINT "uq_booking_travelers_booking_id_traveler_id" UNIQUE ("booking_id", "traveler_id"), CONSTRAINT "pk_booking_travelers" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_booking_travelers_traveler_id" ON "booking_travelers"  ("traveler_id") `,
    );
    await queryRunner.query(
      `CREATE TABLE "unified_session_bookings" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "session_id" uuid NOT NULL, "booking_id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "uq_unified_session_bookings_booking_id" UNIQUE ("booking_id"), CONSTRAINT "pk_unified_session_bookings" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_unified_session_bookings_session_id_created_at" ON "unified_session_bookings"  ("session_id", "created_at") `,
    );
    await queryRunner.query(
      `CREATE TYPE "public"."booking_ledger_kind" AS ENUM('charge', 'refund', 'penalty')`,
    );
    await queryRunner.query(
      `CREATE TABLE "booking_ledger" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "booking_id" uuid NOT NULL, "kind" "public"."booking_ledger_kind" NOT NULL, "amount_minor" bigint NOT NULL, "currency" character(3) NOT NULL, "description" character varying(255) NOT NULL, "provider_reference" character varying(255), "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "chk_booking_ledger_currency" CHECK ("currency" ~ '^[A-Z]{3}$'), CONSTRAINT "chk_booking_ledger_amount" CHECK ("amount_minor" >= 0), CONSTRAINT "pk_booking_ledger" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_booking_ledger_booking_id_created_at" ON "booking_ledger"  ("booking_id", "created_at") `,
    );
    await queryRunner.query(
      `CREATE TABLE "booking_cancellation_quotes" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "booking_id" uuid NOT NULL, "booking_version" integer NOT NULL, "refund_amount_minor" bigint NOT NULL, "penalty_amount_minor" bigint NOT NULL, "currency" character(3) NOT NULL, "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, "used_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "chk_booking_cancellation_quotes_amounts" CHECK ("refund_amount_minor" >= 0 AND "penalty_amount_minor" >= 0), CONSTRAINT "pk_booking_cancellation_quotes" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_booking_cancellation_quotes_booking_id" ON "booking_cancellation_quotes"  ("booking_id") `,
    );
    await queryRunner.query(
      `CREATE TYPE "public"."idempotency_state" AS ENUM('in_flight', 'completed')`,
    );
    await queryRunner.query(
      `CREATE TABLE "idempotency_keys" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "user_id" uuid NOT NULL, "scope" character varying(100) NOT NULL, "key" character varying(255) NOT NULL, "request_fingerprint" character(64) NOT NULL, "state" "public"."idempotency_state" NOT NULL DEFAULT 'in_flight', "response_status" smallint, "response_body" text, "booking_id" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "uq_idempotency_keys_user_id_scope_key" UNIQUE ("user_id", "scope", "key"), CONSTRAINT "pk_idempotency_keys" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_idempotency_keys_expires_at" ON "idempotency_keys"  ("expires_at") `,
    );
    await queryRunner.query(
      `CREATE TABLE "flight_bookings" ("booking_id" uuid NOT NULL, "airline_code" character varying(3) NOT NULL, "flight_number" character varying(10) NOT NULL, "pnr" character varying(10), "origin_airport" character(3) NOT NULL, "destination_airport" character(3) NOT NULL, "departure_at" TIMESTAMP WITH TIME ZONE NOT NULL, "arrival_at" TIMESTAMP WITH TIME ZONE NOT NULL, "cabin_class" "public"."cabin_class" NOT NULL, "total_duration_minutes" integer, "is_round_trip" boolean NOT NULL DEFAULT false, "passenger_count" integer NOT NULL DEFAULT '1', "infant_count" integer NOT NULL DEFAULT '0', "segments" jsonb NOT NULL DEFAULT '[]', "seat_assignments" jsonb NOT NULL DEFAULT '[]', "baggage_allowance" jsonb, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "chk_flight_bookings_times" CHECK ("arrival_at" > "departure_at"), CONSTRAINT "pk_flight_bookings" PRIMARY KEY ("booking_id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_flight_bookings_departure_at" ON "flight_bookings"  ("departure_at") `,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_flight_bookings_route" ON "flight_bookings"  ("origin_airport", "destination_airport") `,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_flight_bookings_airline_code_flight_number" ON "flight_bookings"  ("airline_code", "flight_number") `,
    );
    await queryRunner.query(
      `CREATE TYPE "public"."meal_plan" AS ENUM('room_only', 'breakfast', 'half_board', 'full_board', 'all_inclusive')`,
    );
    await queryRunner.query(
      `CREATE TABLE "hotel_bookings" ("booking_id" uuid NOT NULL, "hotel_id" character varying(100) NOT NULL, "hotel_name" character varying(255) NOT NULL, "hotel_chain" character varying(100), "hotel_rating" smallint, "address" character varying(500), "city" character varying(100) NOT NULL, "country" character(2) NOT NULL, "check_in_date" date NOT NULL, "check_out_date" date NOT NULL, "nights_count" integer NOT NULL, "room_type" character varying(100) NOT NULL, "room_count" integer NOT NULL DEFAULT '1', "guest_count" integer NOT NULL DEFAULT '1', "adult_count" integer NOT NULL DEFAULT '1', "child_count" integer NOT NULL DEFAULT '0', "meal_plan" "public"."meal_plan", "is_refundable" boolean NOT NULL DEFAULT true, "room_rate_per_night_minor" bigint, "special_requests" character varying(1000), "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "chk_hotel_bookings_rating" CHECK ("hotel_rating" IS NULL OR "hotel_rating" BETWEEN 1 AND 5), CONSTRAINT "chk_hotel_bookings_dates" CHECK ("check_out_date" > "check_in_date"), CONSTRAINT "pk_hotel_bookings" PRIMARY KEY ("booking_id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_hotel_bookings_city_country" ON "hotel_bookings"  ("city", "country") `,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_hotel_bookings_hotel_id_check_in_date" ON "hotel_bookings"  ("hotel_id", "check_in_date") `,
    );
    await queryRunner.query(
      `CREATE TYPE "public"."activity_type" AS ENUM('tour', 'attraction', 'experience', 'class', 'transfer')`,
    );
    await queryRunner.query(
      `CREATE TABLE "activity_bookings" ("booking_id" uuid NOT NULL, "activity_id" character varying(100) NOT NULL, "activity_name" character varying(255) NOT NULL, "activity_type" "public"."activity_type" NOT NULL, "location_name" character varying(255), "city" character varying(100) NOT NULL, "country" character(2) NOT NULL, "activity_date" date NOT NULL, "start_time" TIME, "duration_minutes" integer, "participant_count" integer NOT NULL DEFAULT '1', "adult_count" integer NOT NULL DEFAULT '1', "child_count" integer NOT NULL DEFAULT '0', "senior_count" integer NOT NULL DEFAULT '0', "meeting_point" character varying(500), "language" character varying(8), "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "pk_activity_bookings" PRIMARY KEY ("booking_id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_activity_bookings_activity_type" ON "activity_bookings"  ("activity_type") `,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_activity_bookings_city_country" ON "activity_bookings"  ("city", "country") `,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_activity_bookings_activity_id_activity_date" ON "activity_bookings"  ("activity_id", "activity_date") `,
    );
    await queryRunner.query(
      `ALTER TABLE "bookings" ADD CONSTRAINT "fk_bookings_user_id" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "bookings" ADD CONSTRAINT "fk_bookings_session_id" FOREIGN KEY ("session_id") REFERENCES "unified_travel_sessions"("id") ON DELETE SET NULL ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "bookings" ADD CONSTRAINT "fk_bookings_saved_item_id" FOREIGN KEY ("saved_item_id") REFERENCES "unified_saved_items"("id") ON DELETE SET NULL ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "booking_travelers" ADD CONSTRAINT "fk_booking_travelers_booking_id" FOREIGN KEY ("booking_id") REFERENCES "bookings"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "booking_travelers" ADD CONSTRAINT "fk_booking_travelers_traveler_id" FOREIGN KEY ("traveler_id") REFERENCES "travelers"("id") ON DELETE SET NULL ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "unified_session_bookings" ADD CONSTRAINT "fk_unified_session_bookings_session_id" FOREIGN KEY ("session_id") REFERENCES "unified_travel_sessions"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "unified_session_bookings" ADD CONSTRAINT "fk_unified_session_bookings_booking_id" FOREIGN KEY ("booking_id") REFERENCES "bookings"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "booking_ledger" ADD CONSTRAINT "fk_booking_ledger_booking_id" FOREIGN KEY ("booking_id") REFERENCES "bookings"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "booking_cancellation_quotes" ADD CONSTRAINT "fk_booking_cancellation_quotes_booking_id" FOREIGN KEY ("booking_id") REFERENCES "bookings"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "idempotency_keys" ADD CONSTRAINT "fk_idempotency_keys_user_id" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "idempotency_keys" ADD CONSTRAINT "fk_idempotency_keys_booking_id" FOREIGN KEY ("booking_id") REFERENCES "bookings"("id") ON DELETE SET NULL ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "flight_bookings" ADD CONSTRAINT "fk_flight_bookings_booking_id" FOREIGN KEY ("booking_id") REFERENCES "bookings"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "hotel_bookings" ADD CONSTRAINT "fk_hotel_bookings_booking_id" FOREIGN KEY ("booking_id") REFERENCES "bookings"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "activity_bookings" ADD CONSTRAINT "fk_activity_bookings_booking_id" FOREIGN KEY ("booking_id") REFERENCES "bookings"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );

    // ---- hand-written: the money ledger is append-only AT THE DATABASE ----
    // Reuses pathavana_refuse_change() from ComplianceCore: UPDATE, DELETE and TRUNCATE raise,
    // whatever the caller (no pseudonymisation exemption: the ledger holds no personal data).
    await queryRunner.query(
      `CREATE TRIGGER booking_ledger_append_only BEFORE UPDATE OR DELETE ON "booking_ledger" FOR EACH ROW EXECUTE FUNCTION pathavana_refuse_change()`,
    );
    await queryRunner.query(
      `CREATE TRIGGER booking_ledger_no_truncate BEFORE TRUNCATE ON "booking_ledger" FOR EACH STATEMENT EXECUTE FUNCTION pathavana_refuse_change()`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER "booking_ledger_no_truncate" ON "booking_ledger"`);
    await queryRunner.query(`DROP TRIGGER "booking_ledger_append_only" ON "booking_ledger"`);
    await queryRunner.query(
      `ALTER TABLE "activity_bookings" DROP CONSTRAINT "fk_activity_bookings_booking_id"`,
    );
    await queryRunner.query(
      `ALTER TABLE "hotel_bookings" DROP CONSTRAINT "fk_hotel_bookings_booking_id"`,
    );
    await queryRunner.query(
      `ALTER TABLE "flight_bookings" DROP CONSTRAINT "fk_flight_bookings_booking_id"`,
    );
    await queryRunner.query(
      `ALTER TABLE "idempotency_keys" DROP CONSTRAINT "fk_idempotency_keys_booking_id"`,
    );
    await queryRunner.query(
      `ALTER TABLE "idempotency_keys" DROP CONSTRAINT "fk_idempotency_keys_user_id"`,
    );
    await queryRunner.query(
      `ALTER TABLE "booking_cancellation_quotes" DROP CONSTRAINT "fk_booking_cancellation_quotes_booking_id"`,
    );
    await queryRunner.query(
      `ALTER TABLE "booking_ledger" DROP CONSTRAINT "fk_booking_ledger_booking_id"`,
    );
    await queryRunner.query(
      `ALTER TABLE "unified_session_bookings" DROP CONSTRAINT "fk_unified_session_bookings_booking_id"`,
    );
    await queryRunner.query(
      `ALTER TABLE "unified_session_bookings" DROP CONSTRAINT "fk_unified_session_bookings_session_id"`,
    );
    await queryRunner.query(
      `ALTER TABLE "booking_travelers" DROP CONSTRAINT "fk_booking_travelers_traveler_id"`,
    );
    await queryRunner.query(
      `ALTER TABLE "booking_travelers" DROP CONSTRAINT "fk_booking_travelers_booking_id"`,
    );
    await queryRunner.query(`ALTER TABLE "bookings" DROP CONSTRAINT "fk_bookings_saved_item_id"`);
    await queryRunner.query(`ALTER TABLE "bookings" DROP CONSTRAINT "fk_bookings_session_id"`);
    await queryRunner.query(`ALTER TABLE "bookings" DROP CONSTRAINT "fk_bookings_user_id"`);
    await queryRunner.query(
      `DROP INDEX "public"."idx_activity_bookings_activity_id_activity_date"`,
    );
    await queryRunner.query(`DROP INDEX "public"."idx_activity_bookings_city_country"`);
    await queryRunner.query(`DROP INDEX "public"."idx_activity_bookings_activity_type"`);
    await queryRunner.query(`DROP TABLE "activity_bookings"`);
    await queryRunner.query(`DROP TYPE "public"."activity_type"`);
    await queryRunner.query(`DROP INDEX "public"."idx_hotel_bookings_hotel_id_check_in_date"`);
    await queryRunner.query(`DROP INDEX "public"."idx_hotel_bookings_city_country"`);
    await queryRunner.query(`DROP TABLE "hotel_bookings"`);
    await queryRunner.query(`DROP TYPE "public"."meal_plan"`);
    await queryRunner.query(`DROP INDEX "public"."idx_flight_bookings_airline_code_flight_number"`);
    await queryRunner.query(`DROP INDEX "public"."idx_flight_bookings_route"`);
    await queryRunner.query(`DROP INDEX "public"."idx_flight_bookings_departure_at"`);
    await queryRunner.query(`DROP TABLE "flight_bookings"`);
    await queryRunner.query(`DROP INDEX "public"."idx_idempotency_keys_expires_at"`);
    await queryRunner.query(`DROP TABLE "idempotency_keys"`);
    await queryRunner.query(`DROP TYPE "public"."idempotency_state"`);
    await queryRunner.query(`DROP INDEX "public"."idx_booking_cancellation_quotes_booking_id"`);
    await queryRunner.query(`DROP TABLE "booking_cancellation_quotes"`);
    await queryRunner.query(`DROP INDEX "public"."idx_booking_ledger_booking_id_created_at"`);
    await queryRunner.query(`DROP TABLE "booking_ledger"`);
    await queryRunner.query(`DROP TYPE "public"."booking_ledger_kind"`);
    await queryRunner.query(
      `DROP INDEX "public"."idx_unified_session_bookings_session_id_created_at"`,
    );
    await queryRunner.query(`DROP TABLE "unified_session_bookings"`);
    await queryRunner.query(`DROP INDEX "public"."idx_booking_travelers_traveler_id"`);
    await queryRunner.query(`DROP TABLE "booking_travelers"`);
    await queryRunner.query(`DROP TYPE "public"."booking_traveler_type"`);
    await queryRunner.query(`DROP INDEX "public"."idx_bookings_user_id_created_at_id"`);
    await queryRunner.query(`DROP INDEX "public"."idx_bookings_user_id_status"`);
    await queryRunner.query(`DROP INDEX "public"."idx_bookings_user_id_travel_start_date"`);
    await queryRunner.query(`DROP INDEX "public"."idx_bookings_status_created_at"`);
    await queryRunner.query(`DROP INDEX "public"."idx_bookings_provider_provider_reference"`);
    await queryRunner.query(`DROP INDEX "public"."idx_bookings_session_id"`);
    await queryRunner.query(`DROP INDEX "public"."idx_bookings_saved_item_id"`);
    await queryRunner.query(`DROP TABLE "bookings"`);
    await queryRunner.query(`DROP TYPE "public"."payment_status"`);
    await queryRunner.query(`DROP TYPE "public"."booking_status"`);
    await queryRunner.query(`DROP TYPE "public"."booking_type"`);
  }
}
