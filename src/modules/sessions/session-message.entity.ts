import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn, type Relation } from 'typeorm';
import type { JsonObject } from './json-merge-patch.js';
import { TravelSessionEntity } from './travel-session.entity.js';

export const SESSION_MESSAGES_TABLE = 'unified_session_messages';

/**
 * One chat message of a session, stored as its own row so that an append is one INSERT
 * whatever the length of the transcript (it was a JSONB array inside `session_data`, which
 * every append rewrote whole: bench/RESULTS.md, issue 22 item 4). The API still shows the
 * transcript as `sessionData.chatMessages`; the repository merges it back on every read.
 */
@Entity(SESSION_MESSAGES_TABLE)
export class SessionMessageEntity {
  @PrimaryColumn({ type: 'uuid' })
  sessionId: string;

  /** 1, 2, 3… in the order the appends committed (the session row's `message_count`). */
  @PrimaryColumn({ type: 'integer' })
  seq: number;

  @ManyToOne(() => TravelSessionEntity, { onDelete: 'CASCADE', nullable: false })
  @JoinColumn({ name: 'session_id' })
  session?: Relation<TravelSessionEntity>;

  /** `{id, seq, role, content, createdAt, metadata?}`, exactly as the API answers it. */
  @Column({ type: 'jsonb' })
  message: JsonObject;
}
