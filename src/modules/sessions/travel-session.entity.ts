import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import type { JsonObject } from './json-merge-patch.js';
import { SESSION_STATUSES, type SessionStatus } from './session-status.js';

export const SESSIONS_TABLE = 'unified_travel_sessions';

/**
 * One trip being planned; its id is the trip's id across the product.
 *
 * Indexes TypeORM cannot express (GIN with `jsonb_path_ops`, expression indexes on JSONB
 * paths) are hand-written in the migration and declared here by name with
 * `synchronize: false`, so the schema diff neither drops nor recreates them.
 *
 * `user_id` references `users(id) ON DELETE CASCADE` (added by a follow-up migration once the
 * auth module's users table existed). The relation names the entity by string: feature
 * modules do not import the auth module.
 */
@Entity(SESSIONS_TABLE)
@Index('idx_unified_travel_sessions_user_id_status_updated_at', ['userId', 'status', 'updatedAt'])
@Index('idx_unified_travel_sessions_user_live', ['userId', 'updatedAt', 'id'], {
  where: `"status" <> 'archived'`,
})
// The retention purge of inactive sessions (status + last activity; index-only, newest never read).
@Index('idx_unified_travel_sessions_inactive', ['lastActivityAt', 'updatedAt', 'id'], {
  where: `"status" IN ('abandoned', 'archived')`,
})
@Index('idx_unified_travel_sessions_owner_plan_gin', { synchronize: false })
@Index('idx_unified_travel_sessions_plan_destination_city', { synchronize: false })
@Index('idx_unified_travel_sessions_plan_start_date', { synchronize: false })
@Check(
  'chk_unified_travel_sessions_documents',
  `jsonb_typeof("session_data") = 'object' AND jsonb_typeof("plan_data") = 'object' AND jsonb_typeof("session_metadata") = 'object'`,
)
export class TravelSessionEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @ManyToOne('UserEntity', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user?: { id: string };

  @Column({ type: 'uuid' })
  userId: string;

  @Column({ type: 'enum', enum: SESSION_STATUSES, enumName: 'session_status', default: 'active' })
  status: SessionStatus;

  @Column({ type: 'varchar', length: 200, nullable: true })
  title: string | null;

  /**
   * `{chatMessages, parsedIntent, searchResults, uiState}` as the API shows it (validated on
   * write). Stored without `chatMessages`: those are rows of `unified_session_messages`, merged
   * back by every read (`SessionsRepository`).
   */
  @Column({ type: 'jsonb', default: () => "'{}'" })
  sessionData: JsonObject;

  /** Messages in `unified_session_messages` (the next one gets seq = this + 1). */
  @Column({ type: 'integer', default: 0, select: false })
  messageCount?: number;

  /** Their JSON text's bytes, for the session-size limit without reading the transcript. */
  @Column({ type: 'integer', default: 0, select: false })
  messageBytes?: number;

  /** The plan: `{title, destinationCity, startDate, endDate, itinerary, totalBudget, …}`. */
  @Column({ type: 'jsonb', default: () => "'{}'" })
  planData: JsonObject;

  @Column({ type: 'jsonb', default: () => "'{}'" })
  sessionMetadata: JsonObject;

  /** Bumped by every write (PATCH and message append); sent as the ETag. */
  @Column({ type: 'integer', default: 1 })
  version: number;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  lastActivityAt: Date;
}
