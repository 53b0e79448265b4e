import type { MigrationInterface, QueryRunner } from 'typeorm';

export class TravelerGroups1796516608352 implements MigrationInterface {
  name = 'TravelerGroups1796516608352';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "traveler_groups" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "user_id" uuid NOT NULL, "name" character varying(100) NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "pk_traveler_groups" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_traveler_groups_user_id_name" ON "traveler_groups"  ("user_id", "name") `,
    );
    await queryRunner.query(
      `CREATE TABLE "traveler_group_members" ("group_id" uuid NOT NULL, "traveler_id" uuid NOT NULL, "added_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "pk_traveler_group_members" PRIMARY KEY ("group_id", "traveler_id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_traveler_group_members_traveler_id" ON "traveler_group_members"  ("traveler_id") `,
    );
    await queryRunner.query(
      `ALTER TABLE "traveler_groups" ADD CONSTRAINT "fk_traveler_groups_user_id" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "traveler_group_members" ADD CONSTRAINT "fk_traveler_group_members_group_id" FOREIGN KEY ("group_id") REFERENCES "traveler_groups"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "traveler_group_members" ADD CONSTRAINT "fk_traveler_group_members_traveler_id" FOREIGN KEY ("traveler_id") REFERENCES "travelers"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "traveler_group_members" DROP CONSTRAINT "fk_traveler_group_members_traveler_id"`,
    );
    await queryRunner.query(
      `ALTER TABLE "traveler_group_members" DROP CONSTRAINT "fk_traveler_group_members_group_id"`,
    );
    await queryRunner.query(
      `ALTER TABLE "traveler_groups" DROP CONSTRAINT "fk_traveler_groups_user_id"`,
    );
    await queryRunner.query(`DROP INDEX "public"."idx_traveler_group_members_traveler_id"`);
    await queryRunner.query(`DROP TABLE "traveler_group_members"`);
    await queryRunner.query(`DROP INDEX "public"."uq_traveler_groups_user_id_name"`);
    await queryRunner.query(`DROP TABLE "traveler_groups"`);
  }
}
