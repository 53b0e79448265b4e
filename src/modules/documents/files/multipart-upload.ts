import type { MultipartFile, MultipartValue } from '@fastify/multipart';
import type { FastifyRequest } from 'fastify';
import { ProblemException } from '#libs/common/errors/problem.exception.js';
import { YoungGarbagePacer } from '#libs/common/memory/young-generation.js';
import { DOCUMENT_FILE_SIDES, type DocumentFileSide } from './document-file.entity.js';
import { fileTooLarge, malformedUpload, multipartRequired } from './document-file.problems.js';

/**
 * The uploaded bytes, handed over once: whoever `take`s them holds the only reference, so they
 * can be collected as soon as that code is done with them (not when the request ends).
 */
export class UploadedBytes {
  constructor(private bytes: Buffer | null) {}

  get length(): number {
    return this.bytes?.length ?? 0;
  }

  take(): Buffer {
    const bytes = this.bytes;
    if (!bytes) throw new Error('The uploaded bytes were already taken');
    this.bytes = null;
    return bytes;
  }
}

export interface ReceivedUpload {
  side: DocumentFileSide;
  bytes: UploadedBytes;
}

/** Busboy limits: one field and one file are expected; a little room to report extras. */
const PART_LIMITS = { files: 2, fields: 4, parts: 6, fieldSize: 256, headerPairs: 20 };

/**
 * Reads `multipart/form-data` with a field `side` first, then one part `file`. The file is
 * streamed into memory (never to disk) and cut off at `maxBytes` while it streams (busboy's
 * `fileSize` limit truncates and discards the rest). Its parts are copied into one buffer as
 * they arrive, sized from `Content-Length` (never more than `maxBytes`), so the file is never
 * held twice (parts plus their concatenation). Every part is read to the end even after a
 * mistake, so the client gets the problem, not a reset connection; the first mistake is thrown.
 */
export async function receiveUpload(
  request: FastifyRequest,
  maxBytes: number,
): Promise<ReceivedUpload> {
  if (!request.isMultipart()) throw multipartRequired();
  let side: string | undefined;
  let bytes: Buffer | undefined;
  let problem: ProblemException | undefined;
  const fail = (error: ProblemException): void => {
    problem ??= error;
  };
  try {
    // throwFileSizeLimit (read by @fastify/multipart, missing from its types): off, so the
    // truncated file is reported here after the rest of the body has been read.
    const options = {
      limits: { ...PART_LIMITS, fileSize: maxBytes },
      throwFileSizeLimit: false,
    } as Parameters<FastifyRequest['parts']>[0];
    const parts = request.parts(options);
    for await (const part of parts) {
      if (part.type === 'file') {
        const file = part as MultipartFile;
        if (file.fieldname !== 'file') {
          fail(malformedUpload(`Unexpected file part "${file.fieldname}"; send it as "file".`));
          file.file.resume();
          continue;
        }
        if (bytes !== undefined) {
          fail(malformedUpload('Send exactly one part "file" per upload.'));
          file.file.resume();
          continue;
        }
        const collected = new GrowingBuffer(
          Math.min(maxBytes, Number(request.headers['content-length']) || 1024 * 1024),
          maxBytes,
        );
        try {
          for await (const chunk of file.file) {
            if (problem) continue;
            collected.append(chunk as Buffer);
          }
        } finally {
          collected.close();
        }
        if (file.file.truncated) fail(fileTooLarge(maxBytes));
        bytes = problem ? Buffer.alloc(0) : collected.bytes();
      } else {
        const field = part as MultipartValue;
        if (bytes !== undefined) {
          fail(malformedUpload('Send the field "side" before the part "file".', field.fieldname));
        } else if (field.fieldname !== 'side') {
          fail(malformedUpload(`Unexpected field "${field.fieldname}".`, field.fieldname));
        } else if (side !== undefined) {
          fail(malformedUpload('Send the field "side" once.', 'side'));
        } else {
          side = String(field.value);
        }
      }
    }
  } catch (error) {
    throw problem ?? toProblem(error, maxBytes);
  }
  if (problem) throw problem;
  if (side === undefined) {
    throw malformedUpload(
      `The field "side" is required: one of ${DOCUMENT_FILE_SIDES.join(', ')}.`,
      'side',
    );
  }
  if (!DOCUMENT_FILE_SIDES.includes(side as DocumentFileSide)) {
    throw malformedUpload(`side must be one of: ${DOCUMENT_FILE_SIDES.join(', ')}`, 'side');
  }
  if (bytes === undefined) throw malformedUpload('The part "file" is missing.');
  return { side: side as DocumentFileSide, bytes: new UploadedBytes(bytes) };
}

/**
 * Bytes appended into one allocation: the expected size up front (the request's length); only a
 * body without `Content-Length` (chunked) grows it, by doubling, up to `limit`.
 */
class GrowingBuffer {
  private buffer: Buffer;
  private size = 0;
  /** The request's pieces die once copied here; they are collected every few MiB. */
  private readonly garbage = new YoungGarbagePacer();

  constructor(
    expected: number,
    private readonly limit: number,
  ) {
    this.buffer = Buffer.allocUnsafeSlow(Math.max(1, Math.min(expected, limit)));
  }

  append(chunk: Buffer): void {
    if (this.size + chunk.length > this.buffer.length) {
      const grown = Buffer.allocUnsafeSlow(
        Math.min(Math.max(this.buffer.length * 2, this.size + chunk.length), this.limit),
      );
      this.buffer.copy(grown, 0, 0, this.size);
      this.buffer = grown;
    }
    this.size += chunk.copy(this.buffer, this.size);
    this.garbage.passed(chunk.length);
  }

  bytes(): Buffer {
    return this.buffer.subarray(0, this.size);
  }

  /** Reading is over (whole, cut off or failed): stops pacing collections for it. */
  close(): void {
    this.garbage.close();
  }
}

/** The parser's own errors (limits, a body cut short) as problems. */
function toProblem(error: unknown, maxBytes: number): ProblemException {
  if (error instanceof ProblemException) return error;
  const code = (error as { code?: unknown }).code;
  if (code === 'FST_REQ_FILE_TOO_LARGE') return fileTooLarge(maxBytes);
  if (code === 'FST_PARTS_LIMIT' || code === 'FST_FILES_LIMIT' || code === 'FST_FIELDS_LIMIT') {
    return malformedUpload('Too many parts: send one field "side" and one part "file".');
  }
  return malformedUpload('The multipart body is malformed or was cut short.');
}
