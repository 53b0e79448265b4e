import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryColumn,
  PrimaryGeneratedColumn,
  type Relation,
  UpdateDateColumn,
} from 'typeorm';
import { TravelerEntity } from '../traveler.entity.js';

/** A user's named set of travelers ("Family", "Ski club"); the seed's `traveler_group_id`. */
@Entity('traveler_groups')
// Names are unique per owner; the list reads groups by (user_id, name) through this index.
@Index('uq_traveler_groups_user_id_name', ['userId', 'name'], { unique: true })
export class TravelerGroupEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  userId: string;

  // The FK to users, by entity name: no feature module imports auth.
  @ManyToOne('UserEntity', { onDelete: 'CASCADE', nullable: false })
  @JoinColumn({ name: 'user_id' })
  user?: { id: string };

  @Column({ type: 'varchar', length: 100 })
  name: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}

/** One traveler in one group; a traveler may be in several groups. */
@Entity('traveler_group_members')
@Index('idx_traveler_group_members_traveler_id', ['travelerId'])
export class TravelerGroupMemberEntity {
  @PrimaryColumn({ type: 'uuid' })
  groupId: string;

  @PrimaryColumn({ type: 'uuid' })
  travelerId: string;

  @ManyToOne(() => TravelerGroupEntity, { onDelete: 'CASCADE', nullable: false })
  @JoinColumn({ name: 'group_id' })
  group?: Relation<TravelerGroupEntity>;

  @ManyToOne(() => TravelerEntity, { onDelete: 'CASCADE', nullable: false })
  @JoinColumn({ name: 'traveler_id' })
  traveler?: Relation<TravelerEntity>;

  @CreateDateColumn({ type: 'timestamptz' })
  addedAt: Date;
}
