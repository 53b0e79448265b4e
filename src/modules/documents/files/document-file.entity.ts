import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryColumn,
  type Relation,
} from 'typeorm';
import { DOCUMENT_KINDS, type DocumentKind } from '../document-vocabulary.js';

export const DOCUMENT_FILE_SIDES = ['front', 'back', 'other'] as const;
export type DocumentFileSide = (typeof DOCUMENT_FILE_SIDES)[number];

export const DOCUMENT_FILE_VARIANTS = ['original', 'preview'] as const;
export type DocumentFileVariant = (typeof DOCUMENT_FILE_VARIANTS)[number];

/** The column of `document_files` that points at a document of each owner kind. */
export const FILE_DOCUMENT_PROPERTY = {
  user: 'userDocumentId',
  traveler: 'travelerDocumentId',
} as const satisfies Record<DocumentKind, keyof DocumentFileEntity>;
export const FILE_DOCUMENT_COLUMN = {
  user: 'user_document_id',
  traveler: 'traveler_document_id',
} as const satisfies Record<DocumentKind, string>;

/**
 * Evidence (scans) of a travel document: metadata only; the bytes are encrypted in the
 * `FileStore` (`document_file_blobs` by default). Exactly one document column is set, the one
 * of `documentKind`; each is a foreign key with ON DELETE CASCADE, so files go with their
 * document, the document's owner and the account. The relations name the owner kinds' entities
 * by name (they live in profiles and travelers, which import this module).
 */
@Entity('document_files')
@Check(
  'chk_document_files_one_document',
  `("document_kind" = 'user' AND "user_document_id" IS NOT NULL AND "traveler_document_id" IS NULL) OR ("document_kind" = 'traveler' AND "traveler_document_id" IS NOT NULL AND "user_document_id" IS NULL)`,
)
@Index('idx_document_files_user_document_id', ['userDocumentId', 'createdAt'])
@Index('idx_document_files_traveler_document_id', ['travelerDocumentId', 'createdAt'])
export class DocumentFileEntity {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ type: 'enum', enum: DOCUMENT_KINDS, enumName: 'document_kind' })
  documentKind: DocumentKind;

  @Column({ type: 'uuid', nullable: true })
  userDocumentId: string | null;

  @ManyToOne('UserDocumentEntity', { onDelete: 'CASCADE' })
  @JoinColumn({
    name: 'user_document_id',
    foreignKeyConstraintName: 'fk_document_files_user_document_id',
  })
  userDocument?: Relation<object>;

  @Column({ type: 'uuid', nullable: true })
  travelerDocumentId: string | null;

  @ManyToOne('TravelerDocumentEntity', { onDelete: 'CASCADE' })
  @JoinColumn({
    name: 'traveler_document_id',
    foreignKeyConstraintName: 'fk_document_files_traveler_document_id',
  })
  travelerDocument?: Relation<object>;

  @Column({ type: 'enum', enum: DOCUMENT_FILE_SIDES, enumName: 'document_file_side' })
  side: DocumentFileSide;

  /** Decided from the bytes (magic numbers), never from the client's name or header. */
  @Column({ type: 'varchar', length: 32 })
  contentType: string;

  /** Size of the stored (re-encoded) file, as the owner downloads it. */
  @Column({ type: 'integer' })
  sizeBytes: number;

  /** Hex SHA-256 of the stored file, as the owner downloads it. */
  @Column({ type: 'char', length: 64 })
  sha256: string;

  @Column({ type: 'integer', nullable: true })
  width: number | null;

  @Column({ type: 'integer', nullable: true })
  height: number | null;

  /** Id of the master key the bytes are encrypted under (rotation). */
  @Column({ type: 'varchar', length: 16 })
  keyId: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}

/** How a variant's bytes are stored (`document_file_blobs.format`). */
export const FILE_STORAGE_FORMAT = {
  /** `ciphertext` is the whole file, AES-256-GCM in one piece (`FileCipher.encrypt`). */
  whole: 1,
  /** `ciphertext` is the header only; the sealed 64 KiB chunks are `document_file_chunks`. */
  chunked: 2,
} as const;

/**
 * One row per variant of a file (the PostgreSQL `FileStore`): its storage format and either the
 * whole ciphertext (format 1, files stored before chunking) or the chunked format's header
 * (format 2: key id and IV). The file id and variant are bound as associated data. Never
 * anything in clear.
 */
@Entity('document_file_blobs')
export class DocumentFileBlobEntity {
  @PrimaryColumn({ type: 'uuid' })
  fileId: string;

  @PrimaryColumn({ type: 'enum', enum: DOCUMENT_FILE_VARIANTS, enumName: 'document_file_variant' })
  variant: DocumentFileVariant;

  /** 1 = whole-file ciphertext (read only), 2 = header + `document_file_chunks`. */
  @Column({ type: 'smallint', default: FILE_STORAGE_FORMAT.whole })
  format: number;

  @Column({ type: 'bytea' })
  ciphertext: Buffer;

  @ManyToOne(() => DocumentFileEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'file_id', foreignKeyConstraintName: 'fk_document_file_blobs_file_id' })
  file?: Relation<DocumentFileEntity>;
}

/**
 * The sealed chunks (format 2) of a variant, `seq` from 0: each `ciphertext | tag` of at most
 * 64 KiB of plaintext (`ChunkSealer`), so no whole-file ciphertext is ever built, sent or read.
 * They go with their variant's row (FK cascade), hence with the file and the document.
 */
@Entity('document_file_chunks')
export class DocumentFileChunkEntity {
  @PrimaryColumn({ type: 'uuid' })
  fileId: string;

  @PrimaryColumn({ type: 'enum', enum: DOCUMENT_FILE_VARIANTS, enumName: 'document_file_variant' })
  variant: DocumentFileVariant;

  @PrimaryColumn({ type: 'integer' })
  seq: number;

  @Column({ type: 'bytea' })
  ciphertext: Buffer;

  @ManyToOne(() => DocumentFileBlobEntity, { onDelete: 'CASCADE' })
  @JoinColumn([
    {
      name: 'file_id',
      referencedColumnName: 'fileId',
      foreignKeyConstraintName: 'fk_document_file_chunks_blob',
    },
    {
      name: 'variant',
      referencedColumnName: 'variant',
      foreignKeyConstraintName: 'fk_document_file_chunks_blob',
    },
  ])
  blob?: Relation<DocumentFileBlobEntity>;
}
