import type { MigrationInterface, QueryRunner } from 'typeorm';

/*
 * Hand-written (no entity change): the privileged path for the retention purge of bookings.
 *
 * `booking_ledger` stays append-only (UPDATE, DELETE, TRUNCATE refused), except that inside a
 * transaction that ran
 *   SET LOCAL pathavana.allow_retention_purge = 'on';
 * a DELETE is allowed. The bookings contributor's retention task does exactly that, for the
 * ledger of pseudonymised bookings whose 10-year legal retention has passed, and switches the
 * setting off again at once; `SET LOCAL` ends with the transaction, so it cannot leak into pooled
 * connections. UPDATE and TRUNCATE stay refused whatever the setting.
 */
export class RetentionPurgePath1795680600000 implements MigrationInterface {
  name = 'RetentionPurgePath1795680600000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE FUNCTION pathavana_refuse_change_unless_purge() RETURNS trigger
      LANGUAGE plpgsql AS $fn$
      BEGIN
        IF TG_OP = 'DELETE'
           AND coalesce(current_setting('pathavana.allow_retention_purge', true), '') = 'on' THEN
          RETURN OLD;
        END IF;
        RAISE EXCEPTION '% on % is refused: the table is append-only', TG_OP, TG_TABLE_NAME
          USING ERRCODE = 'restrict_violation';
      END
      $fn$`);
    await queryRunner.query(`DROP TRIGGER "booking_ledger_append_only" ON "booking_ledger"`);
    await queryRunner.query(
      `CREATE TRIGGER "booking_ledger_append_only" BEFORE UPDATE OR DELETE ON "booking_ledger" FOR EACH ROW EXECUTE FUNCTION pathavana_refuse_change_unless_purge()`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER "booking_ledger_append_only" ON "booking_ledger"`);
    await queryRunner.query(
      `CREATE TRIGGER "booking_ledger_append_only" BEFORE UPDATE OR DELETE ON "booking_ledger" FOR EACH ROW EXECUTE FUNCTION pathavana_refuse_change()`,
    );
    await queryRunner.query(`DROP FUNCTION pathavana_refuse_change_unless_purge()`);
  }
}
