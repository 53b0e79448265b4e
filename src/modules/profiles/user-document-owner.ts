import { Injectable, type OnModuleInit } from '@nestjs/common';
import {
  DocumentOwnerRegistry,
  type DocumentOwnerKind,
} from '#modules/documents/document-owner.js';
import { USER_DOCUMENTS_DUPLICATE_CONSTRAINT, UserDocumentEntity } from './user-document.entity.js';

/**
 * Owner kind `user` of the document piece: `user_documents`, owned by the account holder.
 * The owner id is the user id, so the account holder is the owner itself.
 */
@Injectable()
export class UserDocumentOwner implements DocumentOwnerKind<UserDocumentEntity>, OnModuleInit {
  readonly kind = 'user' as const;
  readonly entity = UserDocumentEntity;
  readonly ownerProperty = 'userId' as const;
  readonly resourceType = 'user_document';
  readonly duplicateConstraint = USER_DOCUMENTS_DUPLICATE_CONSTRAINT;
  readonly accountOwnersSql = 'SELECT $1::uuid';

  constructor(private readonly registry: DocumentOwnerRegistry) {}

  onModuleInit(): void {
    this.registry.register(this);
  }

  accountHoldersOf(ownerIds: readonly string[]): Promise<Map<string, string>> {
    return Promise.resolve(new Map(ownerIds.map((id) => [id, id])));
  }
}
