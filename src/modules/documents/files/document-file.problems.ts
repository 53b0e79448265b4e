import {
  badRequest,
  conflict,
  notFound,
  ProblemException,
  unprocessable,
} from '#libs/common/errors/problem.exception.js';

export const MAX_FILES_PER_DOCUMENT = 6;

export const fileNotFound = (): ProblemException =>
  notFound('DOCUMENT_FILE_NOT_FOUND', 'No such file on this document.');

export const previewNotAvailable = (): ProblemException =>
  notFound('PREVIEW_NOT_AVAILABLE', 'Only images have a preview; download the file itself.');

export const unsupportedMediaType = (detected: string | null): ProblemException =>
  new ProblemException(
    415,
    'UNSUPPORTED_MEDIA_TYPE',
    'Only JPEG, PNG, WebP and PDF files are accepted (decided from the file content).',
    { accepted: ['image/jpeg', 'image/png', 'image/webp', 'application/pdf'], detected },
  );

export const multipartRequired = (): ProblemException =>
  new ProblemException(
    415,
    'UNSUPPORTED_MEDIA_TYPE',
    'Upload the file as multipart/form-data with a part "file" and a field "side".',
    { accepted: ['multipart/form-data'] },
  );

export const fileTooLarge = (maxBytes: number): ProblemException =>
  new ProblemException(
    413,
    'FILE_TOO_LARGE',
    `The file is larger than ${maxBytes} bytes (${(maxBytes / 1024 / 1024).toFixed(1)} MiB).`,
    { maxBytes },
  );

export const tooManyFiles = (): ProblemException =>
  conflict(
    'TOO_MANY_FILES',
    `A document holds at most ${MAX_FILES_PER_DOCUMENT} files; delete one first.`,
    { maxFiles: MAX_FILES_PER_DOCUMENT },
  );

export const emptyFile = (): ProblemException =>
  badRequest('EMPTY_FILE', 'The file is empty.', { errors: { file: ['file is empty'] } });

export const unreadableFile = (contentType: string): ProblemException =>
  unprocessable(
    'FILE_UNREADABLE',
    `The file looks like ${contentType} but cannot be decoded (truncated or corrupt).`,
  );

export const imageTooLarge = (maxPixels: number): ProblemException =>
  unprocessable('IMAGE_DIMENSIONS_TOO_LARGE', `The image has more than ${maxPixels} pixels.`, {
    maxPixels,
  });

export const activeContentInPdf = (name: string): ProblemException =>
  unprocessable(
    'PDF_ACTIVE_CONTENT',
    `The PDF contains active content (/${name}); print or export it to a plain PDF or an image.`,
  );

export const malformedUpload = (detail: string, field = 'file'): ProblemException =>
  badRequest('INVALID_MULTIPART', detail, { errors: { [field]: [detail] } });

export const evidenceRequired = (): ProblemException =>
  unprocessable(
    'DOCUMENT_EVIDENCE_REQUIRED',
    'A document can only be verified against a scan of its front (side "front").',
  );
