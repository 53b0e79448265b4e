import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateSessions1795677688810 implements MigrationInterface {
  name = 'CreateSessions1795677688810';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TYPE "public"."session_status" AS ENUM('active', 'planning', 'searching', 'booking', 'completed', 'abandoned', 'archived')`,
    );
    await queryRunner.query(
      `CREATE TABLE "unified_travel_sessions" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "user_id" uuid NOT NULL, "status" "public"."session_status" NOT NULL DEFAULT 'active', "title" character varying(200), "session_data" jsonb NOT NULL DEFAULT '{}', "plan_data" jsonb NOT NULL DEFAULT '{}', "session_metadata" jsonb NOT NULL DEFAULT '{}', "version" integer NOT NULL DEFAULT '1', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "last_activity_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "pk_unified_travel_sessions" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `ALTER TABLE "unified_travel_sessions" ADD CONSTRAINT "chk_unified_travel_sessions_documents" CHECK (jsonb_typeof("session_data") = 'object' AND jsonb_typeof("plan_data") = 'object' AND jsonb_typeof("session_metadata") = 'object')`,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_unified_travel_sessions_user_live" ON "unified_travel_sessions"  ("user_id", "updated_at", "id") WHERE "status" <> 'archived'`,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_unified_travel_sessions_user_id_status_updated_at" ON "unified_travel_sessions"  ("user_id", "status", "updated_at") `,
    );
    await queryRunner.query(
      `CREATE TYPE "public"."saved_item_type" AS ENUM('flight', 'hotel', 'activity', 'restaurant', 'transport', 'other')`,
    );
    await queryRunner.query(
      `CREATE TABLE "unified_saved_items" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "session_id" uuid NOT NULL, "item_type" "public"."saved_item_type" NOT NULL, "provider" character varying(100), "external_id" character varying(255), "title" character varying(300) NOT NULL, "data" jsonb NOT NULL DEFAULT '{}', "price_amount_minor" bigint, "price_currency" character(3), "notes" character varying(1000), "assigned_day" integer, "position" integer NOT NULL DEFAULT '0', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "uq_unified_saved_items_session_id_provider_external_id" UNIQUE ("session_id", "provider", "external_id"), CONSTRAINT "chk_unified_saved_items_price" CHECK (("price_amount_minor" IS NULL AND "price_currency" IS NULL) OR ("price_amount_minor" >= 0 AND "price_currency" ~ '^[A-Z]{3}$')), CONSTRAINT "chk_unified_saved_items_external_id_provider" CHECK ("external_id" IS NULL OR "provider" IS NOT NULL), CONSTRAINT "pk_unified_saved_items" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_unified_saved_items_session_id_created_at" ON "unified_saved_items"  ("session_id", "created_at") `,
    );
    await queryRunner.query(
      `ALTER TABLE "unified_saved_items" ADD CONSTRAINT "fk_unified_saved_items_session_id" FOREIGN KEY ("session_id") REFERENCES "unified_travel_sessions"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );

    // Hand-written: TypeORM cannot express operator classes or expression indexes. The entity
    // declares these names with synchronize: false so the schema diff leaves them alone.
    // Containment (`@>`, the planContains filter) on the plan; jsonb_path_ops is smaller and
    // faster than the default jsonb_ops and supports exactly @>.
    await queryRunner.query(
      `CREATE INDEX "idx_unified_travel_sessions_plan_data_gin" ON "unified_travel_sessions" USING gin ("plan_data" jsonb_path_ops)`,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_unified_travel_sessions_session_data_gin" ON "unified_travel_sessions" USING gin ("session_data" jsonb_path_ops)`,
    );
    // The plan paths the list filters on, behind the owner (every list query has user_id = $1).
    // Dates are stored as validated YYYY-MM-DD text, so text order is date order.
    await queryRunner.query(
      `CREATE INDEX "idx_unified_travel_sessions_plan_destination_city" ON "unified_travel_sessions" ("user_id", lower("plan_data" ->> 'destinationCity'))`,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_unified_travel_sessions_plan_start_date" ON "unified_travel_sessions" ("user_id", ("plan_data" ->> 'startDate'))`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."idx_unified_travel_sessions_plan_start_date"`);
    await queryRunner.query(
      `DROP INDEX "public"."idx_unified_travel_sessions_plan_destination_city"`,
    );
    await queryRunner.query(`DROP INDEX "public"."idx_unified_travel_sessions_session_data_gin"`);
    await queryRunner.query(`DROP INDEX "public"."idx_unified_travel_sessions_plan_data_gin"`);
    await queryRunner.query(
      `ALTER TABLE "unified_saved_items" DROP CONSTRAINT "fk_unified_saved_items_session_id"`,
    );
    await queryRunner.query(`DROP INDEX "public"."idx_unified_saved_items_session_id_created_at"`);
    await queryRunner.query(`DROP TABLE "unified_saved_items"`);
    await queryRunner.query(`DROP TYPE "public"."saved_item_type"`);
    await queryRunner.query(
      `DROP INDEX "public"."idx_unified_travel_sessions_user_id_status_updated_at"`,
    );
    await queryRunner.query(`DROP INDEX "public"."idx_unified_travel_sessions_user_live"`);
    await queryRunner.query(`DROP TABLE "unified_travel_sessions"`);
    await queryRunner.query(`DROP TYPE "public"."session_status"`);
  }
}
