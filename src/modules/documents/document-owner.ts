import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { registerConstraint } from '#libs/common/errors/constraint-codes.js';
import type { TravelDocumentBase } from './travel-document.base.js';
import type { DocumentKind } from './document-vocabulary.js';

/** Property names of `E` whose value is a string (the owner id column, e.g. `userId`). */
export type OwnerKey<E> = {
  [K in keyof E]: E[K] extends string ? K : never;
}[keyof E] &
  string;

/**
 * One kind of document owner, plugged into the shared document piece by the module that owns
 * the owner: profiles registers `user` (table `user_documents`, owner `userId`), travelers
 * registers `traveler` (table `traveler_documents`, owner `travelerId`).
 *
 * The owner module keeps its own authorisation: it resolves the owner from the caller (the
 * user themself, or a traveler of theirs, 404 otherwise) BEFORE calling `DocumentsService`,
 * which then scopes every query by that owner id.
 */
export interface DocumentOwnerKind<E extends TravelDocumentBase = TravelDocumentBase> {
  readonly kind: DocumentKind;
  /** The entity class of the kind's table: `@Entity('x_documents') class … extends TravelDocumentBase`. */
  readonly entity: new () => E;
  /** The owner id property on that entity (`userId`, `travelerId`). */
  readonly ownerProperty: OwnerKey<E>;
  /** `resourceType` of audit events about these documents (`user_document`). */
  readonly resourceType: string;
  /**
   * Name of the kind's unique index on (owner, number_index); registered as 409
   * DOCUMENT_DUPLICATE when the kind is registered.
   */
  readonly duplicateConstraint: string;
  /**
   * SQL selecting the owner ids that belong to the account `$1` (a user id), for the account's
   * files in export, erasure and retention: `SELECT $1::uuid` for `user`, its travelers for
   * `traveler`.
   */
  readonly accountOwnersSql: string;
  /**
   * The account holder (user id) behind each owner id, for audit subjects and the admin view
   * (for `user` the owner id itself; for `traveler` the traveler's user). Unknown ids are left out.
   */
  accountHoldersOf(
    ownerIds: readonly string[],
    manager: EntityManager,
  ): Promise<Map<string, string>>;
}

/** The kinds plugged in so far. Owner modules call `register()` from `onModuleInit`. */
@Injectable()
export class DocumentOwnerRegistry {
  private readonly kinds = new Map<DocumentKind, DocumentOwnerKind>();

  register<E extends TravelDocumentBase>(kind: DocumentOwnerKind<E>): void {
    if (this.kinds.has(kind.kind)) {
      throw new Error(`Document owner kind "${kind.kind}" is registered twice`);
    }
    this.kinds.set(kind.kind, kind as unknown as DocumentOwnerKind);
    registerConstraint(
      kind.duplicateConstraint,
      409,
      'DOCUMENT_DUPLICATE',
      'A document of this type with this number and issuing country is already on file.',
    );
  }

  /** The kind, or an error: asking for a kind nobody registered is a programming error. */
  get(kind: DocumentKind): DocumentOwnerKind {
    const found = this.kinds.get(kind);
    if (!found) throw new Error(`Document owner kind "${kind}" is not registered`);
    return found;
  }

  has(kind: DocumentKind): boolean {
    return this.kinds.has(kind);
  }

  all(): DocumentOwnerKind[] {
    return [...this.kinds.values()];
  }
}
