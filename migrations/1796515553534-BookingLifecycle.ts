import type { MigrationInterface, QueryRunner } from 'typeorm';

export class BookingLifecycle1796515553534 implements MigrationInterface {
  name = 'BookingLifecycle1796515553534';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TYPE "public"."booking_event_source" AS ENUM('user', 'provider', 'system')`,
    );
    await queryRunner.query(
      `CREATE TABLE "booking_events" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "seq" BIGSERIAL NOT NULL, "booking_id" uuid NOT NULL, "type" character varying(60) NOT NULL, "source" "public"."booking_event_source" NOT NULL, "data" jsonb NOT NULL DEFAULT '{}', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "pk_booking_events" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_booking_events_booking_id_seq" ON "booking_events"  ("booking_id", "seq") `,
    );
    await queryRunner.query(
      `CREATE TYPE "public"."provider_event_outcome" AS ENUM('applied', 'ignored')`,
    );
    await queryRunner.query(
      `CREATE TABLE "booking_provider_events" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "provider" character varying(50) NOT NULL, "event_id" character varying(255) NOT NULL, "booking_id" uuid NOT NULL, "type" character varying(60) NOT NULL, "outcome" "public"."provider_event_outcome" NOT NULL, "occurred_at" TIMESTAMP WITH TIME ZONE NOT NULL, "data" jsonb NOT NULL DEFAULT '{}', "received_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "uq_booking_provider_events_provider_event_id" UNIQUE ("provider", "event_id"), CONSTRAINT "pk_booking_provider_events" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_booking_provider_events_booking_id" ON "booking_provider_events"  ("booking_id") `,
    );
    await queryRunner.query(
      `ALTER TABLE "bookings" ADD "booking_deadline" TIMESTAMP WITH TIME ZONE`,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_bookings_pending_booking_deadline" ON "bookings"  ("booking_deadline") WHERE "status" = 'pending'`,
    );
    await queryRunner.query(
      `ALTER TABLE "booking_events" ADD CONSTRAINT "fk_booking_events_booking_id" FOREIGN KEY ("booking_id") REFERENCES "bookings"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "booking_provider_events" ADD CONSTRAINT "fk_booking_provider_events_booking_id" FOREIGN KEY ("booking_id") REFERENCES "bookings"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "booking_provider_events" DROP CONSTRAINT "fk_booking_provider_events_booking_id"`,
    );
    await queryRunner.query(
      `ALTER TABLE "booking_events" DROP CONSTRAINT "fk_booking_events_booking_id"`,
    );
    await queryRunner.query(`DROP INDEX "public"."idx_bookings_pending_booking_deadline"`);
    await queryRunner.query(`ALTER TABLE "bookings" DROP COLUMN "booking_deadline"`);
    await queryRunner.query(`DROP INDEX "public"."idx_booking_provider_events_booking_id"`);
    await queryRunner.query(`DROP TABLE "booking_provider_events"`);
    await queryRunner.query(`DROP TYPE "public"."provider_event_outcome"`);
    await queryRunner.query(`DROP INDEX "public"."idx_booking_events_booking_id_seq"`);
    await queryRunner.query(`DROP TABLE "booking_events"`);
    await queryRunner.query(`DROP TYPE "public"."booking_event_source"`);
  }
}
