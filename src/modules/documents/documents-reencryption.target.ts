import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { FieldCipher } from '#libs/common/crypto/field-cipher.js';
import { FileCipher } from '#libs/common/crypto/file-cipher.js';
import {
  countStaleField,
  type FieldColumn,
  reencryptFieldColumn,
  type ReencryptionTarget,
  ReencryptsData,
} from '#libs/common/crypto/reencryption.js';
import { DocumentStore } from './document-store.js';
import { DocumentFileEntity, FILE_STORAGE_FORMAT } from './files/document-file.entity.js';
import { FileStore } from './files/file-store.js';

const FILES = 'document_files';

/**
 * Document numbers (one table per owner kind; same associated data as DocumentsService) and
 * the bytes of document files (every variant of a file moves in one transaction, then the
 * file's `key_id` says so), for `keys:rotate`. A variant sealed in chunks (format 2) is opened
 * and sealed again chunk by chunk under the active key, its header and chunks replaced in place;
 * a whole-file ciphertext from before chunking (format 1) is rewritten in chunks (format 2). Blind indexes have their own stable key and
 * are left alone.
 */
@Injectable()
@ReencryptsData()
export class DocumentsReencryptionTarget implements ReencryptionTarget {
  constructor(
    private readonly dataSource: DataSource,
    private readonly store: DocumentStore,
    private readonly files: FileStore,
    private readonly fieldCipher: FieldCipher,
    private readonly fileCipher: FileCipher,
  ) {}

  units(): string[] {
    return [...this.numberColumns().map((spec) => `${spec.table}.${spec.column}`), FILES];
  }

  reencryptBatch(unit: string, limit: number): Promise<number> {
    return unit === FILES
      ? this.reencryptFiles(limit)
      : reencryptFieldColumn(this.dataSource, this.spec(unit), this.fieldCipher, limit);
  }

  async countStale(unit: string): Promise<number> {
    if (unit !== FILES) return countStaleField(this.dataSource, this.spec(unit), this.fieldCipher);
    return this.dataSource
      .getRepository(DocumentFileEntity)
      .createQueryBuilder('f')
      .where('f.keyId <> :keyId', { keyId: this.fileCipher.keyId })
      .getCount();
  }

  private async reencryptFiles(limit: number): Promise<number> {
    return this.dataSource.transaction(async (manager) => {
      const stale = await manager
        .getRepository(DocumentFileEntity)
        .createQueryBuilder('f')
        .select(['f.id'])
        .where('f.keyId <> :keyId', { keyId: this.fileCipher.keyId })
        .orderBy('f.id')
        .limit(limit)
        .setLock('pessimistic_write')
        .setOnLocked('skip_locked')
        .getMany();
      for (const { id } of stale) {
        for (const stored of await this.files.variants(id, manager)) {
          // Format 1 (a whole-file ciphertext from before chunking) is rewritten in chunks even
          // when its key is current; a format-2 variant already under the current key is left.
          if (
            stored.format === FILE_STORAGE_FORMAT.chunked &&
            FileCipher.keyIdOf(stored.header) === this.fileCipher.keyId
          ) {
            continue;
          }
          try {
            const resealed = this.fileCipher.reseal(
              stored.header,
              stored.chunks,
              `document_files:${id}:${stored.variant}`,
            );
            await this.files.replace(id, stored.variant, resealed.header, resealed.chunks, manager);
          } catch (error) {
            throw new Error(
              `document file ${id} (${stored.variant}) does not decrypt with any configured key ` +
                `(${error instanceof Error ? error.message : String(error)}); nothing in this batch was changed.`,
              { cause: error },
            );
          }
        }
        await manager.update(DocumentFileEntity, { id }, { keyId: this.fileCipher.keyId });
      }
      return stale.length;
    });
  }

  private numberColumns(): FieldColumn[] {
    return this.store.registry.all().map((kind) => {
      const table = this.store.tableName(kind.kind);
      return {
        table,
        column: 'number_ciphertext',
        context: (row: { id: string }) => `${table}:${row.id}:number`,
      };
    });
  }

  private spec(unit: string): FieldColumn {
    const spec = this.numberColumns().find((found) => `${found.table}.${found.column}` === unit);
    if (!spec) throw new Error(`Unknown unit ${unit}`);
    return spec;
  }
}
