import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  type Relation,
  Unique,
  UpdateDateColumn,
} from 'typeorm';
import { bigintTransformer } from '#libs/common/database/bigint.transformer.js';
import type { JsonObject } from './json-merge-patch.js';
import { SAVED_ITEM_TYPES, type SavedItemType } from './session-status.js';
import { TravelSessionEntity } from './travel-session.entity.js';

export const UQ_SAVED_ITEM_EXTERNAL = 'uq_unified_saved_items_session_id_provider_external_id';

/** Something the traveller kept while planning a session (a flight offer, a hotel, …). */
@Entity('unified_saved_items')
@Unique(UQ_SAVED_ITEM_EXTERNAL, ['sessionId', 'provider', 'externalId'])
@Index('idx_unified_saved_items_session_id_created_at', ['sessionId', 'createdAt'])
@Check(
  'chk_unified_saved_items_external_id_provider',
  `"external_id" IS NULL OR "provider" IS NOT NULL`,
)
@Check(
  'chk_unified_saved_items_price',
  `("price_amount_minor" IS NULL AND "price_currency" IS NULL) OR ("price_amount_minor" >= 0 AND "price_currency" ~ '^[A-Z]{3}$')`,
)
export class SavedItemEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @ManyToOne(() => TravelSessionEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'session_id' })
  session?: Relation<TravelSessionEntity>;

  @Column({ type: 'uuid' })
  sessionId: string;

  @Column({ type: 'enum', enum: SAVED_ITEM_TYPES, enumName: 'saved_item_type' })
  itemType: SavedItemType;

  /** amadeus, booking.com, … Required when `externalId` is set. */
  @Column({ type: 'varchar', length: 100, nullable: true })
  provider: string | null;

  /** The provider's id of the item; the same one twice in a session is refused. */
  @Column({ type: 'varchar', length: 255, nullable: true })
  externalId: string | null;

  @Column({ type: 'varchar', length: 300 })
  title: string;

  /** Snapshot of the item as the provider showed it. */
  @Column({ type: 'jsonb', default: () => "'{}'" })
  data: JsonObject;

  @Column({ type: 'bigint', nullable: true, transformer: bigintTransformer })
  priceAmountMinor: number | null;

  @Column({ type: 'char', length: 3, nullable: true })
  priceCurrency: string | null;

  @Column({ type: 'varchar', length: 1000, nullable: true })
  notes: string | null;

  /** Itinerary day (1-based), when the traveller placed it on one. */
  @Column({ type: 'integer', nullable: true })
  assignedDay: number | null;

  /** Order among the session's saved items (new items go last). */
  @Column({ type: 'integer', default: 0 })
  position: number;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
