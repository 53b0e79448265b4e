import type { MigrationInterface, QueryRunner } from 'typeorm';

export class StaffSessionMfa1796511435768 implements MigrationInterface {
  name = 'StaffSessionMfa1796511435768';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "users" ADD "mfa_failed_count" integer NOT NULL DEFAULT '0'`,
    );
    await queryRunner.query(`ALTER TABLE "users" ADD "mfa_locked_until" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(
      `ALTER TABLE "refresh_sessions" ADD "auth_time" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now()`,
    );
    await queryRunner.query(
      `ALTER TABLE "refresh_sessions" ADD "amr" text array NOT NULL DEFAULT '{}'`,
    );
    await queryRunner.query(
      `ALTER TABLE "refresh_sessions" ADD "mfa_verified_at" TIMESTAMP WITH TIME ZONE`,
    );
    // Sessions opened before this release signed in when they were created, not at deploy time.
    await queryRunner.query(`UPDATE "refresh_sessions" SET "auth_time" = "created_at"`);
    await queryRunner.query(`ALTER TYPE "public"."auth_event_type" ADD VALUE 'reauthenticated'`);
    await queryRunner.query(
      `ALTER TYPE "public"."auth_event_type" ADD VALUE 'reauthentication_failed'`,
    );
    await queryRunner.query(`ALTER TYPE "public"."auth_event_type" ADD VALUE 'mfa_reset'`);
    await queryRunner.query(`ALTER TYPE "public"."auth_event_type" ADD VALUE 'account_lock_alert'`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TYPE "public"."auth_event_type_old" AS ENUM('register', 'email_verified', 'login_success', 'login_failed', 'logout', 'logout_all', 'session_revoked', 'token_refresh', 'refresh_reuse', 'password_reset_request', 'password_reset_complete', 'password_changed', 'account_locked', 'account_unlocked', 'mfa_enabled', 'mfa_disabled', 'mfa_challenge_success', 'mfa_challenge_failed', 'oauth_login', 'oauth_linked', 'oauth_unlinked', 'status_changed', 'roles_changed')`,
    );
    await queryRunner.query(
      `ALTER TABLE "auth_events" ALTER COLUMN "type" TYPE "public"."auth_event_type_old" USING "type"::"text"::"public"."auth_event_type_old"`,
    );
    await queryRunner.query(`DROP TYPE "public"."auth_event_type"`);
    await queryRunner.query(
      `ALTER TYPE "public"."auth_event_type_old" RENAME TO "auth_event_type"`,
    );
    await queryRunner.query(`ALTER TABLE "refresh_sessions" DROP COLUMN "mfa_verified_at"`);
    await queryRunner.query(`ALTER TABLE "refresh_sessions" DROP COLUMN "amr"`);
    await queryRunner.query(`ALTER TABLE "refresh_sessions" DROP COLUMN "auth_time"`);
    await queryRunner.query(`ALTER TABLE "users" DROP COLUMN "mfa_locked_until"`);
    await queryRunner.query(`ALTER TABLE "users" DROP COLUMN "mfa_failed_count"`);
  }
}
