import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import {
  DocumentOwnerRegistry,
  type DocumentOwnerKind,
} from '#modules/documents/document-owner.js';
import {
  TRAVELER_DOCUMENTS_DUPLICATE_CONSTRAINT,
  TravelerDocumentEntity,
} from './traveler-document.entity.js';
import { TravelersRepository } from './travelers.repository.js';

/**
 * Owner kind `traveler` of the document piece. The account holder of a traveler's documents
 * (the audit subject when staff read them) is the user who owns the traveler.
 */
@Injectable()
export class TravelerDocumentOwner
  implements DocumentOwnerKind<TravelerDocumentEntity>, OnModuleInit
{
  readonly kind = 'traveler' as const;
  readonly entity = TravelerDocumentEntity;
  readonly ownerProperty = 'travelerId' as const;
  readonly resourceType = 'traveler_document';
  readonly duplicateConstraint = TRAVELER_DOCUMENTS_DUPLICATE_CONSTRAINT;
  readonly accountOwnersSql = 'SELECT id FROM travelers WHERE user_id = $1';

  constructor(
    private readonly registry: DocumentOwnerRegistry,
    private readonly travelers: TravelersRepository,
  ) {}

  onModuleInit(): void {
    this.registry.register(this);
  }

  accountHoldersOf(
    travelerIds: readonly string[],
    manager: EntityManager,
  ): Promise<Map<string, string>> {
    return this.travelers.withManager(manager).ownersOf(travelerIds);
  }
}
