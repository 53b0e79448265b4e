import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Response } from 'supertest';
import { grantConsent, withdrawConsent } from '../factories/consents.js';
import { addFrontScan } from '../factories/document-files.js';
import {
  createStaff,
  createVerifiedUser,
  registerUser,
  type TestUser,
} from '../factories/users.js';
import { createTestApp, type TestApp } from '../utils/test-app.js';
import { PASSPORT_FIELDS } from '../factories/documents.js';

const DOCS = '/api/v1/profile/documents';
const ADMIN = '/api/v1/admin/documents';

describe('travel documents and their verification (HTTP)', () => {
  let ctx: TestApp;
  let admin: TestUser;
  let compliance: TestUser;
  /** Every response body seen in this file, to prove no raw number ever leaves except reveal. */
  const seen: string[] = [];
  const numbers: string[] = [];

  let sequence = 0;
  function uniqueNumber(): string {
    sequence += 1;
    const number = `N${randomUUID().replace(/-/g, '').slice(0, 7).toUpperCase()}${sequence}`;
    numbers.push(number);
    return number;
  }

  const passport = (overrides: Record<string, unknown> = {}): Record<string, unknown> => ({
    ...PASSPORT_FIELDS,
    number: uniqueNumber(),
    extraData: { placeOfBirth: 'Lyon' },
    ...overrides,
  });

  function keep(response: Response): Response {
    seen.push(response.text);
    return response;
  }

  const http = (): ReturnType<TestApp['http']> => ctx.http();

  /** A verified user with travel_documents consent. */
  async function documentUser(): Promise<TestUser> {
    const user = await createVerifiedUser(ctx);
    await grantConsent(ctx, user, 'travel_documents');
    return user;
  }

  async function createDocument(
    user: TestUser,
    overrides: Record<string, unknown> = {},
  ): Promise<{ id: string; number: string; body: Record<string, unknown> }> {
    const body = passport(overrides);
    const response = keep(await http().post(DOCS).set(user.authHeader).send(body));
    expect(response.status).toBe(201);
    return { id: response.body.id as string, number: body.number as string, body: response.body };
  }

  beforeAll(async () => {
    ctx = await createTestApp();
    admin = await createStaff(ctx, ['admin']);
    compliance = await createStaff(ctx, ['compliance']);
  });

  afterAll(async () => {
    await ctx.close();
  });

  describe('access', () => {
    const id = randomUUID();
    const routes = [
      ['post', DOCS],
      ['get', DOCS],
      ['get', `${DOCS}/${id}`],
      ['patch', `${DOCS}/${id}`],
      ['delete', `${DOCS}/${id}`],
      ['get', ADMIN],
      ['get', `${ADMIN}/${id}`],
      ['post', `${ADMIN}/${id}/claim`],
      ['post', `${ADMIN}/${id}/review`],
      ['post', `${ADMIN}/${id}/reveal`],
    ] as const;

    it.each(routes)('%s %s without a token → 401', async (method, path) => {
      const response = await http()[method](path).send({});
      expect(response.status).toBe(401);
    });

    it('an unverified email → 403 EMAIL_NOT_VERIFIED on every document route', async () => {
      const user = await registerUser(ctx);
      for (const [method, path] of routes.slice(0, 5)) {
        const response = await http()[method](path).set(user.authHeader).send(passport());
        expect({ path, method, status: response.status, code: response.body.code }).toEqual({
          path,
          method,
          status: 403,
          code: 'EMAIL_NOT_VERIFIED',
        });
      }
    });

    it('no travel_documents consent → 403 CONSENT_REQUIRED; a withdrawal takes effect at once', async () => {
      const user = await createVerifiedUser(ctx);
      const refused = await http().post(DOCS).set(user.authHeader).send(passport());
      expect(refused.status).toBe(403);
      expect(refused.body).toMatchObject({ code: 'CONSENT_REQUIRED', purpose: 'travel_documents' });
      await grantConsent(ctx, user, 'travel_documents');
      expect((await http().get(DOCS).set(user.authHeader)).status).toBe(200);
      await withdrawConsent(ctx, user, 'travel_documents');
      // A withdrawal stops new documents at once; listing what exists stays open.
      const withdrawn = await http().post(DOCS).set(user.authHeader).send(passport());
      expect(withdrawn.status).toBe(403);
      expect(withdrawn.body.code).toBe('CONSENT_REQUIRED');
      expect((await http().get(DOCS).set(user.authHeader)).status).toBe(200);
    });

    it('a plain user gets 403 on every /admin route', async () => {
      const user = await documentUser();
      const { id: documentId } = await createDocument(user);
      for (const [method, path, body] of [
        ['get', ADMIN, undefined],
        ['get', `${ADMIN}/${documentId}`, undefined],
        ['post', `${ADMIN}/${documentId}/claim`, undefined],
        ['post', `${ADMIN}/${documentId}/review`, { decision: 'verify' }],
        ['post', `${ADMIN}/${documentId}/reveal`, { reason: 'curious' }],
      ] as const) {
        for (const caller of [user, compliance]) {
          const response = keep(await http()[method](path).set(caller.authHeader).send(body));
          expect({ path, status: response.status, code: response.body.code }).toEqual({
            path,
            status: 403,
            code: 'FORBIDDEN_ROLE',
          });
        }
      }
      const after = keep(await http().get(`${DOCS}/${documentId}`).set(user.authHeader));
      expect(after.body.status).toBe('pending');
    });

    it("another user's document → 404 for every verb, and it is left untouched", async () => {
      const owner = await documentUser();
      const stranger = await documentUser();
      const { id } = await createDocument(owner);
      for (const [method, body] of [
        ['get', undefined],
        ['patch', { holderName: 'Someone Else' }],
        ['delete', undefined],
      ] as const) {
        const response = keep(
          await http()[method](`${DOCS}/${id}`).set(stranger.authHeader).send(body),
        );
        expect(response.status).toBe(404);
        expect(response.body.code).toBe('DOCUMENT_NOT_FOUND');
      }
      const list = keep(await http().get(DOCS).set(stranger.authHeader));
      expect(list.body.items).toEqual([]);
      const own = keep(await http().get(`${DOCS}/${id}`).set(owner.authHeader));
      expect(own.body.holderName).toBe('Camille Martin');
    });
  });

  describe('owner routes', () => {
    let user: TestUser;

    beforeAll(async () => {
      user = await documentUser();
    });

    it('round-trips a document: create, list, get, patch, delete', async () => {
      const body = passport({ number: uniqueNumber(), issuingCountry: 'be', nationality: 'be' });
      const created = keep(await http().post(DOCS).set(user.authHeader).send(body));
      expect(created.status).toBe(201);
      expect(created.headers.location).toBe(`/api/v1/profile/documents/${created.body.id}`);
      expect(created.body).toMatchObject({
        type: 'passport',
        numberMasked: `••••${(body.number as string).slice(-4)}`,
        issuingCountry: 'BE',
        nationality: 'BE',
        holderName: 'Camille Martin',
        dateOfBirth: '1990-04-01',
        issueDate: '2021-03-01',
        expiryDate: '2031-02-28',
        extraData: { placeOfBirth: 'Lyon' },
        status: 'pending',
        reviewReasonCode: null,
        version: 1,
      });
      expect(created.body).not.toHaveProperty('number');
      const id = created.body.id as string;

      const list = keep(await http().get(DOCS).set(user.authHeader));
      expect(list.status).toBe(200);
      expect(list.body.items.map((item: { id: string }) => item.id)).toContain(id);
      expect(list.body).toHaveProperty('nextCursor');

      const got = keep(await http().get(`${DOCS}/${id}`).set(user.authHeader));
      expect(got.body).toEqual(created.body);
      expect(got.headers.etag).toBe('"1"');

      const patched = keep(
        await http()
          .patch(`${DOCS}/${id}`)
          .set(user.authHeader)
          .set('If-Match', '"1"')
          .send({ issuingAuthority: 'Commune de Bruxelles', extraData: {} }),
      );
      expect(patched.status).toBe(200);
      expect(patched.body).toMatchObject({
        issuingAuthority: 'Commune de Bruxelles',
        extraData: {},
      });
      const stale = keep(
        await http()
          .patch(`${DOCS}/${id}`)
          .set(user.authHeader)
          .set('If-Match', '"1"')
          .send({ holderName: 'X Y' }),
      );
      expect(stale.status).toBe(412);

      expect((await http().delete(`${DOCS}/${id}`).set(user.authHeader)).status).toBe(204);
      expect((await http().get(`${DOCS}/${id}`).set(user.authHeader)).status).toBe(404);
    });

    it('lists newest first with keyset pagination', async () => {
      const owner = await documentUser();
      const ids: string[] = [];
      for (const type of ['passport', 'visa', 'national_id']) {
        const visa =
          type === 'visa'
            ? { country: 'US', entries: 'single', validFrom: '2024-01-01' }
            : undefined;
        ids.push((await createDocument(owner, { type, visa })).id);
      }
      const first = keep(await http().get(`${DOCS}?limit=2`).set(owner.authHeader));
      expect(first.body.items.map((item: { id: string }) => item.id)).toEqual([ids[2], ids[1]]);
      const second = keep(
        await http()
          .get(`${DOCS}?limit=2&cursor=${first.body.nextCursor as string}`)
          .set(owner.authHeader),
      );
      expect(second.body).toMatchObject({ nextCursor: null });
      expect(second.body.items.map((item: { id: string }) => item.id)).toEqual([ids[0]]);
      const visas = keep(await http().get(`${DOCS}?type=visa`).set(owner.authHeader));
      expect(visas.body.items.map((item: { id: string }) => item.id)).toEqual([ids[1]]);
    });

    it.each([
      [{ type: 'library_card' }, 'type'],
      [{ number: '' }, 'number'],
      [{ number: 'AB#123' }, 'number'],
      [{ number: 'X'.repeat(65) }, 'number'],
      [{ issuingCountry: 'ZZ' }, 'issuingCountry'],
      [{ issuingCountry: 'FRA' }, 'issuingCountry'],
      [{ nationality: 'XX' }, 'nationality'],
      [{ holderName: '' }, 'holderName'],
      [{ expiryDate: '2031-02-30' }, 'expiryDate'],
      [{ issueDate: '2999-01-01' }, 'issueDate'],
      [{ extraData: ['not', 'an', 'object'] }, 'extraData'],
      [{ extraData: { blob: 'x'.repeat(5000) } }, 'extraData'],
      [{ verified: true }, 'verified'],
      [{ status: 'verified' }, 'status'],
      [{ issueDate: '2024-01-02', expiryDate: '2024-01-01' }, 'expiryDate'],
    ])('POST %j → 400 naming %s', async (overrides, field) => {
      const response = keep(await http().post(DOCS).set(user.authHeader).send(passport(overrides)));
      expect(response.status).toBe(400);
      expect(Object.keys(response.body.errors)).toContain(field);
    });

    it('rejects a missing required field, a bad id and a limit above 100 with 400', async () => {
      const { number: _number, ...withoutNumber } = passport();
      const missing = keep(await http().post(DOCS).set(user.authHeader).send(withoutNumber));
      expect(missing.status).toBe(400);
      expect(Object.keys(missing.body.errors)).toContain('number');
      expect((await http().get(`${DOCS}/not-a-uuid`).set(user.authHeader)).status).toBe(400);
      expect((await http().get(`${DOCS}?limit=101`).set(user.authHeader)).status).toBe(400);
      const patch = keep(
        await http()
          .patch(`${DOCS}/${randomUUID()}`)
          .set(user.authHeader)
          .send({ holderName: null }),
      );
      expect(patch.status).toBe(400);
    });

    it('an already expired document → 422 DOCUMENT_EXPIRED', async () => {
      const response = keep(
        await http()
          .post(DOCS)
          .set(user.authHeader)
          .send(passport({ issueDate: '2010-01-01', expiryDate: '2020-01-01' })),
      );
      expect(response.status).toBe(422);
      expect(response.body.code).toBe('DOCUMENT_EXPIRED');
    });

    it('the same type, issuing country and number twice → 409 DOCUMENT_DUPLICATE', async () => {
      const owner = await documentUser();
      const number = uniqueNumber();
      await createDocument(owner, { number });
      const again = keep(
        await http()
          .post(DOCS)
          .set(owner.authHeader)
          .send(passport({ number: `${number.slice(0, 3)}-${number.slice(3).toLowerCase()}` })),
      );
      expect(again.status).toBe(409);
      expect(again.body.code).toBe('DOCUMENT_DUPLICATE');
      // Another person may hold a document with the same number.
      await createDocument(await documentUser(), { number });
    });

    it('the number is not stored in clear', async () => {
      const { id, number } = await createDocument(user);
      const [row] = (await ctx.dataSource.query(
        'SELECT row_to_json(d)::text AS json FROM user_documents d WHERE id = $1',
        [id],
      )) as [{ json: string }];
      expect(row.json).toContain(id);
      expect(row.json).not.toContain(number);
      expect(row.json).not.toContain(number.slice(1));
    });
  });

  describe('verification workflow', () => {
    it('pending → claim → verified by an admin; the owner sees the outcome', async () => {
      const user = await documentUser();
      const { id } = await createDocument(user);
      await addFrontScan(ctx, user, id);

      const queue = keep(
        await http().get(`${ADMIN}?status=pending&kind=user&limit=100`).set(admin.authHeader),
      );
      expect(queue.status).toBe(200);
      expect(queue.body.items.map((item: { id: string }) => item.id)).toContain(id);

      const claimed = keep(await http().post(`${ADMIN}/${id}/claim`).set(admin.authHeader));
      expect(claimed.status).toBe(200);
      expect(claimed.body).toMatchObject({
        status: 'in_review',
        claimedBy: admin.id,
        ownerId: user.id,
      });
      const claimedAgain = keep(await http().post(`${ADMIN}/${id}/claim`).set(admin.authHeader));
      expect(claimedAgain.status).toBe(409);

      const verified = keep(
        await http()
          .post(`${ADMIN}/${id}/review`)
          .set(admin.authHeader)
          .send({ decision: 'verify', note: 'scan and data match' }),
      );
      expect(verified.status).toBe(200);
      expect(verified.body.status).toBe('verified');
      expect(verified.body.reviews).toEqual([
        expect.objectContaining({
          decision: 'verify',
          reviewerId: admin.id,
          note: 'scan and data match',
        }),
      ]);

      const owner = keep(await http().get(`${DOCS}/${id}`).set(user.authHeader));
      expect(owner.body).toMatchObject({ status: 'verified', reviewReasonCode: 'document_valid' });
      expect(owner.text).not.toContain('scan and data match');

      const again = keep(
        await http()
          .post(`${ADMIN}/${id}/review`)
          .set(admin.authHeader)
          .send({ decision: 'reject', reasonCode: 'illegible' }),
      );
      expect(again.status).toBe(409);
      expect(again.body.code).toBe('INVALID_DOCUMENT_TRANSITION');
    });

    it('rejection with a reason: the owner sees the reason code, never the internal note', async () => {
      const user = await documentUser();
      const { id } = await createDocument(user);
      const noReason = keep(
        await http()
          .post(`${ADMIN}/${id}/review`)
          .set(admin.authHeader)
          .send({ decision: 'reject' }),
      );
      expect(noReason.status).toBe(400);
      const badDecision = keep(
        await http()
          .post(`${ADMIN}/${id}/review`)
          .set(admin.authHeader)
          .send({ decision: 'maybe' }),
      );
      expect(badDecision.status).toBe(400);

      const rejected = keep(
        await http().post(`${ADMIN}/${id}/review`).set(admin.authHeader).send({
          decision: 'reject',
          reasonCode: 'data_mismatch',
          note: 'INTERNAL-ONLY birth date differs',
        }),
      );
      expect(rejected.status).toBe(200);
      expect(rejected.body.status).toBe('rejected');
      for (const response of [
        keep(await http().get(`${DOCS}/${id}`).set(user.authHeader)),
        keep(await http().get(DOCS).set(user.authHeader)),
      ]) {
        expect(response.text).toContain('data_mismatch');
        expect(response.text).not.toContain('INTERNAL-ONLY');
      }
    });

    it('an owner edit after verification → pending again, back in the queue', async () => {
      const user = await documentUser();
      const { id } = await createDocument(user);
      await addFrontScan(ctx, user, id);
      keep(
        await http()
          .post(`${ADMIN}/${id}/review`)
          .set(admin.authHeader)
          .send({ decision: 'verify' }),
      );
      const edited = keep(
        await http().patch(`${DOCS}/${id}`).set(user.authHeader).send({ number: uniqueNumber() }),
      );
      expect(edited.status).toBe(200);
      expect(edited.body).toMatchObject({ status: 'pending', reviewReasonCode: null });
      const detail = keep(await http().get(`${ADMIN}/${id}`).set(admin.authHeader));
      expect(detail.body.status).toBe('pending');
      expect(detail.body.reviews).toHaveLength(1);
    });

    it('past its expiry date a document reads as expired (and stays so in the database)', async () => {
      const user = await documentUser();
      const { id } = await createDocument(user);
      await addFrontScan(ctx, user, id);
      keep(
        await http()
          .post(`${ADMIN}/${id}/review`)
          .set(admin.authHeader)
          .send({ decision: 'verify' }),
      );
      await ctx.dataSource.query(
        "UPDATE user_documents SET issue_date = '2012-01-01', expiry_date = CURRENT_DATE - 2 WHERE id = $1",
        [id],
      );
      const read = keep(await http().get(`${DOCS}/${id}`).set(user.authHeader));
      expect(read.body.status).toBe('expired');
      const [row] = (await ctx.dataSource.query('SELECT status FROM user_documents WHERE id = $1', [
        id,
      ])) as [{ status: string }];
      expect(row.status).toBe('expired');
      const decide = keep(
        await http()
          .post(`${ADMIN}/${id}/review`)
          .set(admin.authHeader)
          .send({ decision: 'verify' }),
      );
      expect(decide.status).toBe(409);
    });

    it('the queue filters by kind and status; traveler documents are empty until travelers plug in', async () => {
      const travelers = keep(await http().get(`${ADMIN}?kind=traveler`).set(admin.authHeader));
      expect(travelers.body).toEqual({ items: [], nextCursor: null });
      expect((await http().get(`${ADMIN}?kind=pet`).set(admin.authHeader)).status).toBe(400);
      expect((await http().get(`${ADMIN}?status=lost`).set(admin.authHeader)).status).toBe(400);
      expect((await http().get(`${ADMIN}/${randomUUID()}`).set(admin.authHeader)).status).toBe(404);
    });

    it('reveal returns the full number and writes an audit event the compliance role can read', async () => {
      const user = await documentUser();
      const { id, number } = await createDocument(user);
      const noReason = await http().post(`${ADMIN}/${id}/reveal`).set(admin.authHeader).send({});
      expect(noReason.status).toBe(400);

      const revealed = await http()
        .post(`${ADMIN}/${id}/reveal`)
        .set(admin.authHeader)
        .set('X-Request-Id', 'reveal-e2e-1')
        .send({ reason: 'border authority request #42' });
      expect(revealed.status).toBe(200);
      expect(revealed.body).toEqual({ id, kind: 'user', number });

      const trail = await http()
        .get(`/api/v1/compliance/audit-events?action=document.reveal&subjectId=${user.id}`)
        .set(compliance.authHeader);
      expect(trail.status).toBe(200);
      expect(trail.body.items).toEqual([
        expect.objectContaining({
          actorId: admin.id,
          actorRoles: ['admin'],
          action: 'document.reveal',
          subjectId: user.id,
          resourceType: 'user_document',
          resourceId: id,
          reason: 'border authority request #42',
          requestId: 'reveal-e2e-1',
        }),
      ]);
      expect(trail.text).not.toContain(number);
    });

    it("an admin's read of someone's document is audited too", async () => {
      const user = await documentUser();
      const { id } = await createDocument(user);
      keep(await http().get(`${ADMIN}/${id}`).set(admin.authHeader));
      const trail = await http()
        .get(`/api/v1/compliance/audit-events?action=document.read&subjectId=${user.id}`)
        .set(compliance.authHeader);
      expect(trail.body.items).toEqual([
        expect.objectContaining({
          actorId: admin.id,
          resourceId: id,
          resourceType: 'user_document',
        }),
      ]);
    });
  });

  it('no response except reveal ever carried a raw document number', () => {
    expect(seen.length).toBeGreaterThan(50);
    expect(numbers.length).toBeGreaterThan(10);
    for (const text of seen) {
      for (const number of numbers) expect(text).not.toContain(number);
    }
  });
});
