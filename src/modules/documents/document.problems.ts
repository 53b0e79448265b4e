import {
  conflict,
  notFound,
  ProblemException,
  unprocessable,
} from '#libs/common/errors/problem.exception.js';
import type { DocumentEvent } from './document-lifecycle.js';
import type { DocumentStatus } from './document-vocabulary.js';

export const documentNotFound = (): ProblemException =>
  notFound('DOCUMENT_NOT_FOUND', 'No such document.');

export const documentExpired = (expiryDate: string): ProblemException =>
  unprocessable('DOCUMENT_EXPIRED', `The document expired on ${expiryDate}.`, {
    errors: { expiryDate: ['expiryDate is in the past'] },
  });

export const invalidTransition = (from: DocumentStatus, event: DocumentEvent): ProblemException =>
  conflict(
    'INVALID_DOCUMENT_TRANSITION',
    `A document that is ${from.replace('_', ' ')} cannot be ${PAST[event]}.`,
    { documentStatus: from, event },
  );

const PAST: Record<DocumentEvent, string> = {
  claim: 'claimed',
  verify: 'verified',
  reject: 'rejected',
  rectify: 'rectified',
  expire: 'expired',
};
