import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { FileCipher } from '#libs/common/crypto/file-cipher.js';
import { nextStatus } from '../document-lifecycle.js';
import { documentNotFound } from '../document.problems.js';
import { DocumentStore } from '../document-store.js';
import type { DocumentKind } from '../document-vocabulary.js';
import type { TravelDocumentBase } from '../travel-document.base.js';
import {
  DocumentFileEntity,
  FILE_DOCUMENT_PROPERTY,
  type DocumentFileSide,
  type DocumentFileVariant,
} from './document-file.entity.js';
import { toDocumentFileResponse, type DocumentFileResponseDto } from './document-file.dto.js';
import {
  fileNotFound,
  MAX_FILES_PER_DOCUMENT,
  previewNotAvailable,
  tooManyFiles,
} from './document-file.problems.js';
import { FileContentProcessor } from './file-content.js';
import { FileStore, type StoredVariant } from './file-store.js';
import { FILE_STORAGE_FORMAT } from './document-file.entity.js';
import type { UploadedBytes } from './multipart-upload.js';
import { UploadAdmission } from './upload-admission.js';

export interface FileContent {
  file: DocumentFileEntity;
  contentType: string;
  /** Plaintext length when known up front (the original's `sizeBytes`; null for a preview). */
  sizeBytes: number | null;
  /** The decrypted bytes, chunk by chunk; errors if a chunk does not authenticate. */
  stream: Readable;
}

/**
 * Evidence files of documents of any owner kind. Owner routes pass an owner id they have
 * authorised; every query is scoped by it (another owner's document or file → 404). The bytes
 * are prepared (typed by content, re-encoded) before any lock is taken, then the document row is
 * locked to count its files and insert, so parallel uploads cannot pass the limit.
 */
@Injectable()
export class DocumentFilesService {
  /** Previews being made in this process, by file id (concurrent first reads share one). */
  private readonly previewsInFlight = new Map<string, Promise<void>>();

  constructor(
    private readonly store: DocumentStore,
    private readonly files: FileStore,
    private readonly cipher: FileCipher,
    @Inject(FileContentProcessor) private readonly processor: FileContentProcessor,
    @Inject(UploadAdmission) private readonly admission: UploadAdmission,
  ) {}

  /**
   * Runs an upload (reading its body, then `upload`) once one of the instance's upload slots is
   * free (`UploadAdmission`): until then its body is not read.
   */
  admitted<T>(upload: () => Promise<T>): Promise<T> {
    return this.admission.run(upload);
  }

  async upload(
    kind: DocumentKind,
    ownerId: string,
    documentId: string,
    side: DocumentFileSide,
    upload: Buffer | UploadedBytes,
  ): Promise<DocumentFileResponseDto> {
    // Cheap refusals first: no CPU spent on a file that cannot be stored.
    await this.ownedDocument(kind, ownerId, documentId);
    if ((await this.count(kind, documentId)) >= MAX_FILES_PER_DOCUMENT) throw tooManyFiles();
    // The upload is taken (the request no longer holds it), so it can be collected as soon as
    // it is stored. An image is re-encoded into the store's writes as it is read: the
    // transaction (and its connection) is open while its encode runs, one per image gate slot.
    const bytes = Buffer.isBuffer(upload) ? upload : upload.take();
    return this.processor.process(bytes, (prepared) => {
      const id = randomUUID();
      // Sealed chunk by chunk as the store writes them: no whole-file ciphertext exists.
      const original = this.cipher.sealer(this.context(id, 'original'));
      return this.store.dataSource.transaction(async (manager) => {
        const document = await this.ownedDocument(kind, ownerId, documentId, manager);
        if ((await this.count(kind, documentId, manager)) >= MAX_FILES_PER_DOCUMENT) {
          throw tooManyFiles();
        }
        const files = manager.getRepository(DocumentFileEntity);
        // Size, hash and dimensions are known once the bytes are stored (same transaction).
        const file = files.create({
          id,
          documentKind: kind,
          userDocumentId: null,
          travelerDocumentId: null,
          [FILE_DOCUMENT_PROPERTY[kind]]: documentId,
          side,
          contentType: prepared.contentType,
          sizeBytes: 0,
          sha256: '',
          width: null,
          height: null,
          keyId: this.cipher.keyId,
        });
        await files.insert(file); // fills in created_at (RETURNING)
        await this.files.write(
          id,
          'original',
          original.header,
          original.chunksInParts(prepared.chunks),
          manager,
        );
        const facts = prepared.facts();
        await files.update({ id }, facts);
        await this.backToReview(kind, document, manager, ['verified', 'rejected']);
        return toDocumentFileResponse(Object.assign(file, facts));
      });
    });
  }

  async list(
    kind: DocumentKind,
    ownerId: string,
    documentId: string,
  ): Promise<DocumentFileResponseDto[]> {
    await this.ownedDocument(kind, ownerId, documentId);
    return (await this.filesOf(kind, documentId)).map(toDocumentFileResponse);
  }

  async content(
    kind: DocumentKind,
    ownerId: string,
    documentId: string,
    fileId: string,
  ): Promise<FileContent> {
    await this.ownedDocument(kind, ownerId, documentId);
    return this.read(kind, documentId, fileId, 'original');
  }

  async remove(
    kind: DocumentKind,
    ownerId: string,
    documentId: string,
    fileId: string,
  ): Promise<void> {
    await this.store.dataSource.transaction(async (manager) => {
      const document = await this.ownedDocument(kind, ownerId, documentId, manager);
      const result = await manager
        .getRepository(DocumentFileEntity)
        .createQueryBuilder()
        .delete()
        .where('id = :fileId', { fileId })
        .andWhere(`${FILE_DOCUMENT_PROPERTY[kind]} = :documentId`, { documentId })
        .execute();
      if (!result.affected) throw fileNotFound();
      await this.files.remove([fileId], manager);
      await this.backToReview(kind, document, manager, ['verified']);
    });
  }

  /** A document's files, oldest first (staff view and owner list). */
  filesOf(
    kind: DocumentKind,
    documentId: string,
    manager: EntityManager = this.store.dataSource.manager,
  ): Promise<DocumentFileEntity[]> {
    return manager.getRepository(DocumentFileEntity).find({
      where: { [FILE_DOCUMENT_PROPERTY[kind]]: documentId },
      order: { createdAt: 'ASC', id: 'ASC' },
    });
  }

  /**
   * Decrypted bytes of one variant of a document's file, streamed (callers authorise and audit).
   * Files stored before chunking (format 1) are decrypted whole; format 2 chunk by chunk. The
   * first chunk is opened before returning, so a missing or unreadable file fails before any
   * header is sent; a chunk tampered with further on ends the stream with an error. An image's
   * preview is made on its first read (`ensurePreview`), not during the upload.
   */
  async read(
    kind: DocumentKind,
    documentId: string,
    fileId: string,
    variant: DocumentFileVariant,
  ): Promise<FileContent> {
    const file = await this.store.dataSource.getRepository(DocumentFileEntity).findOne({
      where: { id: fileId, [FILE_DOCUMENT_PROPERTY[kind]]: documentId },
    });
    if (!file) throw fileNotFound();
    if (variant === 'preview' && file.width === null) throw previewNotAvailable();
    let stored = await this.files.read(file.id, variant);
    if (!stored && variant === 'preview') {
      await this.ensurePreview(file);
      stored = await this.files.read(file.id, variant);
    }
    if (!stored) throw variant === 'preview' ? previewNotAvailable() : fileNotFound();
    return this.open(file, variant, stored);
  }

  /**
   * Makes and stores an image's preview unless it exists. Concurrent first reads in this process
   * share one making (`previewsInFlight`); across processes, each may make one, and the insert
   * runs under the file row's lock (FOR UPDATE) after checking again, so one preview is stored
   * and every reader then serves that one. The image work runs outside any transaction (no
   * connection held while libvips works). A file deleted meanwhile is a 404. The preview is sealed
   * in the same chunked format, bound to the file and the `preview` variant.
   */
  private ensurePreview(file: DocumentFileEntity): Promise<void> {
    const running = this.previewsInFlight.get(file.id);
    if (running) return running;
    const making = this.makePreview(file).finally(() => this.previewsInFlight.delete(file.id));
    this.previewsInFlight.set(file.id, making);
    return making;
  }

  private async makePreview(file: DocumentFileEntity): Promise<void> {
    const stored = await this.files.read(file.id, 'original');
    if (!stored) throw fileNotFound();
    const original = await this.open(file, 'original', stored);
    const preview = await this.processor.preview(original.stream, file.contentType);
    await this.store.dataSource.transaction(async (manager) => {
      const locked = await manager
        .getRepository(DocumentFileEntity)
        .createQueryBuilder('f')
        .select('f.id')
        .where('f.id = :id', { id: file.id })
        .setLock('pessimistic_write')
        .getOne();
      if (!locked) throw fileNotFound();
      if (await this.files.exists(file.id, 'preview', manager)) return;
      const sealer = this.cipher.sealer(this.context(file.id, 'preview'));
      await this.files.write(
        file.id,
        'preview',
        sealer.header,
        sealer.chunksInParts([preview]),
        manager,
      );
    });
  }

  /** Decrypts a stored variant as a stream (the first chunk opened before returning). */
  private async open(
    file: DocumentFileEntity,
    variant: DocumentFileVariant,
    stored: StoredVariant,
  ): Promise<FileContent> {
    const context = this.context(file.id, variant);
    const chunks =
      stored.format === FILE_STORAGE_FORMAT.whole
        ? [this.cipher.decrypt(stored.header, context)][Symbol.iterator]()
        : this.cipher.openChunks(stored.header, stored.chunks, context);
    const first = await chunks.next();
    return {
      file,
      contentType: variant === 'preview' ? 'image/jpeg' : file.contentType,
      sizeBytes: variant === 'original' ? file.sizeBytes : null,
      stream: Readable.from(
        (async function* () {
          if (!first.done) yield first.value;
          yield* chunks;
        })(),
        { objectMode: false },
      ),
    };
  }

  /** Binds each ciphertext to its file and variant. */
  private context(fileId: string, variant: DocumentFileVariant): string {
    return `document_files:${fileId}:${variant}`;
  }

  private async count(
    kind: DocumentKind,
    documentId: string,
    manager: EntityManager = this.store.dataSource.manager,
  ): Promise<number> {
    return manager
      .getRepository(DocumentFileEntity)
      .count({ where: { [FILE_DOCUMENT_PROPERTY[kind]]: documentId } });
  }

  /** The owned document; locked FOR UPDATE when a transaction's manager is given. */
  private async ownedDocument(
    kind: DocumentKind,
    ownerId: string,
    documentId: string,
    manager?: EntityManager,
  ): Promise<TravelDocumentBase> {
    const query = this.store.ownedQuery(kind, ownerId, manager).andWhere('d.id = :documentId', {
      documentId,
    });
    if (manager) query.setLock('pessimistic_write');
    const document = await query.getOne();
    if (!document) throw documentNotFound();
    return document;
  }

  /**
   * New or removed evidence invalidates a decision taken on the old evidence: a verified (or, on
   * upload, rejected) document goes back to `pending`, like a rectification.
   */
  private async backToReview(
    kind: DocumentKind,
    document: TravelDocumentBase,
    manager: EntityManager,
    from: readonly string[],
  ): Promise<void> {
    if (!from.includes(document.status)) return;
    const status = nextStatus(document.status, 'rectify');
    if (status === null) return;
    document.status = status;
    document.statusChangedAt = new Date();
    document.claimedBy = null;
    document.claimedAt = null;
    document.reviewReasonCode = null;
    document.reviewedAt = null;
    document.reviewedBy = null;
    await this.store.repository(kind, manager).save(document);
  }
}
