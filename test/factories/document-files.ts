import { deflateSync } from 'node:zlib';
import sharp from 'sharp';
import type { TestApp } from '../utils/test-app.js';
import type { TestUser } from './users.js';

/** Real image and PDF bytes, made in the test. */
export const sampleFiles = {
  /** A JPEG with EXIF (camera, orientation 6 = rotate 90°) and GPS coordinates. */
  async jpegWithGps(width = 240, height = 120): Promise<Buffer> {
    return sharp({ create: { width, height, channels: 3, background: '#3366aa' } })
      .jpeg()
      .withExif({
        IFD0: { Make: 'PathavanaCam', Model: 'Leaky 1' },
        IFD3: {
          GPSLatitudeRef: 'N',
          GPSLatitude: '48/1 51/1 2405/100',
          GPSLongitudeRef: 'E',
          GPSLongitude: '2/1 21/1 508/100',
        },
      })
      .withMetadata({ orientation: 6 })
      .toBuffer();
  },
  png(width = 64, height = 48): Promise<Buffer> {
    return sharp({ create: { width, height, channels: 4, background: '#11aa5580' } })
      .png()
      .toBuffer();
  },
  webp(width = 64, height = 48): Promise<Buffer> {
    return sharp({ create: { width, height, channels: 3, background: '#aa1155' } })
      .webp()
      .toBuffer();
  },
  /** Noise, so the JPEG is big enough to cut in half mid-scan. */
  async noisyJpeg(width = 600, height = 400): Promise<Buffer> {
    return sharp({
      create: {
        width,
        height,
        channels: 3,
        background: '#000000',
        noise: { type: 'gaussian', mean: 128, sigma: 60 },
      },
    })
      .jpeg({ quality: 95 })
      .toBuffer();
  },
  /**
   * A noise PNG (~750 KB) whose compressed data is damaged at 70 %: libvips has re-encoded and
   * written most of it before the decoder reaches the damage.
   */
  async pngCorruptMidway(): Promise<Buffer> {
    const png = await sharp({
      create: {
        width: 500,
        height: 500,
        channels: 3,
        background: '#000000',
        noise: { type: 'gaussian', mean: 128, sigma: 60 },
      },
    })
      .png({ compressionLevel: 6 })
      .toBuffer();
    const from = Math.floor(png.length * 0.7);
    for (let i = from; i < from + 4096; i += 1) png[i] = (png[i] ?? 0) ^ 0x55;
    return png;
  },
  /** A PNG whose header says 100 000 × 100 000 pixels, in a few hundred bytes. */
  pngBomb(): Buffer {
    const chunk = (type: string, data: Buffer): Buffer => {
      const length = Buffer.alloc(4);
      length.writeUInt32BE(data.length);
      const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
      const crc = Buffer.alloc(4);
      crc.writeUInt32BE(crc32(body));
      return Buffer.concat([length, body, crc]);
    };
    const header = Buffer.alloc(13);
    header.writeUInt32BE(100_000, 0);
    header.writeUInt32BE(100_000, 4);
    header.writeUInt8(8, 8); // bit depth
    header.writeUInt8(0, 9); // greyscale
    return Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      chunk('IHDR', header),
      chunk('IDAT', deflateSync(Buffer.alloc(10_000))),
      chunk('IEND', Buffer.alloc(0)),
    ]);
  },
  pdf(extraCatalog = ''): Buffer {
    const objects = [
      `<< /Type /Catalog /Pages 2 0 R ${extraCatalog}>>`,
      '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
      '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>',
    ];
    let body = '%PDF-1.4\n';
    const offsets: number[] = [];
    objects.forEach((object, index) => {
      offsets.push(body.length);
      body += `${index + 1} 0 obj\n${object}\nendobj\n`;
    });
    const xref = body.length;
    body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
    for (const offset of offsets) body += `${String(offset).padStart(10, '0')} 00000 n \n`;
    body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
    return Buffer.from(body, 'latin1');
  },
  pdfWithJavaScript(): Buffer {
    return sampleFiles.pdf('/OpenAction << /S /JavaScript /JS (app.alert\\(1\\)) >> ');
  },
};

function crc32(buffer: Buffer): number {
  let crc = 0xffffffff;
  for (const byte of buffer) {
    crc ^= byte;
    for (let bit = 0; bit < 8; bit += 1) crc = (crc >>> 1) ^ (0xedb88320 & -(crc & 1));
  }
  return (crc ^ 0xffffffff) >>> 0;
}

/** POST a file (field `side` first, then `file`), as a client would. */
export function uploadFile(
  ctx: TestApp,
  user: TestUser,
  path: string,
  bytes: Buffer,
  side = 'front',
  filename = 'scan.bin',
): ReturnType<ReturnType<TestApp['http']>['post']> {
  return ctx
    .http()
    .post(path)
    .set(user.authHeader)
    .field('side', side)
    .attach('file', bytes, { filename, contentType: 'application/octet-stream' });
}

/** Adds a front scan to a profile document, as the verification desk now requires. */
export async function addFrontScan(
  ctx: TestApp,
  user: TestUser,
  documentId: string,
): Promise<void> {
  const response = await uploadFile(
    ctx,
    user,
    `/api/v1/profile/documents/${documentId}/files`,
    await sampleFiles.png(),
  );
  if (response.status !== 201) {
    throw new Error(`front scan upload failed: ${response.status} ${response.text}`);
  }
}
