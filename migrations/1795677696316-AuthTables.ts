import type { MigrationInterface, QueryRunner } from 'typeorm';

export class AuthTables1795677696316 implements MigrationInterface {
  name = 'AuthTables1795677696316';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TYPE "public"."user_status" AS ENUM('pending_verification', 'active', 'suspended', 'deleted')`,
    );
    await queryRunner.query(
      `CREATE TABLE "users" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "email" character varying(254) NOT NULL, "password_hash" text, "full_name" character varying(200) NOT NULL, "status" "public"."user_status" NOT NULL DEFAULT 'pending_verification', "roles" text array NOT NULL DEFAULT '{user}', "email_verified_at" TIMESTAMP WITH TIME ZONE, "failed_login_count" integer NOT NULL DEFAULT '0', "locked_until" TIMESTAMP WITH TIME ZONE, "last_login_at" TIMESTAMP WITH TIME ZONE, "password_changed_at" TIMESTAMP WITH TIME ZONE, "mfa_totp_secret" text, "mfa_enabled_at" TIMESTAMP WITH TIME ZONE, "mfa_backup_code_hashes" text array NOT NULL DEFAULT '{}', "mfa_last_time_step" bigint, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "chk_users_roles" CHECK (cardinality("roles") > 0 AND "roles" <@ ARRAY['user','admin','compliance']::text[]), CONSTRAINT "chk_users_email_lower" CHECK ("email" = lower("email")), CONSTRAINT "pk_users" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_users_email" ON "users"  ("email") `);
    await queryRunner.query(
      `CREATE INDEX "idx_users_created_at_id" ON "users"  ("created_at", "id") `,
    );
    await queryRunner.query(
      `CREATE TYPE "public"."auth_event_type" AS ENUM('register', 'email_verified', 'login_success', 'login_failed', 'logout', 'logout_all', 'session_revoked', 'token_refresh', 'refresh_reuse', 'password_reset_request', 'password_reset_complete', 'password_changed', 'account_locked', 'account_unlocked', 'mfa_enabled', 'mfa_disabled', 'mfa_challenge_success', 'mfa_challenge_failed', 'oauth_login', 'oauth_linked', 'oauth_unlinked', 'status_changed', 'roles_changed')`,
    );
    await queryRunner.query(
      `CREATE TABLE "auth_events" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "user_id" uuid, "type" "public"."auth_event_type" NOT NULL, "ip" character varying(64), "user_agent" character varying(512), "session_id" uuid, "metadata" jsonb NOT NULL DEFAULT '{}', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "pk_auth_events" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_auth_events_user_id_created_at" ON "auth_events"  ("user_id", "created_at") `,
    );
    await queryRunner.query(
      `CREATE TABLE "external_identities" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "user_id" uuid NOT NULL, "provider" character varying(64) NOT NULL, "issuer" character varying(512) NOT NULL, "subject" character varying(255) NOT NULL, "email" character varying(254), "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "last_used_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "pk_external_identities" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_external_identities_user_id" ON "external_identities"  ("user_id") `,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_external_identities_issuer_subject" ON "external_identities"  ("issuer", "subject") `,
    );
    await queryRunner.query(
      `CREATE TABLE "oauth_login_flows" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "provider" character varying(64) NOT NULL, "binding_hash" character varying(64) NOT NULL, "state" character varying(128) NOT NULL, "nonce" character varying(128) NOT NULL, "code_verifier" text NOT NULL, "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "pk_oauth_login_flows" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_oauth_login_flows_expires_at" ON "oauth_login_flows"  ("expires_at") `,
    );
    await queryRunner.query(
      `CREATE TYPE "public"."one_time_token_purpose" AS ENUM('email_verification', 'password_reset', 'mfa_challenge')`,
    );
    await queryRunner.query(
      `CREATE TABLE "one_time_tokens" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "user_id" uuid NOT NULL, "purpose" "public"."one_time_token_purpose" NOT NULL, "token_hash" character varying(64) NOT NULL, "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, "used_at" TIMESTAMP WITH TIME ZONE, "attempts" integer NOT NULL DEFAULT '0', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "pk_one_time_tokens" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_one_time_tokens_token_hash" ON "one_time_tokens"  ("token_hash") `,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_one_time_tokens_user_id_purpose" ON "one_time_tokens"  ("user_id", "purpose") `,
    );
    await queryRunner.query(
      `CREATE TABLE "refresh_sessions" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "user_id" uuid NOT NULL, "secret_hash" character varying(64) NOT NULL, "previous_secret_hash" character varying(64), "rotation_counter" integer NOT NULL DEFAULT '0', "rotated_at" TIMESTAMP WITH TIME ZONE NOT NULL, "ip" character varying(64), "user_agent" character varying(512), "method" character varying(64) NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "last_used_at" TIMESTAMP WITH TIME ZONE NOT NULL, "idle_expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, "absolute_expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, "revoked_at" TIMESTAMP WITH TIME ZONE, "revoked_reason" character varying(32), CONSTRAINT "pk_refresh_sessions" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_refresh_sessions_user_id_created_at" ON "refresh_sessions"  ("user_id", "created_at") `,
    );
    await queryRunner.query(
      `ALTER TABLE "auth_events" ADD CONSTRAINT "fk_auth_events_user_id" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "external_identities" ADD CONSTRAINT "fk_external_identities_user_id" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "one_time_tokens" ADD CONSTRAINT "fk_one_time_tokens_user_id" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "refresh_sessions" ADD CONSTRAINT "fk_refresh_sessions_user_id" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "refresh_sessions" DROP CONSTRAINT "fk_refresh_sessions_user_id"`,
    );
    await queryRunner.query(
      `ALTER TABLE "one_time_tokens" DROP CONSTRAINT "fk_one_time_tokens_user_id"`,
    );
    await queryRunner.query(
      `ALTER TABLE "external_identities" DROP CONSTRAINT "fk_external_identities_user_id"`,
    );
    await queryRunner.query(`ALTER TABLE "auth_events" DROP CONSTRAINT "fk_auth_events_user_id"`);
    await queryRunner.query(`DROP INDEX "public"."idx_refresh_sessions_user_id_created_at"`);
    await queryRunner.query(`DROP TABLE "refresh_sessions"`);
    await queryRunner.query(`DROP INDEX "public"."idx_one_time_tokens_user_id_purpose"`);
    await queryRunner.query(`DROP INDEX "public"."uq_one_time_tokens_token_hash"`);
    await queryRunner.query(`DROP TABLE "one_time_tokens"`);
    await queryRunner.query(`DROP TYPE "public"."one_time_token_purpose"`);
    await queryRunner.query(`DROP INDEX "public"."idx_oauth_login_flows_expires_at"`);
    await queryRunner.query(`DROP TABLE "oauth_login_flows"`);
    await queryRunner.query(`DROP INDEX "public"."uq_external_identities_issuer_subject"`);
    await queryRunner.query(`DROP INDEX "public"."idx_external_identities_user_id"`);
    await queryRunner.query(`DROP TABLE "external_identities"`);
    await queryRunner.query(`DROP INDEX "public"."idx_auth_events_user_id_created_at"`);
    await queryRunner.query(`DROP TABLE "auth_events"`);
    await queryRunner.query(`DROP TYPE "public"."auth_event_type"`);
    await queryRunner.query(`DROP INDEX "public"."idx_users_created_at_id"`);
    await queryRunner.query(`DROP INDEX "public"."uq_users_email"`);
    await queryRunner.query(`DROP TABLE "users"`);
    await queryRunner.query(`DROP TYPE "public"."user_status"`);
  }
}
