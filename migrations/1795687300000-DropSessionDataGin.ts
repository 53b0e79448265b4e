import type { MigrationInterface, QueryRunner } from 'typeorm';

/*
 * Hand-written (the index was declared with synchronize: false): drops the GIN index on
 * `unified_travel_sessions.session_data`. No query filters session_data by containment (`@>`,
 * `@?`, `@@`, the only operators jsonb_path_ops serves): it is read by id and rewritten by the
 * message append. Every append changed the indexed column, so it paid for hashing every path of
 * the whole chat document (up to 500 messages) into the index, for nothing.
 */
export class DropSessionDataGin1795687300000 implements MigrationInterface {
  name = 'DropSessionDataGin1795687300000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."idx_unified_travel_sessions_session_data_gin"`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE INDEX "idx_unified_travel_sessions_session_data_gin" ON "unified_travel_sessions" USING gin ("session_data" jsonb_path_ops)`,
    );
  }
}
