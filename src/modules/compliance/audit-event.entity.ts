import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * Append-only audit trail (the database refuses UPDATE and DELETE; erasure may only
 * pseudonymise `subject_id` through an explicitly privileged path). People by id only, no FKs.
 */
@Entity('audit_events')
@Index('idx_audit_events_occurred_at', ['occurredAt', 'id'])
@Index('idx_audit_events_actor_id_occurred_at', ['actorId', 'occurredAt'])
@Index('idx_audit_events_subject_id_occurred_at', ['subjectId', 'occurredAt'])
@Index('idx_audit_events_action_occurred_at', ['action', 'occurredAt'])
export class AuditEventEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  occurredAt: Date;

  @Column({ type: 'uuid', nullable: true })
  actorId: string | null;

  @Column({ type: 'text', array: true })
  actorRoles: string[];

  /** Dotted verb: `document.reveal`, `user.suspend`, `audit.read`, … */
  @Column({ type: 'varchar', length: 100 })
  action: string;

  @Column({ type: 'uuid', nullable: true })
  subjectId: string | null;

  @Column({ type: 'varchar', length: 100, nullable: true })
  resourceType: string | null;

  @Column({ type: 'varchar', length: 200, nullable: true })
  resourceId: string | null;

  @Column({ type: 'text', nullable: true })
  reason: string | null;

  @Column({ type: 'varchar', length: 128, nullable: true })
  requestId: string | null;
}
