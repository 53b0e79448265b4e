import type { MigrationInterface, QueryRunner } from 'typeorm';

export class SessionMessagesTable1796553754620 implements MigrationInterface {
  name = 'SessionMessagesTable1796553754620';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "unified_session_messages" ("session_id" uuid NOT NULL, "seq" integer NOT NULL, "message" jsonb NOT NULL, CONSTRAINT "pk_unified_session_messages" PRIMARY KEY ("session_id", "seq"))`,
    );
    await queryRunner.query(
      `ALTER TABLE "unified_travel_sessions" ADD "message_count" integer NOT NULL DEFAULT '0'`,
    );
    await queryRunner.query(
      `ALTER TABLE "unified_travel_sessions" ADD "message_bytes" integer NOT NULL DEFAULT '0'`,
    );
    await queryRunner.query(
      `ALTER TABLE "unified_session_messages" ADD CONSTRAINT "fk_unified_session_messages_session_id" FOREIGN KEY ("session_id") REFERENCES "unified_travel_sessions"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    // Every transcript moves out of session_data into rows (seq = its position, as the API
    // numbered it); the session keeps its count and the messages' JSON bytes for the limits.
    await queryRunner.query(
      `INSERT INTO "unified_session_messages" ("session_id", "seq", "message")
       SELECT s."id", m.seq, m.message
         FROM "unified_travel_sessions" s
        CROSS JOIN LATERAL jsonb_array_elements(s."session_data" -> 'chatMessages')
              WITH ORDINALITY AS m(message, seq)
        WHERE jsonb_typeof(s."session_data" -> 'chatMessages') = 'array'`,
    );
    await queryRunner.query(
      `UPDATE "unified_travel_sessions" s
          SET "message_count" = counted.n, "message_bytes" = counted.bytes
         FROM (SELECT "session_id", count(*) AS n, sum(octet_length("message"::text) + 2) AS bytes
                 FROM "unified_session_messages" GROUP BY "session_id") AS counted
        WHERE counted."session_id" = s."id"`,
    );
    await queryRunner.query(
      `UPDATE "unified_travel_sessions" SET "session_data" = "session_data" - 'chatMessages'
        WHERE "session_data" ? 'chatMessages'`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `UPDATE "unified_travel_sessions" s
          SET "session_data" = s."session_data" || jsonb_build_object('chatMessages', COALESCE(
                (SELECT jsonb_agg(m."message" ORDER BY m."seq") FROM "unified_session_messages" m
                  WHERE m."session_id" = s."id"), '[]'::jsonb))`,
    );
    await queryRunner.query(
      `ALTER TABLE "unified_session_messages" DROP CONSTRAINT "fk_unified_session_messages_session_id"`,
    );
    await queryRunner.query(`ALTER TABLE "unified_travel_sessions" DROP COLUMN "message_bytes"`);
    await queryRunner.query(`ALTER TABLE "unified_travel_sessions" DROP COLUMN "message_count"`);
    await queryRunner.query(`DROP TABLE "unified_session_messages"`);
  }
}
