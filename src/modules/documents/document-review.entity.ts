import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import {
  DOCUMENT_KINDS,
  DOCUMENT_STATUSES,
  REVIEW_DECISIONS,
  REVIEW_REASON_CODES,
  type DocumentKind,
  type DocumentStatus,
  type ReviewDecision,
  type ReviewReasonCode,
} from './document-vocabulary.js';

/**
 * Append-only history of admin decisions on documents of every kind. A trigger refuses UPDATE;
 * rows go only with their document (an AFTER DELETE trigger on each document table removes
 * them, which also covers a cascade from the owner). The reviewer is a staff id, kept without a
 * foreign key so the history survives staff accounts.
 */
@Entity('document_reviews')
@Index('idx_document_reviews_document', ['documentKind', 'documentId', 'createdAt'])
export class DocumentReviewEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'enum', enum: DOCUMENT_KINDS, enumName: 'document_kind' })
  documentKind: DocumentKind;

  @Column({ type: 'uuid' })
  documentId: string;

  @Column({ type: 'uuid', nullable: true })
  reviewerId: string | null;

  @Column({ type: 'enum', enum: REVIEW_DECISIONS, enumName: 'document_review_decision' })
  decision: ReviewDecision;

  @Column({
    type: 'enum',
    enum: REVIEW_REASON_CODES,
    enumName: 'document_review_reason_code',
  })
  reasonCode: ReviewReasonCode;

  /** Internal: staff only, never shown to the owner. */
  @Column({ type: 'text', nullable: true })
  note: string | null;

  @Column({ type: 'enum', enum: DOCUMENT_STATUSES, enumName: 'document_status' })
  fromStatus: DocumentStatus;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
