import { createHash } from 'node:crypto';
import { fileTypeFromBuffer } from 'file-type';
import pLimit, { type LimitFunction } from 'p-limit';
import sharp from 'sharp';
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
  /** JPEG, long side ≤ 1600 px; images only. */
  preview: Buffer | null;
}

sharp.cache(false);
sharp.concurrency(1);

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
    const detected = await fileTypeFromBuffer(bytes);
    const contentType = ACCEPTED_CONTENT_TYPES.find((type) => type === detected?.mime);
    if (!contentType) throw unsupportedMediaType(detected?.mime ?? null);
    if (contentType === 'application/pdf') return preparePdf(bytes);
    return this.gate(() => prepareImage(bytes, contentType));
  }
}

function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

function preparePdf(bytes: Buffer): PreparedFile {
  const active = activeContentOf(bytes);
  if (active) throw activeContentInPdf(active);
  return {
    contentType: 'application/pdf',
    bytes,
    sha256: sha256(bytes),
    width: null,
    height: null,
    preview: null,
  };
}

/**
 * Names in a PDF that run code or act on open. Names may hide letters as `#xx` escapes
 * (`/J#61vaScript`), so escapes are decoded first. Streams compressed inside object streams are
 * not inflated: a file that hides its JavaScript there still only ever leaves as an attachment
 * under `Content-Security-Policy: sandbox`.
 */
const ACTIVE_NAMES = ['JavaScript', 'JS', 'Launch', 'RichMedia'];

export function activeContentOf(bytes: Buffer): string | null {
  const text = bytes
    .toString('latin1')
    .replace(/\/[^\s/<>[\]()%{}]*/g, (name) =>
      name.replace(/#([0-9A-Fa-f]{2})/g, (_, hex: string) =>
        String.fromCharCode(Number.parseInt(hex, 16)),
      ),
    );
  for (const name of ACTIVE_NAMES) {
    if (new RegExp(`/${name}(?![A-Za-z0-9])`).test(text)) return name;
  }
  return null;
}

async function prepareImage(
  input: Buffer,
  contentType: Exclude<AcceptedContentType, 'application/pdf'>,
): Promise<PreparedFile> {
  try {
    const pipeline = sharp(input, {
      limitInputPixels: MAX_INPUT_PIXELS,
      failOn: 'warning',
    }).rotate();
    // sharp writes no EXIF, XMP, IPTC or ICC unless asked (withMetadata/keepMetadata), and
    // converts to sRGB; the orientation is applied to the pixels by rotate().
    const encoded =
      contentType === 'image/jpeg'
        ? pipeline.jpeg({ quality: 90, mozjpeg: true })
        : contentType === 'image/png'
          ? pipeline.png({ compressionLevel: 6 })
          : pipeline.webp({ quality: 90 });
    const { data, info } = await encoded.toBuffer({ resolveWithObject: true });
    const preview = await sharp(data, { limitInputPixels: MAX_INPUT_PIXELS })
      .resize(PREVIEW_MAX_SIDE, PREVIEW_MAX_SIDE, { fit: 'inside', withoutEnlargement: true })
      .flatten({ background: '#ffffff' })
      .jpeg({ quality: 80 })
      .toBuffer();
    return {
      contentType,
      bytes: data,
      sha256: sha256(data),
      width: info.width,
      height: info.height,
      preview,
    };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (/pixel limit/i.test(message)) throw imageTooLarge(MAX_INPUT_PIXELS);
    throw unreadableFile(contentType);
  }
}
