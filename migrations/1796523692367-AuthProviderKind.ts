import type { MigrationInterface, QueryRunner } from 'typeorm';

export class AuthProviderKind1796523692367 implements MigrationInterface {
  name = 'AuthProviderKind1796523692367';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TYPE "public"."auth_provider" AS ENUM('local', 'google', 'facebook', 'microsoft', 'apple', 'oidc')`,
    );
    await queryRunner.query(
      `ALTER TABLE "external_identities" ADD "provider_kind" "public"."auth_provider" NOT NULL DEFAULT 'oidc'`,
    );
    // Backfill (hand-written): the kind from the issuer's host, else from a configured name that
    // is a known kind (as externalProviderKind does for new links); everything else stays oidc.
    await queryRunner.query(
      `UPDATE "external_identities" SET "provider_kind" = CASE
         WHEN "issuer" ~* '^https?://accounts\\.google\\.com(/|$)' THEN 'google'
         WHEN "issuer" ~* '^https?://((www|limited)\\.)?facebook\\.com(/|$)' THEN 'facebook'
         WHEN "issuer" ~* '^https?://login\\.microsoftonline\\.com(/|$)' THEN 'microsoft'
         WHEN "issuer" ~* '^https?://appleid\\.apple\\.com(/|$)' THEN 'apple'
         WHEN lower("provider") IN ('google', 'facebook', 'microsoft', 'apple') THEN lower("provider")
         ELSE 'oidc' END::"public"."auth_provider"`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "external_identities" DROP COLUMN "provider_kind"`);
    await queryRunner.query(`DROP TYPE "public"."auth_provider"`);
  }
}
