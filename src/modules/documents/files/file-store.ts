import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { DocumentFileBlobEntity, type DocumentFileVariant } from './document-file.entity.js';

/**
 * Where the (already encrypted) bytes of document files live. The PostgreSQL store keeps them in
 * `document_file_blobs` inside the caller's transaction, so metadata and bytes commit together
 * and go together (FK cascade). An object-storage implementation would `put` before the
 * metadata commits and delete orphans (keys without a `document_files` row) in a sweep.
 */
export abstract class FileStore {
  abstract put(
    fileId: string,
    variant: DocumentFileVariant,
    ciphertext: Buffer,
    manager?: EntityManager,
  ): Promise<void>;
  /** The ciphertext, or null when the variant does not exist. */
  abstract get(fileId: string, variant: DocumentFileVariant): Promise<Buffer | null>;
  /** Overwrites an existing variant (key rotation), inside the caller's transaction. */
  abstract replace(
    fileId: string,
    variant: DocumentFileVariant,
    ciphertext: Buffer,
    manager: EntityManager,
  ): Promise<void>;
  /** Every variant of a file with its ciphertext, read inside the caller's transaction. */
  abstract variants(
    fileId: string,
    manager: EntityManager,
  ): Promise<Array<{ variant: DocumentFileVariant; ciphertext: Buffer }>>;
  /** Removes every variant of the files (a no-op for PostgreSQL: the FK cascade did it). */
  abstract remove(fileIds: readonly string[], manager?: EntityManager): Promise<void>;
}

@Injectable()
export class PostgresFileStore extends FileStore {
  constructor(private readonly dataSource: DataSource) {
    super();
  }

  async put(
    fileId: string,
    variant: DocumentFileVariant,
    ciphertext: Buffer,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<void> {
    await manager.getRepository(DocumentFileBlobEntity).insert({ fileId, variant, ciphertext });
  }

  async get(fileId: string, variant: DocumentFileVariant): Promise<Buffer | null> {
    const row = await this.dataSource
      .getRepository(DocumentFileBlobEntity)
      .findOne({ where: { fileId, variant }, select: { ciphertext: true, fileId: true } });
    return row?.ciphertext ?? null;
  }

  async replace(
    fileId: string,
    variant: DocumentFileVariant,
    ciphertext: Buffer,
    manager: EntityManager,
  ): Promise<void> {
    await manager.getRepository(DocumentFileBlobEntity).update({ fileId, variant }, { ciphertext });
  }

  variants(
    fileId: string,
    manager: EntityManager,
  ): Promise<Array<{ variant: DocumentFileVariant; ciphertext: Buffer }>> {
    return manager.getRepository(DocumentFileBlobEntity).find({
      where: { fileId },
      select: { fileId: true, variant: true, ciphertext: true },
      lock: { mode: 'pessimistic_write' },
    });
  }

  remove(): Promise<void> {
    return Promise.resolve();
  }
}
