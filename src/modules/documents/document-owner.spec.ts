import { describe, expect, it } from '@jest/globals';
import { problemFromDatabaseError } from '#libs/common/errors/constraint-codes.js';
import { DocumentOwnerRegistry, type DocumentOwnerKind } from './document-owner.js';
import { TravelDocumentBase } from './travel-document.base.js';

class PetDocument extends TravelDocumentBase {
  petId: string;
}

const kind: DocumentOwnerKind<PetDocument> = {
  kind: 'traveler',
  entity: PetDocument,
  ownerProperty: 'petId',
  resourceType: 'pet_document',
  duplicateConstraint: 'uq_pet_documents_pet_id_number_index',
  accountOwnersSql: 'SELECT id FROM pets WHERE user_id = $1',
  accountHoldersOf: (ids) => Promise.resolve(new Map(ids.map((id) => [id, `holder-of-${id}`]))),
};

describe('document owner registry', () => {
  it('registers a kind and maps its duplicate constraint to 409 DOCUMENT_DUPLICATE', () => {
    const registry = new DocumentOwnerRegistry();
    expect(registry.has('traveler')).toBe(false);
    registry.register(kind);
    expect(registry.has('traveler')).toBe(true);
    expect(registry.get('traveler').resourceType).toBe('pet_document');
    expect(registry.all()).toHaveLength(1);

    const error = Object.assign(new Error('duplicate key'), {
      code: '23505',
      constraint: 'uq_pet_documents_pet_id_number_index',
    });
    const problem = problemFromDatabaseError(error);
    expect(problem?.getStatus()).toBe(409);
    expect(problem?.code).toBe('DOCUMENT_DUPLICATE');
  });

  it('refuses a kind registered twice and a kind never registered', () => {
    const registry = new DocumentOwnerRegistry();
    registry.register(kind);
    expect(() => registry.register(kind)).toThrow(/twice/);
    expect(() => registry.get('user')).toThrow(/not registered/);
  });
});
