import type { MigrationInterface, QueryRunner } from 'typeorm';

export class ProfilesUsersForeignKeys1795678601745 implements MigrationInterface {
  name = 'ProfilesUsersForeignKeys1795678601745';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "travel_preferences" ADD CONSTRAINT "fk_travel_preferences_user_id" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "user_documents" ADD CONSTRAINT "fk_user_documents_user_id" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "user_profiles" ADD CONSTRAINT "fk_user_profiles_user_id" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "user_profiles" DROP CONSTRAINT "fk_user_profiles_user_id"`,
    );
    await queryRunner.query(
      `ALTER TABLE "user_documents" DROP CONSTRAINT "fk_user_documents_user_id"`,
    );
    await queryRunner.query(
      `ALTER TABLE "travel_preferences" DROP CONSTRAINT "fk_travel_preferences_user_id"`,
    );
  }
}
