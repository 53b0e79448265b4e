import { Check, Column, Entity, Index, JoinColumn, ManyToOne, type Relation } from 'typeorm';
import {
  DOCUMENT_EXTRA_DATA_MAX_BYTES,
  VISA_FIELDS_CHECK,
} from '#modules/documents/document-vocabulary.js';
import { TravelDocumentBase } from '#modules/documents/travel-document.base.js';
import { TravelerEntity } from './traveler.entity.js';

export const TRAVELER_DOCUMENTS_DUPLICATE_CONSTRAINT =
  'uq_traveler_documents_traveler_id_number_index';

/** Travel documents of a traveler (owner kind `traveler` of the document piece). */
@Entity('traveler_documents')
@Check('chk_traveler_documents_visa_fields', VISA_FIELDS_CHECK)
@Index(TRAVELER_DOCUMENTS_DUPLICATE_CONSTRAINT, ['travelerId', 'numberIndex'], { unique: true })
@Index('idx_traveler_documents_traveler_id_created_at', ['travelerId', 'createdAt', 'id'])
@Index('idx_traveler_documents_status_created_at', ['status', 'createdAt', 'id'])
@Index('idx_traveler_documents_expiry_date', ['expiryDate'])
@Index('idx_traveler_documents_created_at_id', ['createdAt', 'id'])
@Check(
  'chk_traveler_documents_extra_data_size',
  `octet_length("extra_data"::text) <= ${DOCUMENT_EXTRA_DATA_MAX_BYTES * 2}`,
)
@Check(
  'chk_traveler_documents_dates',
  '"issue_date" IS NULL OR "expiry_date" IS NULL OR "issue_date" <= "expiry_date"',
)
export class TravelerDocumentEntity extends TravelDocumentBase {
  @Column({ type: 'uuid' })
  travelerId: string;

  @ManyToOne(() => TravelerEntity, { onDelete: 'CASCADE' })
  @JoinColumn({
    name: 'traveler_id',
    foreignKeyConstraintName: 'fk_traveler_documents_traveler_id',
  })
  traveler?: Relation<TravelerEntity>;
}
