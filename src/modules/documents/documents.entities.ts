import { DocumentReviewEntity } from './document-review.entity.js';
import {
  DocumentFileBlobEntity,
  DocumentFileChunkEntity,
  DocumentFileEntity,
} from './files/document-file.entity.js';

/** Tables the documents module owns itself; the document tables come with their owner kinds. */
export const DOCUMENTS_ENTITIES = [
  DocumentReviewEntity,
  DocumentFileEntity,
  DocumentFileBlobEntity,
  DocumentFileChunkEntity,
];
