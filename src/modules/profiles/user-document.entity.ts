import { Check, Entity, Column, Index, JoinColumn, ManyToOne } from 'typeorm';
import { TravelDocumentBase } from '#modules/documents/travel-document.base.js';
import {
  DOCUMENT_EXTRA_DATA_MAX_BYTES,
  VISA_FIELDS_CHECK,
} from '#modules/documents/document-vocabulary.js';

export const USER_DOCUMENTS_DUPLICATE_CONSTRAINT = 'uq_user_documents_user_id_number_index';

/** The account holder's own travel documents (owner kind `user` of the document piece). */
@Entity('user_documents')
@Check('chk_user_documents_visa_fields', VISA_FIELDS_CHECK)
@Index(USER_DOCUMENTS_DUPLICATE_CONSTRAINT, ['userId', 'numberIndex'], { unique: true })
@Index('idx_user_documents_user_id_created_at', ['userId', 'createdAt', 'id'])
@Index('idx_user_documents_status_created_at', ['status', 'createdAt', 'id'])
@Index('idx_user_documents_expiry_date', ['expiryDate'])
@Index('idx_user_documents_created_at_id', ['createdAt', 'id'])
@Check(
  'chk_user_documents_extra_data_size',
  `octet_length("extra_data"::text) <= ${DOCUMENT_EXTRA_DATA_MAX_BYTES * 2}`,
)
@Check(
  'chk_user_documents_dates',
  '"issue_date" IS NULL OR "expiry_date" IS NULL OR "issue_date" <= "expiry_date"',
)
export class UserDocumentEntity extends TravelDocumentBase {
  @Column({ type: 'uuid' })
  userId: string;

  /**
   * Foreign key only (ON DELETE CASCADE): `users` belongs to auth, referenced by entity name so
   * this module does not import auth. Never loaded; use `userId`.
   */
  @ManyToOne('UserEntity', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'fk_user_documents_user_id' })
  readonly user?: unknown;
}
