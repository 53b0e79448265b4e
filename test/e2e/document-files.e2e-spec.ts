import { createHash, randomUUID } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import sharp from 'sharp';
import type { Response } from 'supertest';
import { grantConsent, withdrawConsent } from '../factories/consents.js';
import { sampleFiles, uploadFile } from '../factories/document-files.js';
import {
  createStaff,
  createVerifiedUser,
  registerUser,
  type TestUser,
} from '../factories/users.js';
import { DocumentFileEntity } from '#modules/documents/files/document-file.entity.js';
import { DocumentFilesService } from '#modules/documents/files/document-files.service.js';
import { createTestApp, type TestApp } from '../utils/test-app.js';

const API = '/api/v1';
const MAX_BYTES = 1024 * 1024;

/** Reads a binary response body as a Buffer. */
const binary = (res: Response, callback: (error: Error | null, body: Buffer) => void): void => {
  const stream = res as unknown as NodeJS.ReadableStream;
  const chunks: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk));
  stream.on('end', () => callback(null, Buffer.concat(chunks)));
};

/** A raw multipart body up to a JPEG's bytes (field `side` = front, then the part `file`). */
function multipartHead(boundary: string): Buffer {
  return Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="side"\r\n\r\nfront\r\n` +
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.jpg"\r\nContent-Type: image/jpeg\r\n\r\n`,
  );
}

describe('document evidence (scans)', () => {
  let ctx: TestApp;
  let admin: TestUser;
  let compliance: TestUser;

  beforeAll(async () => {
    ctx = await createTestApp({ env: { DOCUMENT_FILE_MAX_BYTES: String(MAX_BYTES) } });
    admin = await createStaff(ctx, ['admin']);
    compliance = await createStaff(ctx, ['compliance']);
  });

  afterAll(async () => {
    await ctx.close();
  });

  async function documentUser(): Promise<TestUser> {
    const user = await createVerifiedUser(ctx);
    await grantConsent(ctx, user, 'travel_documents');
    return user;
  }

  async function createDocument(user: TestUser): Promise<string> {
    const response = await ctx
      .http()
      .post(`${API}/profile/documents`)
      .set(user.authHeader)
      .send({
        type: 'passport',
        number: `P${randomUUID().replace(/-/g, '').slice(0, 8).toUpperCase()}`,
        issuingCountry: 'DE',
        holderName: 'Erika Mustermann',
        expiryDate: '2034-01-31',
      });
    expect(response.status).toBe(201);
    return response.body.id as string;
  }

  const filesOf = (documentId: string): string => `${API}/profile/documents/${documentId}/files`;

  async function fileRows(documentId: string): Promise<number> {
    const [row] = (await ctx.dataSource.query(
      `SELECT (SELECT count(*) FROM document_files WHERE user_document_id = $1 OR traveler_document_id = $1)::int
            + (SELECT count(*) FROM document_file_blobs b WHERE NOT EXISTS (SELECT 1 FROM document_files f WHERE f.id = b.file_id))::int
            + (SELECT count(*) FROM document_file_chunks c WHERE NOT EXISTS (SELECT 1 FROM document_files f WHERE f.id = c.file_id))::int AS n`,
      [documentId],
    )) as { n: number }[];
    return row?.n ?? -1;
  }

  function download(user: TestUser, path: string): Promise<Response> {
    return ctx.http().get(path).set(user.authHeader).buffer(true).parse(binary);
  }

  async function setStatus(documentId: string, decision: 'verify' | 'reject'): Promise<void> {
    const response = await ctx
      .http()
      .post(`${API}/admin/documents/${documentId}/review`)
      .set(admin.authHeader)
      .send(decision === 'verify' ? { decision } : { decision, reasonCode: 'illegible' });
    expect(response.status).toBe(200);
  }

  describe('upload and read back (owner)', () => {
    it('re-encodes a JPEG: EXIF and GPS gone, orientation applied, encrypted at rest, headers for the owner', async () => {
      const user = await documentUser();
      const documentId = await createDocument(user);
      const original = await sampleFiles.jpegWithGps(240, 120);
      const before = await sharp(original).metadata();
      expect(before.exif?.includes('PathavanaCam')).toBe(true);
      // The GPS IFD pointer (tag 0x8825) is in the source EXIF.
      expect(
        before.exif?.includes(Buffer.from([0x88, 0x25])) ||
          before.exif?.includes(Buffer.from([0x25, 0x88])),
      ).toBe(true);
      expect(before.orientation).toBe(6);

      const response = await uploadFile(ctx, user, filesOf(documentId), original, 'front', 'x.pdf');
      expect(response.status).toBe(201);
      expect(response.body).toEqual({
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        side: 'front',
        contentType: 'image/jpeg',
        sizeBytes: expect.any(Number),
        sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
        width: 120,
        height: 240,
        createdAt: expect.any(String),
      });
      const fileId = response.body.id as string;

      const content = await download(user, `${filesOf(documentId)}/${fileId}/content`);
      expect(content.status).toBe(200);
      expect(content.headers['content-type']).toBe('image/jpeg');
      expect(content.headers['cache-control']).toBe('no-store');
      expect(content.headers['x-content-type-options']).toBe('nosniff');
      expect(content.headers['content-disposition']).toMatch(
        /^inline; filename="[0-9a-f-]+\.jpg"$/,
      );
      const bytes = content.body as Buffer;
      expect(bytes.length).toBe(response.body.sizeBytes);
      expect(createHash('sha256').update(bytes).digest('hex')).toBe(response.body.sha256);
      const after = await sharp(bytes).metadata();
      expect(after.exif).toBeUndefined();
      expect(after.xmp).toBeUndefined();
      expect(after.iptc).toBeUndefined();
      expect(after.orientation).toBeUndefined();
      expect([after.width, after.height]).toEqual([120, 240]);
      expect(bytes.includes(Buffer.from('PathavanaCam'))).toBe(false);

      // At rest: only ciphertext, bound to the file (no clear image bytes in the database):
      // per variant a header (format 2, key id, IV) and sealed chunks of at most 64 KiB + tag.
      // The preview is not made by the upload (on the first staff read: see 'staff' below).
      const blobs = (await ctx.dataSource.query(
        `SELECT b.variant, b.format, b.ciphertext, f.key_id FROM document_file_blobs b JOIN document_files f ON f.id = b.file_id WHERE b.file_id = $1 ORDER BY b.variant`,
        [fileId],
      )) as { variant: string; format: number; ciphertext: Buffer; key_id: string }[];
      expect(blobs.map((blob) => blob.variant)).toEqual(['original']);
      for (const blob of blobs) {
        expect(blob.format).toBe(2);
        expect(blob.ciphertext.length).toBe(21);
        expect(blob.ciphertext.readUInt8(0)).toBe(2);
        expect(blob.ciphertext.toString('ascii', 1, 9)).toBe(blob.key_id);
      }
      const chunks = (await ctx.dataSource.query(
        `SELECT variant, seq, ciphertext FROM document_file_chunks WHERE file_id = $1 ORDER BY variant, seq`,
        [fileId],
      )) as { variant: string; seq: number; ciphertext: Buffer }[];
      expect(chunks.filter((chunk) => chunk.variant === 'original').map((c) => c.seq)).toEqual(
        Array.from({ length: Math.ceil(bytes.length / 65536) }, (_, i) => i),
      );
      for (const chunk of chunks) {
        expect(chunk.ciphertext.includes(bytes.subarray(0, 64))).toBe(false);
        expect(chunk.ciphertext.subarray(0, 3).equals(Buffer.from([0xff, 0xd8, 0xff]))).toBe(false);
        expect(chunk.ciphertext.length).toBeLessThanOrEqual(65536 + 16);
      }

      const list = await ctx.http().get(filesOf(documentId)).set(user.authHeader);
      expect(list.status).toBe(200);
      expect(list.body).toEqual({ items: [response.body] });
    });

    it('accepts PNG and WebP by content whatever the name or declared type says', async () => {
      const user = await documentUser();
      const documentId = await createDocument(user);
      const png = await uploadFile(
        ctx,
        user,
        filesOf(documentId),
        await sampleFiles.png(64, 48),
        'back',
        'evil.pdf',
      );
      expect(png.status).toBe(201);
      expect(png.body).toMatchObject({
        contentType: 'image/png',
        width: 64,
        height: 48,
        side: 'back',
      });
      const webp = await uploadFile(
        ctx,
        user,
        filesOf(documentId),
        await sampleFiles.webp(),
        'other',
        'a.jpg',
      );
      expect(webp.status).toBe(201);
      expect(webp.body.contentType).toBe('image/webp');
      const read = await download(user, `${filesOf(documentId)}/${webp.body.id as string}/content`);
      expect(read.headers['content-type']).toBe('image/webp');
      expect((await sharp(read.body as Buffer).metadata()).format).toBe('webp');
    });

    it('keeps a PDF as is and serves it only as a sandboxed attachment', async () => {
      const user = await documentUser();
      const documentId = await createDocument(user);
      const pdf = sampleFiles.pdf();
      const response = await uploadFile(ctx, user, filesOf(documentId), pdf, 'front', 'scan.png');
      expect(response.status).toBe(201);
      expect(response.body).toMatchObject({
        contentType: 'application/pdf',
        width: null,
        height: null,
        sizeBytes: pdf.length,
        sha256: createHash('sha256').update(pdf).digest('hex'),
      });
      const content = await download(
        user,
        `${filesOf(documentId)}/${response.body.id as string}/content`,
      );
      expect(content.status).toBe(200);
      expect(content.headers['content-disposition']).toMatch(/^attachment; filename=".+\.pdf"$/);
      expect(content.headers['content-security-policy']).toMatch(/^sandbox/);
      expect(content.headers['cache-control']).toBe('no-store');
      expect((content.body as Buffer).equals(pdf)).toBe(true);
    });

    it('deletes a file (204, then 404); the document deleted takes its files and bytes with it', async () => {
      const user = await documentUser();
      const documentId = await createDocument(user);
      const a = await uploadFile(ctx, user, filesOf(documentId), await sampleFiles.png());
      const b = await uploadFile(ctx, user, filesOf(documentId), await sampleFiles.png(), 'back');
      const removed = await ctx
        .http()
        .delete(`${filesOf(documentId)}/${a.body.id as string}`)
        .set(user.authHeader);
      expect(removed.status).toBe(204);
      const again = await ctx
        .http()
        .delete(`${filesOf(documentId)}/${a.body.id as string}`)
        .set(user.authHeader);
      expect(again.status).toBe(404);
      expect(again.body.code).toBe('DOCUMENT_FILE_NOT_FOUND');
      expect(
        (await download(user, `${filesOf(documentId)}/${a.body.id as string}/content`)).status,
      ).toBe(404);
      expect(await fileRows(documentId)).toBe(1);
      await ctx
        .http()
        .delete(`${API}/profile/documents/${documentId}`)
        .set(user.authHeader)
        .expect(204);
      expect(await fileRows(documentId)).toBe(0);
      const [blobs] = await ctx.dataSource.query(
        `SELECT (SELECT count(*) FROM document_file_blobs WHERE file_id = $1)::int
              + (SELECT count(*) FROM document_file_chunks WHERE file_id = $1)::int AS n`,
        [b.body.id],
      );
      expect(blobs.n).toBe(0);
    });
  });

  describe('access', () => {
    it('needs a session, a verified email and (to upload only) the travel_documents consent', async () => {
      const user = await documentUser();
      const documentId = await createDocument(user);
      const png = await sampleFiles.png();
      expect(
        (
          await ctx
            .http()
            .post(filesOf(documentId))
            .field('side', 'front')
            .attach('file', png, 'a.png')
        ).status,
      ).toBe(401);
      const file = await uploadFile(ctx, user, filesOf(documentId), png);
      expect(file.status).toBe(201);

      await withdrawConsent(ctx, user, 'travel_documents');
      const refused = await uploadFile(ctx, user, filesOf(documentId), png);
      expect(refused.status).toBe(403);
      expect(await fileRows(documentId)).toBe(1);
      // Consent withdrawal stops new processing, not the owner's access to their files.
      expect((await ctx.http().get(filesOf(documentId)).set(user.authHeader)).status).toBe(200);
      expect(
        (await download(user, `${filesOf(documentId)}/${file.body.id as string}/content`)).status,
      ).toBe(200);
      expect(
        (
          await ctx
            .http()
            .delete(`${filesOf(documentId)}/${file.body.id as string}`)
            .set(user.authHeader)
        ).status,
      ).toBe(204);

      const unverified = await registerUser(ctx);
      const blocked = await uploadFile(ctx, unverified, filesOf(documentId), png);
      expect(blocked.status).toBe(403);
    });

    it("another user's document or file is 404 on every route", async () => {
      const owner = await documentUser();
      const other = await documentUser();
      const documentId = await createDocument(owner);
      const file = await uploadFile(ctx, owner, filesOf(documentId), await sampleFiles.png());
      const fileId = file.body.id as string;
      const otherDoc = await createDocument(other);
      const answers = [
        await uploadFile(ctx, other, filesOf(documentId), await sampleFiles.png()),
        await ctx.http().get(filesOf(documentId)).set(other.authHeader),
        await download(other, `${filesOf(documentId)}/${fileId}/content`),
        await ctx
          .http()
          .delete(`${filesOf(documentId)}/${fileId}`)
          .set(other.authHeader),
        // The file id under the other user's own document.
        await download(other, `${filesOf(otherDoc)}/${fileId}/content`),
        await ctx
          .http()
          .delete(`${filesOf(otherDoc)}/${fileId}`)
          .set(other.authHeader),
      ];
      expect(answers.map((answer) => answer.status)).toEqual([404, 404, 404, 404, 404, 404]);
      expect(await fileRows(documentId)).toBe(1);
    });
  });

  describe('bad input: a clear 4xx, nothing stored', () => {
    let user: TestUser;
    let documentId: string;

    beforeAll(async () => {
      user = await documentUser();
      documentId = await createDocument(user);
    });

    async function expectRefused(response: Response, status: number, code: string): Promise<void> {
      expect({ status: response.status, code: response.body?.code }).toEqual({ status, code });
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(await fileRows(documentId)).toBe(0);
    }

    it('415 for content that is not JPEG/PNG/WebP/PDF, whatever it claims', async () => {
      const gif = await sharp({ create: { width: 4, height: 4, channels: 3, background: '#fff' } })
        .gif()
        .toBuffer();
      await expectRefused(
        await uploadFile(ctx, user, filesOf(documentId), gif, 'front', 'a.png'),
        415,
        'UNSUPPORTED_MEDIA_TYPE',
      );
      await expectRefused(
        await uploadFile(
          ctx,
          user,
          filesOf(documentId),
          Buffer.from('<script>alert(1)</script>'),
          'front',
          'a.jpg',
        ),
        415,
        'UNSUPPORTED_MEDIA_TYPE',
      );
      await expectRefused(
        await ctx
          .http()
          .post(filesOf(documentId))
          .set(user.authHeader)
          .send({ side: 'front', file: 'aGVsbG8=' }),
        400,
        'VALIDATION_FAILED',
      );
      // No body at all: the route wants multipart/form-data.
      await expectRefused(
        await ctx.http().post(filesOf(documentId)).set(user.authHeader),
        415,
        'UNSUPPORTED_MEDIA_TYPE',
      );
    });

    it('413 over DOCUMENT_FILE_MAX_BYTES, with the limit in the problem', async () => {
      const big = Buffer.concat([await sampleFiles.png(), Buffer.alloc(MAX_BYTES + 10, 7)]);
      const response = await uploadFile(ctx, user, filesOf(documentId), big);
      await expectRefused(response, 413, 'FILE_TOO_LARGE');
      expect(response.body.maxBytes).toBe(MAX_BYTES);
      expect(response.body.detail).toMatch(/larger than/);
    });

    it('422 for a truncated image, a PNG bomb and a PDF with JavaScript; 400 for an empty file', async () => {
      const jpeg = await sampleFiles.noisyJpeg();
      await expectRefused(
        await uploadFile(
          ctx,
          user,
          filesOf(documentId),
          jpeg.subarray(0, Math.floor(jpeg.length / 2)),
        ),
        422,
        'FILE_UNREADABLE',
      );
      const bomb = sampleFiles.pngBomb();
      expect(bomb.length).toBeLessThan(1000);
      await expectRefused(
        await uploadFile(ctx, user, filesOf(documentId), bomb),
        422,
        'IMAGE_DIMENSIONS_TOO_LARGE',
      );
      await expectRefused(
        await uploadFile(ctx, user, filesOf(documentId), sampleFiles.pdfWithJavaScript()),
        422,
        'PDF_ACTIVE_CONTENT',
      );
      const hidden = sampleFiles.pdf('/OpenAction << /S /J#61vaScript /J#53 (x) >> ');
      await expectRefused(
        await uploadFile(ctx, user, filesOf(documentId), hidden),
        422,
        'PDF_ACTIVE_CONTENT',
      );
      await expectRefused(
        await uploadFile(ctx, user, filesOf(documentId), Buffer.alloc(0)),
        400,
        'EMPTY_FILE',
      );
    });

    it('422 for an image found damaged after most of it was re-encoded and written: nothing stored, the next upload stored', async () => {
      const damaged = await sampleFiles.pngCorruptMidway();
      expect(damaged.length).toBeLessThan(MAX_BYTES);
      await expectRefused(
        await uploadFile(ctx, user, filesOf(documentId), damaged),
        422,
        'FILE_UNREADABLE',
      );
      // The encoder's pipe is free again: the same route stores the next image whole.
      const png = await sampleFiles.png(320, 200);
      const stored = await uploadFile(ctx, user, filesOf(documentId), png);
      expect(stored.status).toBe(201);
      const back = await download(user, `${filesOf(documentId)}/${stored.body.id}/content`);
      expect(back.status).toBe(200);
      expect(await sharp(back.body as Buffer).metadata()).toMatchObject({
        width: 320,
        height: 200,
      });
      expect(
        createHash('sha256')
          .update(back.body as Buffer)
          .digest('hex'),
      ).toBe(stored.body.sha256);
      await ctx.dataSource.query(`DELETE FROM document_files WHERE user_document_id = $1`, [
        documentId,
      ]);
    });

    it('400 for a missing or unknown side, two files, a field after the file, a file under another name', async () => {
      const png = await sampleFiles.png();
      const post = () => ctx.http().post(filesOf(documentId)).set(user.authHeader);
      await expectRefused(await post().attach('file', png, 'a.png'), 400, 'INVALID_MULTIPART');
      await expectRefused(
        await post().field('side', 'top').attach('file', png, 'a.png'),
        400,
        'INVALID_MULTIPART',
      );
      await expectRefused(
        await post()
          .field('side', 'front')
          .attach('file', png, 'a.png')
          .attach('file', png, 'b.png'),
        400,
        'INVALID_MULTIPART',
      );
      const after = await post().attach('file', png, 'a.png').field('side', 'front');
      await expectRefused(after, 400, 'INVALID_MULTIPART');
      expect(after.body.detail).toMatch(/before/);
      await expectRefused(
        await post().field('side', 'front').attach('scan', png, 'a.png'),
        400,
        'INVALID_MULTIPART',
      );
      await expectRefused(await post().field('side', 'front'), 400, 'INVALID_MULTIPART');
      // Still healthy and still accepting.
      expect((await uploadFile(ctx, user, filesOf(documentId), png)).status).toBe(201);
      await ctx.dataSource.query(`DELETE FROM document_files WHERE user_document_id = $1`, [
        documentId,
      ]);
    });

    it('an upload that disconnects halfway stores nothing and the app keeps answering', async () => {
      await ctx.app.listen(0, '127.0.0.1');
      const { port } = ctx.app.getHttpServer().address() as AddressInfo;
      const boundary = 'x-boundary-halfway';
      const file = await sampleFiles.noisyJpeg();
      const head = multipartHead(boundary);
      const closed = new Promise<string>((resolve) => {
        const request = httpRequest({
          host: '127.0.0.1',
          port,
          method: 'POST',
          path: filesOf(documentId),
          headers: {
            ...user.authHeader,
            'content-type': `multipart/form-data; boundary=${boundary}`,
            'content-length': String(head.length + file.length + 100),
          },
        });
        request.on('error', (error) => resolve(error.message));
        request.on('response', (response) => resolve(`answered ${response.statusCode}`));
        request.write(head);
        request.write(file.subarray(0, Math.floor(file.length / 2)), () => {
          // Half the file is on the wire: hang up.
          request.destroy();
        });
      });
      expect(await closed).not.toMatch(/^answered 2/);
      expect((await ctx.http().get(`${API}/health/live`)).status).toBe(200);
      expect(await fileRows(documentId)).toBe(0);
      expect(
        (await uploadFile(ctx, user, filesOf(documentId), await sampleFiles.png())).status,
      ).toBe(201);
      expect(await fileRows(documentId)).toBe(1);
      await ctx.dataSource.query(`DELETE FROM document_files WHERE user_document_id = $1`, [
        documentId,
      ]);
    });
  });

  describe('limits and review', () => {
    it('at most 6 files: 10 parallel uploads on a document with 5 → exactly one succeeds', async () => {
      const user = await documentUser();
      const documentId = await createDocument(user);
      const png = await sampleFiles.png();
      for (let i = 0; i < 5; i += 1) {
        expect((await uploadFile(ctx, user, filesOf(documentId), png)).status).toBe(201);
      }
      const results = await Promise.all(
        Array.from({ length: 10 }, () => uploadFile(ctx, user, filesOf(documentId), png)),
      );
      const statuses = results.map((result) => result.status).sort();
      expect(statuses).toEqual([201, ...Array<number>(9).fill(409)]);
      expect(results.find((result) => result.status === 409)?.body.code).toBe('TOO_MANY_FILES');
      const [count] = await ctx.dataSource.query(
        `SELECT count(*)::int AS n FROM document_files WHERE user_document_id = $1`,
        [documentId],
      );
      expect(count.n).toBe(6);
    });

    it('verify needs a front scan (422 DOCUMENT_EVIDENCE_REQUIRED); adding or removing a file sends a verified document back to review', async () => {
      const user = await documentUser();
      const documentId = await createDocument(user);
      const review = (body: Record<string, unknown>) =>
        ctx
          .http()
          .post(`${API}/admin/documents/${documentId}/review`)
          .set(admin.authHeader)
          .send(body);
      let refused = await review({ decision: 'verify' });
      expect(refused.status).toBe(422);
      expect(refused.body.code).toBe('DOCUMENT_EVIDENCE_REQUIRED');
      await uploadFile(ctx, user, filesOf(documentId), await sampleFiles.png(), 'back');
      refused = await review({ decision: 'verify' });
      expect(refused.body.code).toBe('DOCUMENT_EVIDENCE_REQUIRED');
      const front = await uploadFile(
        ctx,
        user,
        filesOf(documentId),
        await sampleFiles.png(),
        'front',
      );
      expect((await review({ decision: 'verify' })).body.status).toBe('verified');

      const status = async (): Promise<string> =>
        (await ctx.http().get(`${API}/profile/documents/${documentId}`).set(user.authHeader)).body
          .status as string;
      const extra = await uploadFile(
        ctx,
        user,
        filesOf(documentId),
        await sampleFiles.webp(),
        'other',
      );
      expect(extra.status).toBe(201);
      expect(await status()).toBe('pending');
      await setStatus(documentId, 'verify');
      expect(await status()).toBe('verified');
      await ctx
        .http()
        .delete(`${filesOf(documentId)}/${extra.body.id as string}`)
        .set(user.authHeader)
        .expect(204);
      expect(await status()).toBe('pending');
      // Without its front scan, it cannot be verified again.
      await ctx
        .http()
        .delete(`${filesOf(documentId)}/${front.body.id as string}`)
        .set(user.authHeader)
        .expect(204);
      expect((await review({ decision: 'verify' })).body.code).toBe('DOCUMENT_EVIDENCE_REQUIRED');
    });

    it('staff: the detail lists files; content and the JPEG preview are audited reads', async () => {
      const user = await documentUser();
      const documentId = await createDocument(user);
      const big = await sharp({
        create: { width: 2400, height: 1000, channels: 3, background: '#884422' },
      })
        .png()
        .toBuffer();
      const image = await uploadFile(ctx, user, filesOf(documentId), big);
      const pdf = await uploadFile(ctx, user, filesOf(documentId), sampleFiles.pdf(), 'back');
      const detail = await ctx
        .http()
        .get(`${API}/admin/documents/${documentId}`)
        .set(admin.authHeader);
      expect(detail.status).toBe(200);
      expect(detail.body.files).toEqual([image.body, pdf.body]);

      const base = `${API}/admin/documents/${documentId}/files`;
      const original = await download(admin, `${base}/${image.body.id as string}/content`);
      expect(original.status).toBe(200);
      expect(original.headers['content-type']).toBe('image/png');
      expect(original.headers['cache-control']).toBe('no-store');
      const preview = await download(
        admin,
        `${base}/${image.body.id as string}/content?variant=preview`,
      );
      expect(preview.status).toBe(200);
      expect(preview.headers['content-type']).toBe('image/jpeg');
      const meta = await sharp(preview.body as Buffer).metadata();
      expect([meta.format, meta.width, meta.height]).toEqual(['jpeg', 1600, 667]);
      const pdfPreview = await download(
        admin,
        `${base}/${pdf.body.id as string}/content?variant=preview`,
      );
      expect(pdfPreview.status).toBe(404);
      expect(pdfPreview.body.code ?? JSON.parse(String(pdfPreview.body)).code).toBe(
        'PREVIEW_NOT_AVAILABLE',
      );
      const pdfContent = await download(admin, `${base}/${pdf.body.id as string}/content`);
      expect(pdfContent.headers['content-disposition']).toMatch(/^attachment/);
      expect(pdfContent.headers['content-security-policy']).toMatch(/^sandbox/);
      expect((await download(admin, `${base}/${randomUUID()}/content`)).status).toBe(404);
      expect(
        (await download(admin, `${base}/${image.body.id as string}/content?variant=thumb`)).status,
      ).toBe(400);
      expect((await download(user, `${base}/${image.body.id as string}/content`)).status).toBe(403);

      const events = (await ctx.dataSource.query(
        `SELECT actor_id, subject_id, resource_id, reason FROM audit_events WHERE action = 'document.file.viewed' AND actor_id = $1 ORDER BY occurred_at`,
        [admin.id],
      )) as { actor_id: string; subject_id: string; resource_id: string; reason: string }[];
      const mine = events.filter((event) => event.subject_id === user.id);
      expect(mine.map((event) => [event.resource_id, event.reason.split(' (')[1]])).toEqual([
        [image.body.id, 'original)'],
        [image.body.id, 'preview)'],
        [pdf.body.id, 'original)'],
      ]);
    });

    it('staff: the preview is made on the first read, once even for concurrent reads, sealed like the original, and goes with the file', async () => {
      const user = await documentUser();
      const documentId = await createDocument(user);
      const source = await sharp({
        create: { width: 2000, height: 1500, channels: 3, background: '#336699' },
      })
        .jpeg()
        .toBuffer();
      const image = await uploadFile(ctx, user, filesOf(documentId), source);
      const pdf = await uploadFile(ctx, user, filesOf(documentId), sampleFiles.pdf(), 'back');
      expect([image.status, pdf.status]).toEqual([201, 201]);
      const fileId = image.body.id as string;
      const variants = async (id: string): Promise<string[]> =>
        (
          (await ctx.dataSource.query(
            `SELECT variant FROM document_file_blobs WHERE file_id = $1 ORDER BY variant`,
            [id],
          )) as { variant: string }[]
        ).map((row) => row.variant);
      const previewChunks = async (id: string): Promise<number> =>
        (
          (await ctx.dataSource.query(
            `SELECT count(*)::int AS n FROM document_file_chunks WHERE file_id = $1 AND variant = 'preview'`,
            [id],
          )) as { n: number }[]
        )[0]?.n ?? -1;
      expect(await variants(fileId)).toEqual(['original']);

      const base = `${API}/admin/documents/${documentId}/files`;
      const url = `${base}/${fileId}/content?variant=preview`;
      const [first, second] = await Promise.all([download(admin, url), download(admin, url)]);
      expect([first.status, second.status]).toEqual([200, 200]);
      expect(first.headers['content-type']).toBe('image/jpeg');
      const bytes = first.body as Buffer;
      expect(bytes.equals(second.body as Buffer)).toBe(true);
      const meta = await sharp(bytes).metadata();
      expect([meta.format, meta.width, meta.height, meta.exif]).toEqual([
        'jpeg',
        1600,
        1200,
        undefined,
      ]);
      // One preview stored, in the chunked format, never in clear.
      expect(await variants(fileId)).toEqual(['original', 'preview']);
      const [header] = (await ctx.dataSource.query(
        `SELECT b.format, b.ciphertext, f.key_id FROM document_file_blobs b JOIN document_files f ON f.id = b.file_id WHERE b.file_id = $1 AND b.variant = 'preview'`,
        [fileId],
      )) as { format: number; ciphertext: Buffer; key_id: string }[];
      expect(header?.format).toBe(2);
      expect(header?.ciphertext.toString('ascii', 1, 9)).toBe(header?.key_id);
      expect(await previewChunks(fileId)).toBe(Math.ceil(bytes.length / 65536));
      const sealed = (await ctx.dataSource.query(
        `SELECT ciphertext FROM document_file_chunks WHERE file_id = $1 AND variant = 'preview'`,
        [fileId],
      )) as { ciphertext: Buffer }[];
      for (const chunk of sealed)
        expect(chunk.ciphertext.includes(bytes.subarray(0, 64))).toBe(false);
      // Later reads serve the stored preview; the original is untouched.
      expect(((await download(admin, url)).body as Buffer).equals(bytes)).toBe(true);
      const original = await download(user, `${filesOf(documentId)}/${fileId}/content`);
      expect(
        createHash('sha256')
          .update(original.body as Buffer)
          .digest('hex'),
      ).toBe(image.body.sha256);

      // Two processes making it at once (no shared in-process de-duplication): both make one,
      // one is stored, and both readers are then served that one.
      const second2 = await uploadFile(ctx, user, filesOf(documentId), source, 'other');
      const otherId = second2.body.id as string;
      const service = ctx.app.get(DocumentFilesService) as unknown as {
        makePreview(file: DocumentFileEntity): Promise<void>;
      };
      const file = await ctx.dataSource
        .getRepository(DocumentFileEntity)
        .findOneByOrFail({ id: otherId });
      await Promise.all([service.makePreview(file), service.makePreview(file)]);
      expect(await variants(otherId)).toEqual(['original', 'preview']);
      const stored = await download(admin, `${base}/${otherId}/content?variant=preview`);
      expect(stored.status).toBe(200);
      expect(await previewChunks(otherId)).toBe(Math.ceil((stored.body as Buffer).length / 65536));

      // A PDF has none (and none is stored).
      const pdfPreview = await download(
        admin,
        `${base}/${pdf.body.id as string}/content?variant=preview`,
      );
      expect(pdfPreview.status).toBe(404);
      expect(await variants(pdf.body.id as string)).toEqual(['original']);

      // Deleting the file deletes its preview (header and chunks).
      await ctx
        .http()
        .delete(`${filesOf(documentId)}/${fileId}`)
        .set(user.authHeader)
        .expect(204);
      expect(await variants(fileId)).toEqual([]);
      expect(await previewChunks(fileId)).toBe(0);
      expect((await download(admin, url)).status).toBe(404);
    });
  });

  describe('traveler documents', () => {
    it('the same routes on a traveler document; another user’s traveler is 404', async () => {
      const user = await documentUser();
      const other = await documentUser();
      const traveler = await ctx
        .http()
        .post(`${API}/travelers`)
        .set(user.authHeader)
        .send({ firstName: 'Mia', lastName: 'Keller', dateOfBirth: '1990-04-01' });
      expect(traveler.status).toBe(201);
      const travelerId = traveler.body.id as string;
      const document = await ctx
        .http()
        .post(`${API}/travelers/${travelerId}/documents`)
        .set(user.authHeader)
        .send({
          type: 'passport',
          number: `T${Date.now()}`,
          issuingCountry: 'AT',
          holderName: 'Mia Keller',
        });
      expect(document.status).toBe(201);
      const base = `${API}/travelers/${travelerId}/documents/${document.body.id as string}/files`;
      const jpeg = await sampleFiles.jpegWithGps();
      const uploaded = await uploadFile(ctx, user, base, jpeg);
      expect(uploaded.status).toBe(201);
      expect(uploaded.body.contentType).toBe('image/jpeg');
      const list = await ctx.http().get(base).set(user.authHeader);
      expect(list.body.items).toEqual([uploaded.body]);
      const content = await download(user, `${base}/${uploaded.body.id as string}/content`);
      expect(content.status).toBe(200);
      expect((await sharp(content.body as Buffer).metadata()).exif).toBeUndefined();
      expect((await uploadFile(ctx, other, base, jpeg)).status).toBe(404);
      expect((await ctx.http().get(base).set(other.authHeader)).status).toBe(404);
      expect((await download(other, `${base}/${uploaded.body.id as string}/content`)).status).toBe(
        404,
      );

      const staff = await ctx
        .http()
        .get(`${API}/admin/documents/${document.body.id as string}`)
        .set(admin.authHeader);
      expect(staff.body.files).toEqual([uploaded.body]);
      await ctx
        .http()
        .delete(`${base}/${uploaded.body.id as string}`)
        .set(user.authHeader)
        .expect(204);
      expect((await ctx.http().get(base).set(user.authHeader)).body.items).toEqual([]);
    });
  });

  describe('privacy', () => {
    it('files are in /me/export (metadata and sha256) and erased with the account', async () => {
      const user = await documentUser();
      const documentId = await createDocument(user);
      const own = await uploadFile(ctx, user, filesOf(documentId), await sampleFiles.png());
      const traveler = await ctx
        .http()
        .post(`${API}/travelers`)
        .set(user.authHeader)
        .send({ firstName: 'Kim', lastName: 'Lee' });
      const travelerDoc = await ctx
        .http()
        .post(`${API}/travelers/${traveler.body.id as string}/documents`)
        .set(user.authHeader)
        .send({
          type: 'national_id',
          number: `K${Date.now()}`,
          issuingCountry: 'KR',
          holderName: 'Kim Lee',
        });
      const theirs = await uploadFile(
        ctx,
        user,
        `${API}/travelers/${traveler.body.id as string}/documents/${travelerDoc.body.id as string}/files`,
        sampleFiles.pdf(),
      );
      // Its preview made (staff read), so the erasure must take the preview rows too.
      const ownPreview = await download(
        admin,
        `${API}/admin/documents/${documentId}/files/${own.body.id as string}/content?variant=preview`,
      );
      expect(ownPreview.status).toBe(200);
      const bystander = await documentUser();
      const bystanderDoc = await createDocument(bystander);
      await uploadFile(ctx, bystander, filesOf(bystanderDoc), await sampleFiles.png());

      const exported = await ctx.http().get(`${API}/me/export`).set(user.authHeader).buffer(true);
      expect(exported.status).toBe(200);
      const body = JSON.parse(exported.text) as {
        data: { documentFiles: { files: Record<string, unknown>[] } };
      };
      const files = body.data.documentFiles.files;
      expect(files).toHaveLength(2);
      expect(files).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            id: own.body.id,
            sha256: own.body.sha256,
            documentKind: 'user',
            documentId,
          }),
          expect.objectContaining({
            id: theirs.body.id,
            sha256: theirs.body.sha256,
            documentKind: 'traveler',
          }),
        ]),
      );
      expect(exported.text).not.toContain('ciphertext');

      const erased = await ctx
        .http()
        .delete(`${API}/me`)
        .set(user.authHeader)
        .send({ password: user.password });
      expect(erased.status).toBe(200);
      const counts = Object.fromEntries(
        (erased.body.categories as { category: string; rows: number }[]).map((c) => [
          c.category,
          c.rows,
        ]),
      );
      expect(counts['documents.files']).toBe(2);
      const [left] = await ctx.dataSource.query(
        `SELECT count(*)::int AS n FROM document_files WHERE id = ANY($1::uuid[])`,
        [[own.body.id, theirs.body.id]],
      );
      expect(left.n).toBe(0);
      const [bytesLeft] = await ctx.dataSource.query(
        `SELECT (SELECT count(*) FROM document_file_blobs WHERE file_id = ANY($1::uuid[]))::int
              + (SELECT count(*) FROM document_file_chunks WHERE file_id = ANY($1::uuid[]))::int AS n`,
        [[own.body.id, theirs.body.id]],
      );
      expect(bytesLeft.n).toBe(0);
      expect(await fileRows(bystanderDoc)).toBe(1);
    });

    it('files of documents rejected more than 90 days ago are purged by retention (policy, dry run, run)', async () => {
      const policies = await ctx
        .http()
        .get(`${API}/compliance/retention-policies`)
        .set(compliance.authHeader);
      expect(policies.status).toBe(200);
      expect(JSON.stringify(policies.body)).toContain('document_files_rejected');

      const user = await documentUser();
      const oldRejected = await createDocument(user);
      const newRejected = await createDocument(user);
      const verified = await createDocument(user);
      const fileIds: string[] = [];
      for (const id of [oldRejected, newRejected, verified]) {
        const uploaded = await uploadFile(ctx, user, filesOf(id), await sampleFiles.png());
        fileIds.push(uploaded.body.id as string);
        // Previews made (staff reads): the purge must take them with the files.
        const preview = await download(
          admin,
          `${API}/admin/documents/${id}/files/${uploaded.body.id as string}/content?variant=preview`,
        );
        expect(preview.status).toBe(200);
      }
      await setStatus(oldRejected, 'reject');
      await setStatus(newRejected, 'reject');
      await setStatus(verified, 'verify');
      await ctx.dataSource.query(
        `UPDATE user_documents SET status_changed_at = now() - interval '91 days' WHERE id = ANY($1::uuid[])`,
        [[oldRejected, verified]],
      );
      const run = (dryRun: boolean) =>
        ctx
          .http()
          .post(`${API}/compliance/retention/run`)
          .set(compliance.authHeader)
          .send({ dryRun });
      const category = (response: Response) =>
        (response.body.categories as { category: string; rows: number }[]).find(
          (c) => c.category === 'document_files_rejected',
        );
      const dry = await run(true);
      expect(dry.status).toBe(200);
      expect(category(dry)?.rows).toBe(1);
      expect(await fileRows(oldRejected)).toBe(1);
      const real = await run(false);
      expect(category(real)?.rows).toBe(1);
      expect(await fileRows(oldRejected)).toBe(0);
      const variantsLeft = (await ctx.dataSource.query(
        `SELECT file_id, variant FROM document_file_blobs WHERE file_id = ANY($1::uuid[]) ORDER BY file_id, variant`,
        [fileIds],
      )) as { file_id: string; variant: string }[];
      expect(variantsLeft.filter((row) => row.file_id === fileIds[0])).toEqual([]);
      expect(
        variantsLeft.filter((row) => row.file_id === fileIds[1]).map((r) => r.variant),
      ).toEqual(['original', 'preview']);
      expect(await fileRows(newRejected)).toBe(1);
      expect(await fileRows(verified)).toBe(1);
    });
  });
});

describe('document evidence: uploads at once (DOCUMENT_UPLOADS_AT_ONCE)', () => {
  let ctx: TestApp;

  beforeAll(async () => {
    ctx = await createTestApp({
      env: {
        DOCUMENT_FILE_MAX_BYTES: String(MAX_BYTES),
        DOCUMENT_UPLOADS_AT_ONCE: '1',
        DOCUMENT_UPLOAD_WAIT_SECONDS: '1',
      },
    });
  });

  afterAll(async () => {
    await ctx.close();
  });

  it('an upload that finds no free slot within the wait gets 503 UPLOADS_BUSY with Retry-After; the one holding it completes', async () => {
    const user = await createVerifiedUser(ctx);
    await grantConsent(ctx, user, 'travel_documents');
    const created = await ctx
      .http()
      .post(`${API}/profile/documents`)
      .set(user.authHeader)
      .send({ type: 'passport', number: 'P7766554', issuingCountry: 'DE', holderName: 'E M' });
    expect(created.status).toBe(201);
    const filesPath = `${API}/profile/documents/${created.body.id as string}/files`;
    await ctx.app.listen(0, '127.0.0.1');
    const { port } = ctx.app.getHttpServer().address() as AddressInfo;

    // The slot's holder: a client that has sent half its file and waits.
    const boundary = 'x-boundary-slow';
    const file = await sampleFiles.noisyJpeg();
    const head = multipartHead(boundary);
    const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
    const slow = httpRequest({
      host: '127.0.0.1',
      port,
      method: 'POST',
      path: filesPath,
      headers: {
        ...user.authHeader,
        'content-type': `multipart/form-data; boundary=${boundary}`,
        'content-length': String(head.length + file.length + tail.length),
      },
    });
    const slowAnswer = new Promise<number>((resolve, reject) => {
      slow.on('error', reject);
      slow.on('response', (response) => {
        response.resume();
        resolve(response.statusCode ?? 0);
      });
    });
    const half = Math.floor(file.length / 2);
    await new Promise<void>((resolve) =>
      slow.write(Buffer.concat([head, file.subarray(0, half)]), () => resolve()),
    );
    await new Promise((resolve) => setTimeout(resolve, 100)); // its handler now holds the slot

    const busy = await uploadFile(ctx, user, filesPath, await sampleFiles.png());
    expect(busy.status).toBe(503);
    expect(busy.body.code).toBe('UPLOADS_BUSY');
    expect(busy.headers['retry-after']).toBe('5');
    expect(busy.headers['content-type']).toMatch(/^application\/problem\+json/);

    slow.end(Buffer.concat([file.subarray(half), tail]));
    expect(await slowAnswer).toBe(201);
    // The slot is free again.
    expect((await uploadFile(ctx, user, filesPath, await sampleFiles.png())).status).toBe(201);
    const [{ n }] = (await ctx.dataSource.query(
      `SELECT count(*)::int AS n FROM document_files WHERE user_document_id = $1`,
      [created.body.id],
    )) as { n: number }[];
    expect(n).toBe(2);
  });
});
