import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { BlindIndexer, FieldCipher, maskSecret } from '#libs/common/crypto/field-cipher.js';
import { preconditionFailed } from '#libs/common/http/version-etag.js';
import { validationProblem } from '#libs/common/http/validation.js';
import { keysetPage, mapPage, type Page } from '#libs/common/pagination/pagination.js';
import { todayUtc } from '#libs/common/time/calendar-date.js';
import { isPastExpiry, nextStatus } from './document-lifecycle.js';
import { toDocumentResponse } from './document.mapper.js';
import { documentExpired, documentNotFound, invalidTransition } from './document.problems.js';
import { DocumentStore } from './document-store.js';
import type { DocumentKind } from './document-vocabulary.js';
import type { CreateDocumentDto, VisaDetailsDto } from './dto/create-document.dto.js';
import type { DocumentResponseDto } from './dto/document-response.dto.js';
import type { ListDocumentsQueryDto } from './dto/list-documents-query.dto.js';
import type { UpdateDocumentDto } from './dto/update-document.dto.js';
import type { TravelDocumentBase } from './travel-document.base.js';

/** The fields a rectification may change (everything the owner supplies). */
const CONTENT_FIELDS = [
  'issuingAuthority',
  'nationality',
  'holderName',
  'dateOfBirth',
  'issueDate',
  'expiryDate',
  'extraData',
] as const;

/** The visa columns of a request's `visa` (all null without one). */
function visaColumns(
  visa: VisaDetailsDto | null,
): Pick<
  TravelDocumentBase,
  'visaCountry' | 'visaType' | 'visaEntries' | 'visaPurpose' | 'validFrom'
> {
  return {
    visaCountry: visa?.country ?? null,
    visaType: visa?.visaType ?? null,
    visaEntries: visa?.entries ?? null,
    visaPurpose: visa?.purpose ?? null,
    validFrom: visa?.validFrom ?? null,
  };
}

/** A visa needs its details (country, entries, validFrom); other types take none (400). */
function assertVisaConsistent(document: TravelDocumentBase, visaSent: boolean): void {
  const isVisa = document.documentType === 'visa';
  if (isVisa && document.visaCountry === null) {
    throw validationProblem({
      visa: ['visa (country, entries, validFrom) is required for a visa'],
    });
  }
  if (!isVisa && (visaSent || document.visaCountry !== null)) {
    throw validationProblem({ visa: ['visa details are only for documents of type visa'] });
  }
  if (
    isVisa &&
    document.validFrom &&
    document.expiryDate &&
    document.validFrom > document.expiryDate
  ) {
    throw validationProblem({ 'visa.validFrom': ['validFrom must not be after expiryDate'] });
  }
}

/** The number as the masks and the blind index see it: no spaces or dashes, upper case. */
export function compactNumber(number: string): string {
  return number.replace(/[\s-]+/g, '').toUpperCase();
}

/**
 * Travel documents for one owner, whatever its kind. Callers (profiles for `user`, travelers
 * for `traveler`) pass the owner id they have already authorised; every query is scoped by it,
 * so another owner's document is simply not found (404).
 */
@Injectable()
export class DocumentsService {
  constructor(
    private readonly store: DocumentStore,
    private readonly cipher: FieldCipher,
    private readonly blindIndex: BlindIndexer,
  ) {}

  async create(
    kind: DocumentKind,
    ownerId: string,
    dto: CreateDocumentDto,
  ): Promise<DocumentResponseDto> {
    const today = todayUtc();
    const expiryDate = dto.expiryDate ?? null;
    const repository = this.store.repository(kind);
    const document = repository.create({
      id: randomUUID(),
      issuingCountry: dto.issuingCountry,
      documentType: dto.type,
      issuingAuthority: dto.issuingAuthority ?? null,
      nationality: dto.nationality ?? null,
      holderName: dto.holderName,
      dateOfBirth: dto.dateOfBirth ?? null,
      issueDate: dto.issueDate ?? null,
      expiryDate,
      extraData: dto.extraData ?? {},
      ...visaColumns(dto.visa ?? null),
      status: 'pending',
      statusChangedAt: new Date(),
    });
    Object.assign(document, { [this.store.kind(kind).ownerProperty]: ownerId });
    this.assertDatesConsistent(document);
    assertVisaConsistent(document, dto.visa !== undefined && dto.visa !== null);
    if (isPastExpiry(expiryDate, today)) throw documentExpired(expiryDate as string);
    this.setNumber(kind, document, dto.number);
    const saved = await repository.save(document);
    return toDocumentResponse(saved);
  }

  async list(
    kind: DocumentKind,
    ownerId: string,
    query: ListDocumentsQueryDto,
  ): Promise<Page<DocumentResponseDto>> {
    await this.store.expireOverdue(kind, { ownerId });
    const builder = this.store.ownedQuery(kind, ownerId);
    if (query.type) builder.andWhere('d.documentType = :type', { type: query.type });
    if (query.status) builder.andWhere('d.status = :status', { status: query.status });
    const page = await keysetPage(builder, {
      alias: 'd',
      limit: query.limit,
      cursor: query.cursor,
    });
    return mapPage(page, toDocumentResponse);
  }

  async get(kind: DocumentKind, ownerId: string, id: string): Promise<DocumentResponseDto> {
    return toDocumentResponse(await this.load(kind, ownerId, id));
  }

  /**
   * Owner edit. Content changes are a rectification: the document goes back to `pending`, the
   * previous decision and claim are cleared. `expectedVersion` (from If-Match) is honoured when
   * given (412 on mismatch).
   */
  async update(
    kind: DocumentKind,
    ownerId: string,
    id: string,
    dto: UpdateDocumentDto,
    expectedVersion?: number,
  ): Promise<DocumentResponseDto> {
    await this.store.expireOverdue(kind, { ownerId, id });
    return this.store.dataSource.transaction(async (manager) => {
      const document = await this.lockOwned(kind, ownerId, id, manager);
      if (expectedVersion !== undefined && expectedVersion !== document.version) {
        throw preconditionFailed(document.version, 'document');
      }
      const changed = this.applyChanges(kind, document, dto);
      if (!changed) return toDocumentResponse(document);
      this.assertDatesConsistent(document);
      assertVisaConsistent(document, dto.visa !== undefined && dto.visa !== null);
      if (isPastExpiry(document.expiryDate, todayUtc())) {
        throw documentExpired(document.expiryDate as string);
      }
      const status = nextStatus(document.status, 'rectify');
      if (status === null) throw invalidTransition(document.status, 'rectify');
      if (status !== document.status) document.statusChangedAt = new Date();
      document.status = status;
      document.claimedBy = null;
      document.claimedAt = null;
      document.reviewReasonCode = null;
      document.reviewedAt = null;
      document.reviewedBy = null;
      const saved = await this.store.repository(kind, manager).save(document);
      return toDocumentResponse(saved);
    });
  }

  async remove(kind: DocumentKind, ownerId: string, id: string): Promise<void> {
    const result = await this.store
      .repository(kind)
      .createQueryBuilder()
      .delete()
      .where('id = :id', { id })
      .andWhere(`${this.store.ownerColumn(kind)} = :ownerId`, { ownerId })
      .execute();
    if (!result.affected) throw documentNotFound();
  }

  /** Loads one owned document after applying the expiry rule (persisted). */
  private async load(kind: DocumentKind, ownerId: string, id: string): Promise<TravelDocumentBase> {
    await this.store.expireOverdue(kind, { ownerId, id });
    const document = await this.store
      .ownedQuery(kind, ownerId)
      .andWhere('d.id = :id', { id })
      .getOne();
    if (!document) throw documentNotFound();
    return document;
  }

  private async lockOwned(
    kind: DocumentKind,
    ownerId: string,
    id: string,
    manager: EntityManager,
  ): Promise<TravelDocumentBase> {
    const document = await this.store
      .ownedQuery(kind, ownerId, manager)
      .andWhere('d.id = :id', { id })
      .setLock('pessimistic_write')
      .getOne();
    if (!document) throw documentNotFound();
    return document;
  }

  /** Applies the DTO; returns whether anything the owner sees changed. */
  private applyChanges(
    kind: DocumentKind,
    document: TravelDocumentBase,
    dto: UpdateDocumentDto,
  ): boolean {
    let changed = false;
    const nextType = dto.type ?? document.documentType;
    const nextCountry = dto.issuingCountry ?? document.issuingCountry;
    const currentNumber = this.decryptNumber(kind, document);
    const nextNumber = dto.number ?? currentNumber;
    if (
      nextType !== document.documentType ||
      nextCountry !== document.issuingCountry ||
      nextNumber !== currentNumber
    ) {
      document.documentType = nextType;
      document.issuingCountry = nextCountry;
      this.setNumber(kind, document, nextNumber);
      changed = true;
    }
    // A new `visa` replaces the visa columns; null (or leaving type visa) clears them.
    const visa = dto.visa === undefined && nextType !== 'visa' ? null : dto.visa;
    if (visa !== undefined) {
      const columns = visaColumns(visa);
      for (const [field, value] of Object.entries(columns)) {
        if (document[field as keyof typeof columns] !== value) {
          Object.assign(document, columns);
          changed = true;
          break;
        }
      }
    }
    for (const field of CONTENT_FIELDS) {
      const value = dto[field];
      if (value === undefined) continue;
      const next = field === 'extraData' ? (value ?? {}) : value;
      if (JSON.stringify(next) !== JSON.stringify(document[field])) {
        Object.assign(document, { [field]: next });
        changed = true;
      }
    }
    return changed;
  }

  private setNumber(kind: DocumentKind, document: TravelDocumentBase, number: string): void {
    document.numberCiphertext = this.cipher.encrypt(number, this.cipherContext(kind, document.id));
    document.numberIndex = this.blindIndex.digest(
      document.documentType,
      document.issuingCountry,
      compactNumber(number),
    );
    document.numberMasked = maskSecret(compactNumber(number));
  }

  /** Decrypts a document's number (reveal, rectification); never put it in an owner response. */
  decryptNumber(kind: DocumentKind, document: TravelDocumentBase): string {
    return this.cipher.decrypt(document.numberCiphertext, this.cipherContext(kind, document.id));
  }

  /** Binds each ciphertext to its table and row, so a ciphertext copied elsewhere won't decrypt. */
  private cipherContext(kind: DocumentKind, id: string): string {
    return `${this.store.tableName(kind)}:${id}:number`;
  }

  private assertDatesConsistent(document: TravelDocumentBase): void {
    const errors: Record<string, string[]> = {};
    if (document.issueDate && document.expiryDate && document.issueDate > document.expiryDate) {
      errors.expiryDate = ['expiryDate must not be before issueDate'];
    }
    if (document.dateOfBirth && document.issueDate && document.dateOfBirth > document.issueDate) {
      errors.issueDate = ['issueDate must not be before dateOfBirth'];
    }
    if (Object.keys(errors).length > 0) throw validationProblem(errors);
  }
}
