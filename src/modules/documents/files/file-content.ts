import { createHash } from 'node:crypto';
import { setImmediate as nextTurn } from 'node:timers/promises';
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

export interface PreparedFile {
  contentType: AcceptedContentType;
  /** The bytes to store: re-encoded without metadata (images) or as uploaded (PDF). */
  bytes: Buffer;
  sha256: string;
  width: number | null;
  height: number | null;
}

interface ImageLibraries {
  sharp: typeof SharpFactory;
  fileTypeFromBuffer: typeof FileTypeFromBuffer;
}
let imageLibraries: Promise<ImageLibraries> | undefined;

/**
 * sharp (libvips) and file-type, loaded by the first upload or preview rather than at start-up:
 * they were ~5 % of the time to ready and ~13 MB of an idle instance's RSS.
 */
function loadImageLibraries(): Promise<ImageLibraries> {
  imageLibraries ??= Promise.all([import('sharp'), import('file-type')]).then(
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

  constructor(concurrency: number) {
    this.gate = pLimit(concurrency);
  }

  async prepare(bytes: Buffer): Promise<PreparedFile> {
    if (bytes.length === 0) throw emptyFile();
    const { fileTypeFromBuffer } = await loadImageLibraries();
    const detected = await fileTypeFromBuffer(bytes);
    const contentType = ACCEPTED_CONTENT_TYPES.find((type) => type === detected?.mime);
    if (!contentType) throw unsupportedMediaType(detected?.mime ?? null);
    const prepared =
      contentType === 'application/pdf'
        ? preparePdf(bytes)
        : await this.gate(() => prepareImage(bytes, contentType));
    // Hashed after the image gate is released: the slices wait their turn on the event loop.
    return { ...prepared, sha256: await sha256InSlices(prepared.bytes) };
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
      }
    });
  }
}

/** Bytes hashed per turn of the event loop (well under a millisecond each). */
const HASH_SLICE_BYTES = 256 * 1024;

/**
 * SHA-256 of a whole file, a slice per turn of the event loop: hashing 10 MiB in one call holds
 * the loop for milliseconds, times the uploads in flight.
 */
export async function sha256InSlices(bytes: Buffer): Promise<string> {
  const hash = createHash('sha256');
  for (let start = 0; start < bytes.length; start += HASH_SLICE_BYTES) {
    if (start > 0) await nextTurn();
    hash.update(bytes.subarray(start, start + HASH_SLICE_BYTES));
  }
  return hash.digest('hex');
}

function preparePdf(bytes: Buffer): Omit<PreparedFile, 'sha256'> {
  const active = activeContentOf(bytes);
  if (active) throw activeContentInPdf(active);
  return {
    contentType: 'application/pdf',
    bytes,
    width: null,
    height: null,
  };
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
 * Memory: the aim is one re-encode buffer, not decoded rasters. An image whose EXIF orientation
 * is 1 (or absent) is read sequentially (`sequentialRead`), so libvips streams it through the
 * encoder in strips instead of decoding it whole; only an image that must be turned is decoded
 * whole (rotation needs random access). The JPEG encoder runs without mozjpeg, progressive or
 * optimised Huffman tables: each of those makes libjpeg keep every DCT coefficient of the image
 * (tens of MB for a 20 MP photo) for a second pass, for a file a few percent smaller. One
 * pipeline only: a preview pipeline in the same request left ~20 MB of libvips/glibc memory
 * resident that the re-encode did not reuse (bench/RESULTS.md), so the preview is made on the
 * first staff read. `sharp.cache(false)`, `concurrency(1)` and `.toBuffer()` vs a piped output
 * were measured: no difference to the peak once `sequentialRead` is on.
 */
async function prepareImage(
  input: Buffer,
  contentType: Exclude<AcceptedContentType, 'application/pdf'>,
): Promise<Omit<PreparedFile, 'sha256'>> {
  const { sharp } = await loadImageLibraries();
  try {
    // Reads the header only (no pixels): is there an orientation to apply?
    const { orientation } = await sharp(input, { limitInputPixels: MAX_INPUT_PIXELS }).metadata();
    const turn = orientation !== undefined && orientation > 1;
    const image = sharp(input, {
      limitInputPixels: MAX_INPUT_PIXELS,
      failOn: 'warning',
      sequentialRead: !turn,
    });
    // sharp writes no EXIF, XMP, IPTC or ICC unless asked (withMetadata/keepMetadata), and
    // converts to sRGB; the orientation is applied to the pixels by rotate(). No preview here:
    // it is made on the first staff read (`FileContentProcessor.preview`).
    const pipeline: Sharp = turn ? image.rotate() : image;
    const encoded =
      contentType === 'image/jpeg'
        ? pipeline.jpeg({ quality: 90, optimiseCoding: false })
        : contentType === 'image/png'
          ? pipeline.png({ compressionLevel: 6 })
          : pipeline.webp({ quality: 90 });
    const { data, info } = await encoded.toBuffer({ resolveWithObject: true });
    return {
      contentType,
      bytes: data,
      width: info.width,
      height: info.height,
    };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (/pixel limit/i.test(message)) throw imageTooLarge(MAX_INPUT_PIXELS);
    throw unreadableFile(contentType);
  }
}
