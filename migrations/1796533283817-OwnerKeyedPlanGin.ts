import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * planContains searches an owner's sessions: the GIN on `plan_data` alone answered every
 * user's sessions matching the filter (143 candidate rows at 1M sessions, 107 of them
 * another owner's, each a heap page read and rechecked). Keyed by the owner
 * (`{"<user_id>": plan_data}`, the expression `ownerKeyedPlanSql` writes in
 * src/modules/sessions/session-list.ts), every GIN key carries the owner and the index
 * answers only the owner's candidates (bench/RESULTS.md, "owner-keyed plan GIN").
 * Hand-written: TypeORM cannot express the operator class or the expression.
 */
export class OwnerKeyedPlanGin1796533283817 implements MigrationInterface {
  name = 'OwnerKeyedPlanGin1796533283817';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE INDEX "idx_unified_travel_sessions_owner_plan_gin" ON "unified_travel_sessions" USING gin ((jsonb_set('{}'::jsonb, ARRAY[CAST("user_id" AS text)], "plan_data")) jsonb_path_ops)`,
    );
    await queryRunner.query(`DROP INDEX "public"."idx_unified_travel_sessions_plan_data_gin"`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE INDEX "idx_unified_travel_sessions_plan_data_gin" ON "unified_travel_sessions" USING gin ("plan_data" jsonb_path_ops)`,
    );
    await queryRunner.query(`DROP INDEX "public"."idx_unified_travel_sessions_owner_plan_gin"`);
  }
}
