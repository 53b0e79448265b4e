import { createHash } from 'node:crypto';
import type { fileTypeFromBuffer as FileTypeFromBuffer } from 'file-type';
import pLimit, { type LimitFunction } from 'p-limit';
import type { default as SharpFactory, Sharp } from 'sharp';
import {
  activeContentInPdf,
  emptyFile,
  imageTooLarge,
  unreadableFile,
  unsupportedMediaType,
} from './document-file.problems.js';
import { encodedThroughPipe, ImageOutputPipes } from './image-output-pipes.js';
import { deprioritiseLibvipsThreads } from './libvips-threads.js';

/** What is accepted, by content (magic bytes). */
export const ACCEPTED_CONTENT_TYPES = [
  'image/jpeg',
  'image/png',
  'image/webp',
  'application/pdf',
] as const;
export type AcceptedContentType = (typeof ACCEPTED_CONTENT_TYPES)[number];

/** Largest decoded image (pixels): a 50 MP scan is plenty; a PNG bomb's header says more. */
export const MAX_INPUT_PIXELS = 50_000_000;
/** Long side of the reviewer's preview. */
export const PREVIEW_MAX_SIDE = 1600;

/** What is known of a stored file once its bytes have been read to the end. */
export interface StoredFileFacts {
  sizeBytes: number;
  sha256: string;
  width: number | null;
  height: number | null;
}

/** A file on its way to the store: typed, its bytes produced as they are read. */
export interface FileToStore {
  contentType: AcceptedContentType;
  /**
   * The bytes to store, re-encoded without metadata (images) or as uploaded (PDF), in pieces as
   * they are produced; throws a problem (422) where the image turns out unreadable midway.
   */
  chunks: AsyncIterable<Buffer>;
  /** Size, sha256 and dimensions; only once `chunks` has been read to the end. */
  facts(): StoredFileFacts;
}

interface ImageLibraries {
  sharp: typeof SharpFactory;
  fileTypeFromBuffer: typeof FileTypeFromBuffer;
}
let imageLibraries: Promise<ImageLibraries> | undefined;

/**
 * libvips decodes an image it must read out of order (one to be turned upright) to a temporary
 * file, not to memory, once the raster is over its "disc threshold" (100 MB by default, i.e. a
 * ~34 MP RGB scan): the clear pixels of an identity document on disk. The threshold is set far
 * above anything the pixel limit lets through (50 MP × 4 bands × 2 bytes = 400 MB), so such an
 * image is decoded in memory; libvips reads it (once) when it first loads an image. libvips
 * understands k, m and g.
 */
export const VIPS_DISC_THRESHOLD = '1000g';

/**
 * sharp (libvips) and file-type, loaded by the first upload or preview rather than at start-up:
 * they were ~5 % of the time to ready and ~13 MB of an idle instance's RSS.
 */
function loadImageLibraries(): Promise<ImageLibraries> {
  if (imageLibraries) return imageLibraries;
  process.env.VIPS_DISC_THRESHOLD = VIPS_DISC_THRESHOLD; // before libvips loads (see above)
  imageLibraries = Promise.all([import('sharp'), import('file-type')]).then(
    ([{ default: sharp }, { fileTypeFromBuffer }]) => {
      sharp.cache(false);
      sharp.concurrency(1);
      return { sharp, fileTypeFromBuffer };
    },
  );
  return imageLibraries;
}

/**
 * Decides the type from the bytes, re-encodes images (auto-rotated, no EXIF/GPS/XMP/ICC, pixel
 * limit against decompression bombs) and refuses PDFs with active content. Image work runs on
 * libuv threads (sharp is async), through a gate so a burst of uploads cannot take every thread
 * (password hashing and DNS share the pool) nor hold every decoded image in memory at once.
 */
export class FileContentProcessor {
  private readonly gate: LimitFunction;

  constructor(
    concurrency: number,
    private readonly pipes: ImageOutputPipes = new ImageOutputPipes(),
  ) {
    this.gate = pLimit(concurrency);
  }

  /**
   * Types `bytes` by content and hands their stored form to `store`, which reads it as it is
   * produced (an image is re-encoded into the store's writes, never held whole) and returns once
   * it has stored it. An image's `store` runs inside the image gate: its encode is running.
   */
  async process<T>(bytes: Buffer, store: (file: FileToStore) => Promise<T>): Promise<T> {
    if (bytes.length === 0) throw emptyFile();
    const { fileTypeFromBuffer } = await loadImageLibraries();
    const detected = await fileTypeFromBuffer(bytes);
    const contentType = ACCEPTED_CONTENT_TYPES.find((type) => type === detected?.mime);
    if (!contentType) throw unsupportedMediaType(detected?.mime ?? null);
    if (contentType === 'application/pdf') {
      const active = activeContentOf(bytes);
      if (active) throw activeContentInPdf(active);
      return store(
        measured(contentType, function* () {
          yield* sliced(bytes);
          return { width: null, height: null };
        }),
      );
    }
    const image = await openImage(bytes, contentType);
    return this.gate(async () => {
      const pipe = await this.pipes.acquire();
      const file = measured(contentType, () =>
        pipe ? encodedThroughPipeAs(contentType, pipe, image) : encodedToBuffer(contentType, image),
      );
      try {
        return await store(file);
      } finally {
        // Whatever `store` did with the pieces, the encode and every end of the pipe are done
        // before the pipe serves another image (a no-op when the pieces were read to the end).
        await file.chunks[Symbol.asyncIterator]().return?.();
        if (pipe) this.pipes.release(pipe);
        deprioritiseLibvipsThreads();
      }
    });
  }

  /**
   * The reviewer's preview (JPEG, long side ≤ 1600 px, on white) of a stored image, made from
   * its re-encoded bytes (already turned upright, no metadata) on the first staff read rather
   * than during the upload: libvips' working set for a second pipeline is what kept an upload
   * over its memory bound. JPEG and WebP are decoded at 1/2, 1/4 or 1/8 scale (shrink-on-load).
   */
  async preview(stored: AsyncIterable<Buffer>, contentType: string): Promise<Buffer> {
    const { sharp } = await loadImageLibraries();
    return this.gate(async () => {
      const parts: Buffer[] = [];
      for await (const part of stored) parts.push(part);
      try {
        return await sharp(Buffer.concat(parts), {
          limitInputPixels: MAX_INPUT_PIXELS,
          sequentialRead: true,
        })
          .resize(PREVIEW_MAX_SIDE, PREVIEW_MAX_SIDE, { fit: 'inside', withoutEnlargement: true })
          .flatten({ background: '#ffffff' })
          .jpeg({ quality: 80, optimiseCoding: false })
          .toBuffer();
      } catch {
        throw unreadableFile(contentType);
      } finally {
        deprioritiseLibvipsThreads();
      }
    });
  }
}

/** Bytes of a stored PDF per piece handed to the store (hashed and sealed piece by piece). */
const PDF_PIECE_BYTES = 256 * 1024;

function* sliced(bytes: Buffer): Generator<Buffer> {
  for (let start = 0; start < bytes.length; start += PDF_PIECE_BYTES) {
    yield bytes.subarray(start, start + PDF_PIECE_BYTES);
  }
}

type Dimensions = Pick<StoredFileFacts, 'width' | 'height'>;

/**
 * The pieces of `produce()`, hashed and counted as they pass; its facts once they have all
 * passed. Each piece is hashed when the store asks for the next, so hashing a file never holds
 * the event loop for more than a piece.
 */
function measured(
  contentType: AcceptedContentType,
  produce: () => AsyncGenerator<Buffer, Dimensions> | Generator<Buffer, Dimensions>,
): FileToStore {
  const hash = createHash('sha256');
  let sizeBytes = 0;
  let facts: StoredFileFacts | null = null;
  return {
    contentType,
    chunks: (async function* () {
      const { width, height } = yield* withHashing(produce());
      facts = { sizeBytes, sha256: hash.digest('hex'), width, height };
    })(),
    facts: () => {
      if (!facts) throw new Error('The file was not read to the end');
      return facts;
    },
  };

  async function* withHashing(
    pieces: AsyncGenerator<Buffer, Dimensions> | Generator<Buffer, Dimensions>,
  ): AsyncGenerator<Buffer, Dimensions> {
    for (;;) {
      const next = await pieces.next();
      if (next.done) return next.value;
      hash.update(next.value);
      sizeBytes += next.value.length;
      yield next.value;
    }
  }
}

/**
 * Names in a PDF that run code or act on open. Names may hide letters as `#xx` escapes
 * (`/J#61vaScript`), so escapes are decoded first. Streams compressed inside object streams are
 * not inflated: a file that hides its JavaScript there still only ever leaves as an attachment
 * under `Content-Security-Policy: sandbox`.
 */
const ACTIVE_NAMES = ['JavaScript', 'JS', 'Launch', 'RichMedia'];

/** Bytes of the PDF decoded to text at a time, so the check never holds the file as a string. */
const SCAN_WINDOW_BYTES = 1024 * 1024;
/**
 * Text carried into the next window: a name that starts near a window's end is tested again
 * whole (an escaped active name is ~30 characters); the last `SCAN_HOLD_BACK` characters are not
 * tested until the next window, so "/JSON" cut as "/JS" | "ON" is not taken for "/JS".
 */
const SCAN_OVERLAP = 576;
const SCAN_HOLD_BACK = 64;

export function activeContentOf(bytes: Buffer): string | null {
  let carry = '';
  for (let start = 0; start < bytes.length || start === 0; start += SCAN_WINDOW_BYTES) {
    const end = Math.min(bytes.length, start + SCAN_WINDOW_BYTES);
    const last = end === bytes.length;
    const window = carry + bytes.toString('latin1', start, end);
    const tested = last ? window : window.slice(0, Math.max(0, window.length - SCAN_HOLD_BACK));
    const found = activeNameIn(tested);
    if (found) return found;
    if (last) break;
    carry = window.slice(-SCAN_OVERLAP);
  }
  return null;
}

function activeNameIn(raw: string): string | null {
  const text = raw.replace(/\/[^\s/<>[\]()%{}]*/g, (name) =>
    name.replace(/#([0-9A-Fa-f]{2})/g, (_, hex: string) =>
      String.fromCharCode(Number.parseInt(hex, 16)),
    ),
  );
  for (const name of ACTIVE_NAMES) {
    if (new RegExp(`/${name}(?![A-Za-z0-9])`).test(text)) return name;
  }
  return null;
}

/**
 * Memory: the aim is neither the upload nor the re-encoded file whole twice, and no decoded
 * raster. An image whose EXIF orientation is 1 (or absent) is read sequentially
 * (`sequentialRead`), so libvips streams it through the encoder in strips instead of decoding it
 * whole; only an image that must be turned is decoded whole (rotation needs random access). The
 * encoder writes into a pipe the store reads as it goes (`encodedThroughPipe`), so the new file
 * never exists whole in memory. The JPEG encoder runs without mozjpeg, progressive or optimised
 * Huffman tables: each of those makes libjpeg keep every DCT coefficient of the image (tens of
 * MB for a 20 MP photo) for a second pass, for a file a few percent smaller. No preview here: it
 * is made on the first staff read (`FileContentProcessor.preview`).
 */
async function openImage(input: Buffer, contentType: ImageContentType): Promise<Sharp> {
  const { sharp } = await loadImageLibraries();
  // Reads the header only (no pixels): is there an orientation to apply?
  const { orientation } = await asProblem(
    sharp(input, { limitInputPixels: MAX_INPUT_PIXELS }).metadata(),
    contentType,
  );
  const turn = orientation !== undefined && orientation > 1;
  const image = sharp(input, {
    limitInputPixels: MAX_INPUT_PIXELS,
    failOn: 'warning',
    sequentialRead: !turn,
  });
  // sharp writes no EXIF, XMP, IPTC or ICC unless asked (withMetadata/keepMetadata), and
  // converts to sRGB; the orientation is applied to the pixels by rotate().
  const pipeline: Sharp = turn ? image.rotate() : image;
  return contentType === 'image/jpeg'
    ? pipeline.jpeg({ quality: 90, optimiseCoding: false })
    : contentType === 'image/png'
      ? pipeline.png({ compressionLevel: 6 })
      : pipeline.webp({ quality: 90 });
}

type ImageContentType = Exclude<AcceptedContentType, 'application/pdf'>;

/** The encoded image through a pipe, as libvips writes it; its dimensions at the end. */
async function* encodedThroughPipeAs(
  contentType: ImageContentType,
  pipe: string,
  image: Sharp,
): AsyncGenerator<Buffer, Dimensions> {
  const info = yield* encodedThroughPipe(pipe, (path) =>
    asProblem(image.toFile(path), contentType),
  );
  return { width: info.width, height: info.height };
}

/** Where no pipe can be made: the encoded image as one buffer. */
async function* encodedToBuffer(
  contentType: ImageContentType,
  image: Sharp,
): AsyncGenerator<Buffer, Dimensions> {
  const { data, info } = await asProblem(image.toBuffer({ resolveWithObject: true }), contentType);
  yield data;
  return { width: info.width, height: info.height };
}

/** libvips' refusals as problems: over the pixel limit (413-like 422) or unreadable. */
async function asProblem<T>(work: Promise<T>, contentType: ImageContentType): Promise<T> {
  try {
    return await work;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (/pixel limit/i.test(message)) throw imageTooLarge(MAX_INPUT_PIXELS);
    throw unreadableFile(contentType);
  }
}
