import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import jwt from 'jsonwebtoken';
import pg from 'pg';
import { FieldCipher, keyIdOf } from '#libs/common/crypto/field-cipher.js';
import { FileCipher } from '#libs/common/crypto/file-cipher.js';
import { createTestDatabase, type TestDatabase } from '#libs/database/test-database.js';
import { KeyRotationService } from '#platform/key-rotation.js';
import { KeysRotateCommand } from '#platform/key-rotation.js';
import { grantConsent } from '../factories/consents.js';
import { sampleFiles, uploadFile } from '../factories/document-files.js';
import {
  createStaff,
  createVerifiedUser,
  loginWithTotp,
  type TestTotp,
  type TestUser,
} from '../factories/users.js';
import { createTestApp, type TestApp } from '../utils/test-app.js';
import { PASSPORT_FIELDS } from '../factories/documents.js';

const DOCS = '/api/v1/profile/documents';
const CHUNK = 64 * 1024;

/** A PDF (stored as uploaded, so the bytes are known) of `size` bytes, no active content. */
function pdfOf(size: number): Buffer {
  const head = Buffer.from('%PDF-1.4\n');
  const tail = Buffer.from('\n%%EOF');
  const body = Buffer.from(
    randomBytes(Math.ceil(size / 2))
      .toString('hex')
      .slice(0, size - head.length - tail.length),
  );
  return Buffer.concat([head, body, tail]);
}
const KEY_A = randomBytes(32).toString('base64');
const KEY_B = randomBytes(32).toString('base64');
const ID_A = keyIdOf(Buffer.from(KEY_A, 'base64'));
const ID_B = keyIdOf(Buffer.from(KEY_B, 'base64'));
const JWT_1 = randomBytes(32).toString('hex');
const JWT_2 = randomBytes(32).toString('hex');

/** Before: the single keys of earlier releases. */
const ENV_BEFORE = { JWT_SECRET: JWT_1, DATA_ENCRYPTION_KEY: KEY_A };
/** During: both keys, B active; both JWT secrets, the new one signs. */
const ENV_DURING = {
  JWT_SECRETS: `${JWT_2},${JWT_1}`,
  DATA_ENCRYPTION_KEYS: `a:${KEY_A},b:${KEY_B}`,
  DATA_ENCRYPTION_KEY_ID: 'b',
  BLIND_INDEX_KEY: KEY_A,
};
/** After: A is gone from both rings. */
const ENV_AFTER = {
  JWT_SECRETS: JWT_2,
  DATA_ENCRYPTION_KEYS: `b:${KEY_B}`,
  BLIND_INDEX_KEY: KEY_A,
};

const passport = (number: string): Record<string, unknown> => ({
  ...PASSPORT_FIELDS,
  number,
});

/**
 * Signs the staff member in with a TOTP code (never a backup code: those are the test's), waiting
 * for a time step the account has not used yet when both the current and next one are spent.
 */
async function signInWithTotp(ctx: TestApp, staff: TestUser): Promise<TestUser> {
  const totp = staff.totp as TestTotp;
  totp.backupCodes = [];
  while (Math.floor(Date.now() / 30_000) + 1 <= totp.lastStep) {
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  return loginWithTotp(ctx, staff.email, staff.password, totp);
}

/** GET a file's bytes. */
async function bytesOf(ctx: TestApp, user: TestUser, path: string): Promise<Buffer> {
  const response = await ctx
    .http()
    .get(path)
    .set(user.authHeader)
    .buffer(true)
    .parse((res, done) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => done(null, Buffer.concat(chunks)));
    });
  expect(response.status).toBe(200);
  return response.body as Buffer;
}

/** A copy of a token's claims signed with `secret` (same header, issuer, audience, expiry). */
function resign(token: string, secret: string): string {
  const claims = jwt.decode(token) as Record<string, unknown>;
  return jwt.sign(claims, secret, { algorithm: 'HS256' });
}

describe('data and token key rotation', () => {
  let database: TestDatabase;
  let ctx: TestApp;
  let user: TestUser;
  let staff: TestUser;
  let backupCodes: string[];
  let firstDocument: { id: string; number: string };
  let firstFile: { id: string; bytes: Buffer };
  /** Uploaded under A in sealed chunks: 4 chunks, the last one shorter. */
  let bigFile: { id: string; bytes: Buffer };
  /** Stored under A the way the build before chunking did: one whole ciphertext (format 1). */
  let wholeFile: { id: string; bytes: Buffer };
  /** The first file's preview, made under A on the first staff read. */
  let previewBytes: Buffer;
  let secondDocumentId: string;

  async function restart(env: Record<string, string>): Promise<void> {
    await ctx?.close();
    ctx = await createTestApp({ env, database });
  }

  /** Key id of every stored ciphertext, by table (straight from the database). */
  async function storedKeyIds(): Promise<Record<string, string[]>> {
    const query = async (sql: string): Promise<string[]> =>
      ((await ctx.dataSource.query(sql)) as Array<{ k: string }>).map((row) => row.k).sort();
    return {
      totp: await query(
        `SELECT split_part(mfa_totp_secret, '.', 2) AS k FROM users WHERE mfa_totp_secret IS NOT NULL`,
      ),
      numbers: await query(`SELECT split_part(number_ciphertext, '.', 2) AS k FROM user_documents`),
      files: await query(`SELECT key_id AS k FROM document_files`),
      blobs: await query(
        `SELECT DISTINCT convert_from(substring(ciphertext from 2 for 8), 'SQL_ASCII') AS k
           FROM document_file_blobs`,
      ),
      // variant:format:key id of every stored variant; both formats keep the key id at byte 1.
      variants: await query(
        `SELECT variant || ':' || format || ':' ||
                convert_from(substring(ciphertext from 2 for 8), 'SQL_ASCII') AS k
           FROM document_file_blobs`,
      ),
    };
  }

  async function chunksOf(fileId: string, variant = 'original'): Promise<Buffer[]> {
    const rows = (await ctx.dataSource.query(
      `SELECT ciphertext FROM document_file_chunks WHERE file_id = $1 AND variant = $2 ORDER BY seq`,
      [fileId, variant],
    )) as Array<{ ciphertext: Buffer }>;
    return rows.map((row) => row.ciphertext);
  }

  const previewUrl = (): string =>
    `/api/v1/admin/documents/${firstDocument.id}/files/${firstFile.id}/content?variant=preview`;

  async function readEverything(reader: TestUser, admin: TestUser): Promise<void> {
    const list = await ctx.http().get(DOCS).set(reader.authHeader);
    expect(list.status).toBe(200);
    const masked = list.body.items.map((item: { numberMasked: string }) => item.numberMasked);
    expect(masked).toContain(`••••${firstDocument.number.slice(-4)}`);
    for (const file of [firstFile, bigFile, wholeFile]) {
      const content = await bytesOf(
        ctx,
        reader,
        `${DOCS}/${firstDocument.id}/files/${file.id}/content`,
      );
      expect(Buffer.compare(content, file.bytes)).toBe(0);
    }
    expect(Buffer.compare(await bytesOf(ctx, admin, previewUrl()), previewBytes)).toBe(0);
    const reveal = await ctx
      .http()
      .post(`/api/v1/admin/documents/${firstDocument.id}/reveal`)
      .set(admin.authHeader)
      .send({ reason: 'key rotation check' });
    expect(reveal.status).toBe(200);
    expect(reveal.body.number).toBe(firstDocument.number);
  }

  beforeAll(async () => {
    database = await createTestDatabase();
    ctx = await createTestApp({ env: ENV_BEFORE, database });
    user = await createVerifiedUser(ctx);
    await grantConsent(ctx, user, 'travel_documents');
    const number = `KR${randomBytes(4).toString('hex').toUpperCase()}`;
    const created = await ctx.http().post(DOCS).set(user.authHeader).send(passport(number));
    expect(created.status).toBe(201);
    firstDocument = { id: created.body.id, number };
    const uploaded = await uploadFile(
      ctx,
      user,
      `${DOCS}/${firstDocument.id}/files`,
      await sampleFiles.png(),
    );
    expect(uploaded.status).toBe(201);
    firstFile = {
      id: uploaded.body.id,
      bytes: await bytesOf(
        ctx,
        user,
        `${DOCS}/${firstDocument.id}/files/${uploaded.body.id}/content`,
      ),
    };
    const big = pdfOf(3 * CHUNK + 1234);
    const bigUploaded = await uploadFile(ctx, user, `${DOCS}/${firstDocument.id}/files`, big);
    expect(bigUploaded.status).toBe(201);
    bigFile = { id: bigUploaded.body.id, bytes: big };
    expect((await chunksOf(bigFile.id)).length).toBe(4);
    const whole = pdfOf(2 * CHUNK + 77);
    const wholeUploaded = await uploadFile(ctx, user, `${DOCS}/${firstDocument.id}/files`, whole);
    expect(wholeUploaded.status).toBe(201);
    wholeFile = { id: wholeUploaded.body.id, bytes: whole };
    // What the build before chunking wrote: one whole-file ciphertext under A, no chunks.
    const ciphertext = ctx.app
      .get(FileCipher)
      .encrypt(whole, `document_files:${wholeFile.id}:original`);
    await ctx.dataSource.transaction(async (manager) => {
      await manager.query(`DELETE FROM document_file_chunks WHERE file_id = $1`, [wholeFile.id]);
      await manager.query(
        `UPDATE document_file_blobs SET format = 1, ciphertext = $2 WHERE file_id = $1 AND variant = 'original'`,
        [wholeFile.id, ciphertext],
      );
    });
    staff = await createStaff(ctx, ['admin']);
    backupCodes = [...(staff.totp?.backupCodes ?? [])];
    (staff.totp as TestTotp).backupCodes = [];
    expect(backupCodes.length).toBeGreaterThan(2);
    // The preview is made (and sealed under A) on the first staff read.
    expect(await chunksOf(firstFile.id, 'preview')).toEqual([]);
    previewBytes = await bytesOf(ctx, staff, previewUrl());
    expect(previewBytes.subarray(0, 3).equals(Buffer.from([0xff, 0xd8, 0xff]))).toBe(true);
    expect(await storedKeyIds()).toEqual({
      totp: [ID_A],
      numbers: [ID_A],
      files: [ID_A, ID_A, ID_A],
      blobs: [ID_A],
      variants: [
        `original:1:${ID_A}`,
        `original:2:${ID_A}`,
        `original:2:${ID_A}`,
        `preview:2:${ID_A}`,
      ],
    });
  });

  afterAll(async () => {
    await ctx?.close();
    await database?.drop();
  });

  it('rotating only the JWT secret keeps backup codes and refresh tokens working', async () => {
    await restart({ JWT_SECRETS: JWT_2, DATA_ENCRYPTION_KEY: KEY_A });
    // The old access token is signed by a secret no longer configured.
    const stale = await ctx.http().get(DOCS).set(user.authHeader);
    expect(stale.status).toBe(401);
    const first = await ctx
      .http()
      .post('/api/v1/auth/login')
      .send({ email: staff.email, password: staff.password });
    expect(first.body.mfaToken).toEqual(expect.any(String));
    const second = await ctx
      .http()
      .post('/api/v1/auth/login/mfa')
      .send({ mfaToken: first.body.mfaToken, code: backupCodes.shift() });
    expect(second.status).toBe(200);
    expect(() => jwt.verify(second.body.accessToken, JWT_2)).not.toThrow();
    // Refresh tokens are not keyed by the JWT secret either.
    const refreshed = await ctx
      .http()
      .post('/api/v1/auth/refresh')
      .send({ refreshToken: user.refreshToken });
    expect(refreshed.status).toBe(200);
    user = { ...user, ...tokensOf(refreshed.body) };
  });

  it('with keys A and B (B active) old data reads, new data uses B, duplicates still found', async () => {
    await restart(ENV_DURING);
    // A token signed by the previous secret verifies; one signed by an unknown secret does not.
    const byOld = resign(user.accessToken, JWT_1);
    expect(
      (
        await ctx
          .http()
          .get(DOCS)
          .set({ Authorization: `Bearer ${byOld}` })
      ).status,
    ).toBe(200);
    const byStranger = resign(user.accessToken, randomBytes(32).toString('hex'));
    const refused = await ctx
      .http()
      .get(DOCS)
      .set({ Authorization: `Bearer ${byStranger}` });
    expect(refused.status).toBe(401);
    user = { ...user, authHeader: { Authorization: `Bearer ${byOld}` } };

    staff = await signInWithTotp(ctx, staff);
    expect(() => jwt.verify(staff.accessToken, JWT_2)).not.toThrow();
    await readEverything(user, staff);

    // New writes use B.
    const created = await ctx
      .http()
      .post(DOCS)
      .set(user.authHeader)
      .send(passport(`KR${randomBytes(4).toString('hex').toUpperCase()}`));
    expect(created.status).toBe(201);
    secondDocumentId = created.body.id;
    const uploaded = await uploadFile(
      ctx,
      user,
      `${DOCS}/${secondDocumentId}/files`,
      await sampleFiles.png(),
    );
    expect(uploaded.status).toBe(201);
    const ids = await storedKeyIds();
    expect(ids.numbers).toEqual([ID_A, ID_B].sort());
    expect(ids.files).toEqual([ID_A, ID_A, ID_A, ID_B].sort());
    // The blind index has its own key: the number stored under A is still a duplicate.
    const duplicate = await ctx
      .http()
      .post(DOCS)
      .set(user.authHeader)
      .send(passport(firstDocument.number.toLowerCase()));
    expect(duplicate.status).toBe(409);
    expect(duplicate.body.code).toBe('DOCUMENT_DUPLICATE');
    // A backup code hashed before the rotation still works.
    const challenge = await ctx
      .http()
      .post('/api/v1/auth/login')
      .send({ email: staff.email, password: staff.password });
    const withBackup = await ctx
      .http()
      .post('/api/v1/auth/login/mfa')
      .send({ mfaToken: challenge.body.mfaToken, code: backupCodes.shift() });
    expect(withBackup.status).toBe(200);
  });

  it('keys:rotate stops and resumes, skips rows the app holds, and is idempotent', async () => {
    const rotation = ctx.app.get(KeyRotationService);
    const bigChunksBefore = await chunksOf(bigFile.id);
    // Extra rows so the run has several batches: sign-in flows with verifiers under A.
    const underA = new FieldCipher(Buffer.from(KEY_A, 'base64'));
    for (let index = 0; index < 5; index += 1) {
      await ctx.dataSource.query(
        `INSERT INTO oauth_login_flows (provider, binding_hash, state, nonce, code_verifier, expires_at)
         VALUES ('test', $1, $2, 'n', $3, now() + interval '1 hour')`,
        [
          randomBytes(32).toString('hex'),
          randomBytes(8).toString('hex'),
          underA.encrypt(`verifier-${index}`, 'oauth-flow:test'),
        ],
      );
    }

    // A run stopped after two batches (as if killed): what it did is committed, the rest waits.
    const stopped = await rotation.rotate({ batchSize: 1, maxBatches: 2 });
    expect(stopped.stoppedEarly).toBe(true);
    const done = stopped.units.reduce((sum, unit) => sum + unit.reencrypted, 0);
    expect(done).toBe(2);

    // A batch that dies half-way (a row no configured key opens) changes nothing.
    const underC = new FieldCipher(randomBytes(32));
    await ctx.dataSource.query(
      `INSERT INTO oauth_login_flows (provider, binding_hash, state, nonce, code_verifier, expires_at)
       VALUES ('test', $1, 'broken', 'n', $2, now() + interval '1 hour')`,
      [randomBytes(32).toString('hex'), underC.encrypt('x', 'oauth-flow:test')],
    );
    const before = await ctx.dataSource.query(`SELECT id, code_verifier FROM oauth_login_flows`);
    await expect(rotation.rotate({ batchSize: 100 })).rejects.toThrow(
      /oauth_login_flows.code_verifier .* does not decrypt with any configured key/,
    );
    expect(await ctx.dataSource.query(`SELECT id, code_verifier FROM oauth_login_flows`)).toEqual(
      before,
    );
    await ctx.dataSource.query(`DELETE FROM oauth_login_flows WHERE state = 'broken'`);

    // The running app holds the first document's row: the rotation skips it, not waits.
    const holder = new pg.Client({ connectionString: database.url });
    await holder.connect();
    try {
      await holder.query('BEGIN');
      await holder.query(`SELECT 1 FROM user_documents WHERE id = $1 FOR UPDATE`, [
        firstDocument.id,
      ]);
      const partial = await rotation.rotate({ batchSize: 2 });
      const numbers = partial.units.find(
        (unit) => unit.unit === 'user_documents.number_ciphertext',
      );
      expect(numbers).toEqual({
        unit: 'user_documents.number_ciphertext',
        reencrypted: 0,
        remaining: 1,
      });
      const command = ctx.app.get(KeysRotateCommand);
      await expect(command.run({})).rejects.toThrow(/1 row\(s\) are still under an older key/);
    } finally {
      await holder.query('ROLLBACK');
      await holder.end();
    }

    const report = await ctx.app.get(KeysRotateCommand).run({ 'batch-size': '2' });
    expect(report).toContain(`Active data key: b (key id ${ID_B})`);
    expect(report).toContain('user_documents.number_ciphertext: 1 re-encrypted, 0 remaining');
    expect(report).toContain('users.mfa_totp_secret: 0 re-encrypted, 0 remaining');
    expect(report).toContain('document_files: 0 re-encrypted, 0 remaining');
    expect(report).toMatch(/users\.mfa_backup_code_hashes: 1 account\(s\)/);
    // Every variant in chunks under B: the format-1 row rewritten, the preview re-sealed too.
    expect(await storedKeyIds()).toEqual({
      totp: [ID_B],
      numbers: [ID_B, ID_B],
      files: [ID_B, ID_B, ID_B, ID_B],
      blobs: [ID_B],
      variants: [
        `original:2:${ID_B}`,
        `original:2:${ID_B}`,
        `original:2:${ID_B}`,
        `original:2:${ID_B}`,
        `preview:2:${ID_B}`,
      ],
    });
    // The big file re-sealed chunk by chunk: as many chunks, each one new.
    const bigChunksAfter = await chunksOf(bigFile.id);
    expect(bigChunksAfter.map((chunk) => chunk.length)).toEqual(
      bigChunksBefore.map((chunk) => chunk.length),
    );
    bigChunksAfter.forEach((chunk, index) =>
      expect(chunk.equals(bigChunksBefore[index] as Buffer)).toBe(false),
    );
    expect((await chunksOf(wholeFile.id)).length).toBe(3);
    expect((await chunksOf(firstFile.id, 'preview')).length).toBeGreaterThan(0);
    const verifiers = (await ctx.dataSource.query(
      `SELECT DISTINCT split_part(code_verifier, '.', 2) AS k FROM oauth_login_flows`,
    )) as Array<{ k: string }>;
    expect(verifiers).toEqual([{ k: ID_B }]);

    // Idempotent: a second run finds nothing to do.
    const again = await rotation.rotate();
    expect(again.units.every((unit) => unit.reencrypted === 0 && unit.remaining === 0)).toBe(true);
  });

  it('after removing A everything still reads', async () => {
    await restart(ENV_AFTER);
    const refreshed = await ctx
      .http()
      .post('/api/v1/auth/refresh')
      .send({ refreshToken: user.refreshToken });
    expect(refreshed.status).toBe(200);
    user = { ...user, ...tokensOf(refreshed.body) };
    staff = await signInWithTotp(ctx, staff);
    await readEverything(user, staff);
    const verifier = (await ctx.dataSource.query(
      `SELECT code_verifier FROM oauth_login_flows LIMIT 1`,
    )) as Array<{ code_verifier: string }>;
    expect(
      new FieldCipher(Buffer.from(KEY_B, 'base64')).decrypt(
        verifier[0]?.code_verifier as string,
        'oauth-flow:test',
      ),
    ).toMatch(/^verifier-\d$/);
    // File bytes under B only: the old key no longer opens them, B alone does.
    const onlyA = new FileCipher(Buffer.from(KEY_A, 'base64'));
    const onlyB = new FileCipher(Buffer.from(KEY_B, 'base64'));
    for (const file of [bigFile, wholeFile]) {
      const [blob] = (await ctx.dataSource.query(
        `SELECT ciphertext FROM document_file_blobs WHERE file_id = $1 AND variant = 'original'`,
        [file.id],
      )) as Array<{ ciphertext: Buffer }>;
      const context = `document_files:${file.id}:original`;
      const chunks = await chunksOf(file.id);
      await expect(
        (async () => {
          for await (const _ of onlyA.openChunks(blob?.ciphertext as Buffer, chunks, context));
        })(),
      ).rejects.toThrow(/unknown key id/);
      const parts: Buffer[] = [];
      for await (const part of onlyB.openChunks(blob?.ciphertext as Buffer, chunks, context))
        parts.push(part);
      expect(Buffer.concat(parts).equals(file.bytes)).toBe(true);
    }
  });
});

function tokensOf(body: { accessToken: string; refreshToken: string }): Partial<TestUser> {
  return {
    accessToken: body.accessToken,
    refreshToken: body.refreshToken,
    authHeader: { Authorization: `Bearer ${body.accessToken}` },
  };
}
