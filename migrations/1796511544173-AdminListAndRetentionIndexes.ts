import type { MigrationInterface, QueryRunner } from 'typeorm';

/*
 * Generated. Indexes for queries that had none (issue 21, proved by test/e2e/indexes-sql.e2e-spec.ts):
 * the admin bookings list and the admin document queue in their default order (created_at, id),
 * and the retention purge of abandoned/archived sessions by last activity.
 */

export class AdminListAndRetentionIndexes1796511544173 implements MigrationInterface {
  name = 'AdminListAndRetentionIndexes1796511544173';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE INDEX "idx_bookings_created_at_id" ON "bookings"  ("created_at", "id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_user_documents_created_at_id" ON "user_documents"  ("created_at", "id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_unified_travel_sessions_inactive" ON "unified_travel_sessions"  ("last_activity_at", "updated_at", "id") WHERE "status" IN ('abandoned', 'archived')`,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_traveler_documents_created_at_id" ON "traveler_documents"  ("created_at", "id") `,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."idx_traveler_documents_created_at_id"`);
    await queryRunner.query(`DROP INDEX "public"."idx_unified_travel_sessions_inactive"`);
    await queryRunner.query(`DROP INDEX "public"."idx_user_documents_created_at_id"`);
    await queryRunner.query(`DROP INDEX "public"."idx_bookings_created_at_id"`);
  }
}
