import {
  Column,
  CreateDateColumn,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
  VersionColumn,
} from 'typeorm';
import {
  DOCUMENT_STATUSES,
  DOCUMENT_TYPES,
  REVIEW_REASON_CODES,
  type DocumentStatus,
  VISA_ENTRIES,
  type DocumentType,
  type ReviewReasonCode,
  type VisaEntries,
} from './document-vocabulary.js';

/**
 * The columns every travel-document table shares (`user_documents`, `traveler_documents`).
 * Not an entity: each owner kind declares `@Entity('<table>') class X extends TravelDocumentBase`
 * with its owner column, relation and named indexes (see `document-owner.ts`).
 *
 * The number is never stored in clear: `numberCiphertext` is AES-256-GCM (FieldCipher, key id
 * inside the payload, bound to the table and row id), `numberIndex` a keyed HMAC of
 * type + issuing country + number (duplicates per owner), `numberMasked` the display form.
 */
export abstract class TravelDocumentBase {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'enum', enum: DOCUMENT_TYPES, enumName: 'document_type' })
  documentType: DocumentType;

  @Column({ type: 'text' })
  numberCiphertext: string;

  @Column({ type: 'char', length: 64 })
  numberIndex: string;

  @Column({ type: 'varchar', length: 16 })
  numberMasked: string;

  /** ISO 3166-1 alpha-2. */
  @Column({ type: 'char', length: 2 })
  issuingCountry: string;

  @Column({ type: 'varchar', length: 255, nullable: true })
  issuingAuthority: string | null;

  /** ISO 3166-1 alpha-2. */
  @Column({ type: 'char', length: 2, nullable: true })
  nationality: string | null;

  @Column({ type: 'varchar', length: 255 })
  holderName: string;

  @Column({ type: 'date', nullable: true })
  dateOfBirth: string | null;

  @Column({ type: 'date', nullable: true })
  issueDate: string | null;

  @Column({ type: 'date', nullable: true })
  expiryDate: string | null;

  /** Visas only: the country the visa is for (ISO 3166-1 alpha-2). */
  @Column({ type: 'char', length: 2, nullable: true })
  visaCountry: string | null;

  /** Visas only: the issuer's category (e.g. "Schengen C", "B-2"). */
  @Column({ type: 'varchar', length: 50, nullable: true })
  visaType: string | null;

  @Column({ type: 'enum', enum: VISA_ENTRIES, enumName: 'visa_entries', nullable: true })
  visaEntries: VisaEntries | null;

  /** Visas only: what it allows (e.g. tourism, business). */
  @Column({ type: 'varchar', length: 100, nullable: true })
  visaPurpose: string | null;

  /** Visas only: first day of validity (the last is `expiryDate`). */
  @Column({ type: 'date', nullable: true })
  validFrom: string | null;

  /** Type-specific extras (visa entries, vaccine…), size-limited. */
  @Column({ type: 'jsonb', default: () => "'{}'" })
  extraData: Record<string, unknown>;

  @Column({
    type: 'enum',
    enum: DOCUMENT_STATUSES,
    enumName: 'document_status',
    default: 'pending',
  })
  status: DocumentStatus;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  statusChangedAt: Date;

  /** The admin who claimed it (`in_review`); staff id, no FK so staff erasure never blocks. */
  @Column({ type: 'uuid', nullable: true })
  claimedBy: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  claimedAt: Date | null;

  /** Latest decision, shown to the owner (the full history is in `document_reviews`). */
  @Column({
    type: 'enum',
    enum: REVIEW_REASON_CODES,
    enumName: 'document_review_reason_code',
    nullable: true,
  })
  reviewReasonCode: ReviewReasonCode | null;

  @Column({ type: 'timestamptz', nullable: true })
  reviewedAt: Date | null;

  @Column({ type: 'uuid', nullable: true })
  reviewedBy: string | null;

  @VersionColumn({ default: 1 })
  version: number;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
