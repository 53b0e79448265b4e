import { describe, expect, it } from '@jest/globals';
import { maskSecret } from '#libs/common/crypto/field-cipher.js';
import {
  toAdminDocumentResponse,
  toDocumentResponse,
  toReviewResponse,
} from './document.mapper.js';
import { compactNumber } from './documents.service.js';
import type { DocumentReviewEntity } from './document-review.entity.js';
import type { TravelDocumentBase } from './travel-document.base.js';

const NUMBER = 'X12345678';

function document(overrides: Partial<TravelDocumentBase> = {}): TravelDocumentBase {
  return {
    id: '0b6f2d1e-4a53-4d8e-9e2c-1d2f3a4b5c6d',
    documentType: 'passport',
    numberCiphertext: 'v1.abcd1234.iv.tag.ciphertext',
    numberIndex: 'f'.repeat(64),
    numberMasked: maskSecret(NUMBER),
    issuingCountry: 'FR',
    issuingAuthority: 'Préfecture de Paris',
    nationality: 'FR',
    holderName: 'Camille Martin',
    dateOfBirth: '1990-04-01',
    issueDate: '2020-01-01',
    expiryDate: '2030-01-01',
    extraData: {},
    visaCountry: null,
    visaType: null,
    visaEntries: null,
    visaPurpose: null,
    validFrom: null,
    status: 'verified',
    statusChangedAt: new Date('2026-01-02T00:00:00Z'),
    claimedBy: 'a0000000-0000-4000-8000-000000000001',
    claimedAt: new Date('2026-01-01T12:00:00Z'),
    reviewReasonCode: 'document_valid',
    reviewedAt: new Date('2026-01-02T00:00:00Z'),
    reviewedBy: 'a0000000-0000-4000-8000-000000000001',
    version: 3,
    createdAt: new Date('2026-01-01T00:00:00Z'),
    updatedAt: new Date('2026-01-02T00:00:00Z'),
    ...overrides,
  };
}

describe('document responses (masking)', () => {
  it('the owner view carries the masked number and no secret material', () => {
    const response = toDocumentResponse(document());
    const text = JSON.stringify(response);
    expect(response.numberMasked).toBe('••••5678');
    expect(text).not.toContain(NUMBER);
    expect(text).not.toContain('ciphertext');
    expect(text).not.toContain('f'.repeat(64));
    expect(Object.keys(response)).not.toEqual(
      expect.arrayContaining(['numberCiphertext', 'numberIndex', 'claimedBy', 'reviewedBy']),
    );
  });

  it('the owner view has exactly the allow-listed fields', () => {
    expect(Object.keys(toDocumentResponse(document())).sort()).toEqual(
      [
        'id',
        'type',
        'numberMasked',
        'issuingCountry',
        'issuingAuthority',
        'nationality',
        'holderName',
        'dateOfBirth',
        'issueDate',
        'expiryDate',
        'extraData',
        'visa',
        'status',
        'statusChangedAt',
        'reviewReasonCode',
        'reviewedAt',
        'version',
        'createdAt',
        'updatedAt',
      ].sort(),
    );
  });

  it('the admin view is masked too', () => {
    const response = toAdminDocumentResponse('user', 'owner', 'owner', document());
    expect(JSON.stringify(response)).not.toContain(NUMBER);
    expect(response.numberMasked).toBe('••••5678');
    expect(response.kind).toBe('user');
  });

  it('review notes appear only in the staff review view', () => {
    const review = {
      id: 'r',
      documentKind: 'user',
      documentId: 'd',
      reviewerId: 'a',
      decision: 'reject',
      reasonCode: 'illegible',
      note: 'internal: blurry scan',
      fromStatus: 'in_review',
      createdAt: new Date('2026-01-01T00:00:00Z'),
    } as DocumentReviewEntity;
    expect(toReviewResponse(review).note).toBe('internal: blurry scan');
    expect(JSON.stringify(toDocumentResponse(document()))).not.toContain('internal');
  });

  it.each([
    ['X1234567', '••••4567'],
    ['ab-12 34-56', '••••3456'],
    ['12345', '••••'],
  ])('masks %s as %s (compact form, last 4)', (number, masked) => {
    expect(maskSecret(compactNumber(number))).toBe(masked);
  });
});
