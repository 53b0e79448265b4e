import type { MigrationInterface, QueryRunner } from 'typeorm';

/*
 * Compliance core: consent notices, the consent ledger and the audit trail.
 *
 * Generated from the entities, plus hand-written SQL below the generated part:
 *
 * 1. `pathavana_refuse_change()` and its triggers make `consent_events` and `audit_events`
 *    append-only and `consent_notices` immutable AT THE DATABASE: UPDATE, DELETE and TRUNCATE
 *    raise an exception, whatever the caller.
 *
 *    The one privileged path (for erasure, a later issue): inside a transaction that ran
 *      SET LOCAL pathavana.allow_pseudonymise = 'on';
 *    an UPDATE is allowed when it changes ONLY the columns named as trigger arguments
 *    (`subject_id` for consent_events and audit_events; nothing for consent_notices). Any other
 *    changed column, any DELETE, any TRUNCATE is still refused. `SET LOCAL` ends with the
 *    transaction, so the permission cannot leak into pooled connections. The consent hash chain
 *    does not hash `subject_id` (see consent-chain.ts), so a pseudonymised chain still verifies.
 *
 *    This guards against application code and stray SQL, not against a database superuser (who
 *    can disable triggers; the hash chain makes such edits of consent events detectable).
 *
 * 2. Version 1 of the notice of each purpose, with the SHA-256 of its text computed by the
 *    database from the stored text.
 */
const NOTICES: { purpose: string; title: string; requiredFor: string[]; text: string }[] = [
  {
    purpose: 'travel_planning',
    title: 'Planning your trips',
    requiredFor: ['sessions'],
    text:
      'Pathavana stores the trips you plan with us: your chat messages, the destinations, dates, ' +
      'budgets and the search results and items you save in a planning session. We use them only ' +
      'to plan and organise your trips and to show them back to you. We keep them while your ' +
      'account exists and delete them when you delete a session or your account. You can withdraw ' +
      'this consent at any time; planning sessions are then unavailable until you consent again.',
  },
  {
    purpose: 'travel_documents',
    title: 'Storing your travel documents',
    requiredFor: ['documents'],
    text:
      'Pathavana stores the travel documents you add for yourself and the people you travel with ' +
      '(document type, number, issuing country, nationality, issue and expiry dates). Document ' +
      'numbers are encrypted at rest and shown masked; our staff may review a document to verify ' +
      'it, and every such access is recorded. We use these data only to prepare and complete your ' +
      'bookings. You can withdraw this consent at any time; document features are then ' +
      'unavailable until you consent again, and you can delete stored documents yourself.',
  },
  {
    purpose: 'travel_booking',
    title: 'Booking travel for you',
    requiredFor: ['bookings'],
    text:
      'To book flights, hotels and activities, Pathavana passes the names, birth dates and ' +
      'document details of the travellers on a booking to the travel provider that fulfils it, ' +
      'and keeps a record of the booking and its charges and refunds. Booking records are kept ' +
      'for as long as the law requires, also after you delete your account, under a pseudonym. ' +
      'You can withdraw this consent at any time; you cannot make new bookings until you consent ' +
      'again, and existing bookings are not affected.',
  },
  {
    purpose: 'marketing',
    title: 'Travel offers and news',
    requiredFor: [],
    text:
      'With your consent, Pathavana sends you travel offers, deals and news by email, chosen from ' +
      'your saved preferences. This is optional: every feature works without it. You can withdraw ' +
      'this consent at any time, here or through the link in every message.',
  },
  {
    purpose: 'analytics',
    title: 'Improving Pathavana',
    requiredFor: [],
    text:
      'With your consent, Pathavana records how you use the product (pages and features used, ' +
      'errors met) to measure and improve it. These records are kept for at most 13 months and ' +
      'are never sold or used to advertise to you. This is optional: every feature works without ' +
      'it. You can withdraw this consent at any time.',
  },
];

export class ComplianceCore1795677613233 implements MigrationInterface {
  name = 'ComplianceCore1795677613233';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "audit_events" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "occurred_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "actor_id" uuid, "actor_roles" text array NOT NULL, "action" character varying(100) NOT NULL, "subject_id" uuid, "resource_type" character varying(100), "resource_id" character varying(200), "reason" text, "request_id" character varying(128), CONSTRAINT "pk_audit_events" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_audit_events_action_occurred_at" ON "audit_events"  ("action", "occurred_at") `,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_audit_events_subject_id_occurred_at" ON "audit_events"  ("subject_id", "occurred_at") `,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_audit_events_actor_id_occurred_at" ON "audit_events"  ("actor_id", "occurred_at") `,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_audit_events_occurred_at" ON "audit_events"  ("occurred_at", "id") `,
    );
    await queryRunner.query(
      `CREATE TYPE "public"."consent_purpose" AS ENUM('travel_planning', 'travel_documents', 'travel_booking', 'marketing', 'analytics')`,
    );
    await queryRunner.query(
      `CREATE TYPE "public"."consent_decision" AS ENUM('granted', 'withdrawn')`,
    );
    await queryRunner.query(
      `CREATE TYPE "public"."consent_source" AS ENUM('api', 'registration', 'guardian')`,
    );
    await queryRunner.query(
      `CREATE TABLE "consent_events" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "subject_id" uuid NOT NULL, "traveler_id" uuid, "actor_id" uuid, "purpose" "public"."consent_purpose" NOT NULL, "notice_version" integer NOT NULL, "text_sha256" character(64) NOT NULL, "decision" "public"."consent_decision" NOT NULL, "occurred_at" TIMESTAMP WITH TIME ZONE NOT NULL, "ip" character varying(64), "user_agent" character varying(512), "source" "public"."consent_source" NOT NULL, "seq" integer NOT NULL, "prev_hash" character(64), "hash" character(64) NOT NULL, CONSTRAINT "uq_consent_events_subject_id_seq" UNIQUE ("subject_id", "seq"), CONSTRAINT "pk_consent_events" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_consent_events_subject_occurred_at" ON "consent_events"  ("subject_id", "occurred_at", "id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_consent_events_own_latest" ON "consent_events"  ("subject_id", "purpose", "seq") WHERE "traveler_id" IS NULL`,
    );
    await queryRunner.query(
      `CREATE TABLE "consent_notices" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "purpose" "public"."consent_purpose" NOT NULL, "version" integer NOT NULL, "title" character varying(200) NOT NULL, "text" text NOT NULL, "text_sha256" character(64) NOT NULL, "required_for" text array NOT NULL, "requires_reconsent" boolean NOT NULL, "published_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "uq_consent_notices_purpose_version" UNIQUE ("purpose", "version"), CONSTRAINT "pk_consent_notices" PRIMARY KEY ("id"))`,
    );

    // ---- hand-written: append-only / immutable tables (see the header) ----
    await queryRunner.query(`
      CREATE FUNCTION pathavana_refuse_change() RETURNS trigger
      LANGUAGE plpgsql AS $fn$
      DECLARE
        changed text[];
      BEGIN
        IF TG_OP = 'UPDATE' AND cardinality(TG_ARGV) > 0
           AND coalesce(current_setting('pathavana.allow_pseudonymise', true), '') = 'on' THEN
          SELECT coalesce(array_agg(n.key), '{}') INTO changed
            FROM jsonb_each(to_jsonb(NEW)) AS n
            JOIN jsonb_each(to_jsonb(OLD)) AS o USING (key)
           WHERE n.value IS DISTINCT FROM o.value;
          IF changed <@ TG_ARGV::text[] THEN
            RETURN NEW;
          END IF;
          RAISE EXCEPTION 'pseudonymisation of % may change only %, not %',
            TG_TABLE_NAME, TG_ARGV::text[], changed
            USING ERRCODE = 'restrict_violation';
        END IF;
        RAISE EXCEPTION '% on % is refused: the table is append-only', TG_OP, TG_TABLE_NAME
          USING ERRCODE = 'restrict_violation';
      END
      $fn$`);
    await queryRunner.query(
      `CREATE TRIGGER consent_notices_immutable BEFORE UPDATE OR DELETE ON "consent_notices" FOR EACH ROW EXECUTE FUNCTION pathavana_refuse_change()`,
    );
    await queryRunner.query(
      `CREATE TRIGGER consent_notices_no_truncate BEFORE TRUNCATE ON "consent_notices" FOR EACH STATEMENT EXECUTE FUNCTION pathavana_refuse_change()`,
    );
    for (const table of ['consent_events', 'audit_events']) {
      await queryRunner.query(
        `CREATE TRIGGER ${table}_append_only BEFORE UPDATE OR DELETE ON "${table}" FOR EACH ROW EXECUTE FUNCTION pathavana_refuse_change('subject_id')`,
      );
      await queryRunner.query(
        `CREATE TRIGGER ${table}_no_truncate BEFORE TRUNCATE ON "${table}" FOR EACH STATEMENT EXECUTE FUNCTION pathavana_refuse_change()`,
      );
    }

    // ---- hand-written: version 1 of every purpose's notice ----
    for (const notice of NOTICES) {
      await queryRunner.query(
        `INSERT INTO "consent_notices" ("purpose", "version", "title", "text", "text_sha256", "required_for", "requires_reconsent")
         VALUES ($1, 1, $2, $3, encode(sha256(convert_to($3::text, 'UTF8')), 'hex'), $4, false)`,
        [notice.purpose, notice.title, notice.text, notice.requiredFor],
      );
    }
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    // Dropping the tables drops their triggers; the function goes last.
    await queryRunner.query(`DROP TABLE "consent_notices"`);
    await queryRunner.query(`DROP INDEX "public"."idx_consent_events_own_latest"`);
    await queryRunner.query(`DROP INDEX "public"."idx_consent_events_subject_occurred_at"`);
    await queryRunner.query(`DROP TABLE "consent_events"`);
    await queryRunner.query(`DROP TYPE "public"."consent_source"`);
    await queryRunner.query(`DROP TYPE "public"."consent_decision"`);
    await queryRunner.query(`DROP TYPE "public"."consent_purpose"`);
    await queryRunner.query(`DROP INDEX "public"."idx_audit_events_occurred_at"`);
    await queryRunner.query(`DROP INDEX "public"."idx_audit_events_actor_id_occurred_at"`);
    await queryRunner.query(`DROP INDEX "public"."idx_audit_events_subject_id_occurred_at"`);
    await queryRunner.query(`DROP INDEX "public"."idx_audit_events_action_occurred_at"`);
    await queryRunner.query(`DROP TABLE "audit_events"`);
    await queryRunner.query(`DROP FUNCTION pathavana_refuse_change()`);
  }
}
