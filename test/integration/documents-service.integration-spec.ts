import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ProblemException } from '#libs/common/errors/problem.exception.js';
import { problemFromDatabaseError } from '#libs/common/errors/constraint-codes.js';
import { DocumentAdminService } from '#modules/documents/document-admin.service.js';
import {
  DocumentExpirySweeper,
  EXPIRY_SWEEP_LOCK,
} from '#modules/documents/document-expiry.sweeper.js';
import { DocumentsService } from '#modules/documents/documents.service.js';
import { DocumentFilesService } from '#modules/documents/files/document-files.service.js';
import type { CreateDocumentDto } from '#modules/documents/dto/create-document.dto.js';
import { sampleFiles } from '../factories/document-files.js';
import { registerUser } from '../factories/users.js';
import { createTestApp, type TestApp } from '../utils/test-app.js';
import { PASSPORT_FIELDS } from '../factories/documents.js';

/**
 * The document piece at the service level (no login needed): encryption at rest, the blind
 * index, the review lifecycle, rectification and expiry, for owner kind `user`.
 */
describe('documents (service level)', () => {
  let ctx: TestApp;
  let documents: DocumentsService;
  let admin: DocumentAdminService;
  let sweeper: DocumentExpirySweeper;
  const staff = { id: randomUUID(), roles: ['admin'] as const, requestId: 'req-1' };

  let sequence = 0;
  const uniqueNumber = (): string => {
    sequence += 1;
    return `P${Date.now().toString().slice(-6)}${sequence.toString().padStart(3, '0')}`;
  };
  const passport = (overrides: Partial<CreateDocumentDto> = {}): CreateDocumentDto => ({
    ...PASSPORT_FIELDS,
    number: uniqueNumber(),
    ...overrides,
  });

  /** Runs a call expected to fail; returns the problem (DB errors go through the filter's mapping). */
  async function problemOf(call: () => Promise<unknown>): Promise<ProblemException> {
    try {
      await call();
    } catch (error) {
      if (error instanceof ProblemException) return error;
      const mapped = problemFromDatabaseError(error);
      if (mapped) return mapped;
      throw error;
    }
    throw new Error('expected a problem');
  }

  /** A real account to own documents (user_documents.user_id references users). */
  async function newOwner(): Promise<string> {
    return (await registerUser(ctx)).id;
  }

  interface AuditRow {
    actor_id: string | null;
    action: string;
    subject_id: string | null;
    resource_type: string | null;
    resource_id: string | null;
    reason: string | null;
    request_id: string | null;
  }

  async function auditEvents(action: string): Promise<AuditRow[]> {
    return (await ctx.dataSource.query(
      'SELECT actor_id, action, subject_id, resource_type, resource_id, reason, request_id FROM audit_events WHERE action = $1',
      [action],
    )) as AuditRow[];
  }

  /** The desk verifies only against a front scan. */
  async function addFrontScan(owner: string, id: string): Promise<void> {
    await ctx.app
      .get(DocumentFilesService)
      .upload('user', owner, id, 'front', await sampleFiles.png());
  }

  async function rowOf(id: string): Promise<Record<string, unknown>> {
    const [row] = (await ctx.dataSource.query(
      'SELECT row_to_json(d)::text AS json, d.* FROM user_documents d WHERE id = $1',
      [id],
    )) as Array<Record<string, unknown>>;
    if (!row) throw new Error(`no row ${id}`);
    return row;
  }

  beforeAll(async () => {
    ctx = await createTestApp();
    documents = ctx.app.get(DocumentsService);
    admin = ctx.app.get(DocumentAdminService);
    sweeper = ctx.app.get(DocumentExpirySweeper);
  });

  afterAll(async () => {
    await ctx.close();
  });

  describe('encryption at rest and masking', () => {
    it('stores the number only as ciphertext, blind index and mask', async () => {
      const owner = await newOwner();
      const input = passport({ number: 'X98765432' });
      const created = await documents.create('user', owner, input);
      expect(created.numberMasked).toBe('••••5432');
      expect(JSON.stringify(created)).not.toContain('X98765432');
      expect(created.status).toBe('pending');

      const row = await rowOf(created.id);
      expect(row.json).not.toContain('X98765432');
      expect(row.json).not.toContain('98765432');
      expect(row.number_ciphertext).toMatch(/^v1\.[0-9a-f]{8}\./);
      expect(row.number_index).toMatch(/^[0-9a-f]{64}$/);
      expect(row.user_id).toBe(owner);
    });

    it('the ciphertext is bound to its row: copied to another row it does not decrypt', async () => {
      const owner = await newOwner();
      const first = await documents.create('user', owner, passport({ number: 'AAA111222' }));
      const second = await documents.create('user', owner, passport({ number: 'BBB333444' }));
      await ctx.dataSource.query(
        'UPDATE user_documents SET number_ciphertext = (SELECT number_ciphertext FROM user_documents WHERE id = $1) WHERE id = $2',
        [first.id, second.id],
      );
      const revealed = await admin.reveal(first.id, 'identity check', staff);
      expect(revealed.number).toBe('AAA111222');
      await expect(admin.reveal(second.id, 'identity check', staff)).rejects.toThrow();
    });

    it('list, get and update answers never carry the number', async () => {
      const owner = await newOwner();
      const created = await documents.create('user', owner, passport({ number: 'LIST12345' }));
      const listed = await documents.list('user', owner, {});
      const got = await documents.get('user', owner, created.id);
      const updated = await documents.update('user', owner, created.id, {
        holderName: 'C. Martin',
      });
      for (const answer of [listed, got, updated]) {
        expect(JSON.stringify(answer)).not.toContain('LIST12345');
      }
      expect(listed.items.map((item) => item.id)).toEqual([created.id]);
    });

    it('reveal returns the full number and records an audit event with the reason', async () => {
      const owner = await newOwner();
      const created = await documents.create('user', owner, passport({ number: 'REV987654' }));
      const revealed = await admin.reveal(created.id, 'airline asked for APIS data', staff);
      expect(revealed).toEqual({ id: created.id, kind: 'user', number: 'REV987654' });
      expect(await auditEvents('document.reveal')).toContainEqual({
        actor_id: staff.id,
        action: 'document.reveal',
        subject_id: owner,
        resource_type: 'user_document',
        resource_id: created.id,
        reason: 'airline asked for APIS data',
        request_id: 'req-1',
      });
    });
  });

  describe('duplicates (blind index)', () => {
    it('the same type, issuing country and number twice for one owner → 409 DOCUMENT_DUPLICATE', async () => {
      const owner = await newOwner();
      await documents.create('user', owner, passport({ number: 'DUP-123 456' }));
      const problem = await problemOf(() =>
        documents.create('user', owner, passport({ number: 'dup123456' })),
      );
      expect(problem.getStatus()).toBe(409);
      expect(problem.code).toBe('DOCUMENT_DUPLICATE');
      const [{ count }] = (await ctx.dataSource.query(
        'SELECT count(*)::int AS count FROM user_documents WHERE user_id = $1',
        [owner],
      )) as [{ count: number }];
      expect(count).toBe(1);
    });

    it('another owner, another country or another type is not a duplicate', async () => {
      const owner = await newOwner();
      const number = uniqueNumber();
      await documents.create('user', owner, passport({ number }));
      await documents.create('user', await newOwner(), passport({ number }));
      await documents.create('user', owner, passport({ number, issuingCountry: 'BE' }));
      await documents.create('user', owner, passport({ number, type: 'national_id' }));
      const page = await documents.list('user', owner, {});
      expect(page.items).toHaveLength(3);
    });

    it('an edit that makes a duplicate → 409 DOCUMENT_DUPLICATE', async () => {
      const owner = await newOwner();
      await documents.create('user', owner, passport({ number: 'EDIT00001' }));
      const other = await documents.create('user', owner, passport({ number: 'EDIT00002' }));
      const problem = await problemOf(() =>
        documents.update('user', owner, other.id, { number: 'EDIT00001' }),
      );
      expect(problem.code).toBe('DOCUMENT_DUPLICATE');
    });
  });

  describe('review flow', () => {
    it('pending → claim → in_review → verify; decisions append-only; owner sees the code, not the note', async () => {
      const owner = await newOwner();
      const created = await documents.create('user', owner, passport());
      await addFrontScan(owner, created.id);
      const claimed = await admin.claim(created.id, staff);
      expect(claimed.status).toBe('in_review');
      expect(claimed.claimedBy).toBe(staff.id);
      const again = await problemOf(() => admin.claim(created.id, staff));
      expect(again.getStatus()).toBe(409);
      expect(again.code).toBe('INVALID_DOCUMENT_TRANSITION');

      const verified = await admin.review(
        created.id,
        { decision: 'verify', note: 'matched the scan' },
        staff,
      );
      expect(verified.status).toBe('verified');
      expect(verified.reviews).toEqual([
        expect.objectContaining({
          decision: 'verify',
          reasonCode: 'document_valid',
          note: 'matched the scan',
          reviewerId: staff.id,
          fromStatus: 'in_review',
        }),
      ]);
      const seen = await documents.get('user', owner, created.id);
      expect(seen.status).toBe('verified');
      expect(seen.reviewReasonCode).toBe('document_valid');
      expect(JSON.stringify(seen)).not.toContain('matched the scan');

      const twice = await problemOf(() =>
        admin.review(created.id, { decision: 'reject', reasonCode: 'illegible' }, staff),
      );
      expect(twice.getStatus()).toBe(409);

      await expect(
        ctx.dataSource.query(
          "UPDATE document_reviews SET note = 'rewritten' WHERE document_id = $1",
          [created.id],
        ),
      ).rejects.toThrow(/append-only/);
    });

    it('an admin may reject straight from pending, with a reason code the owner sees', async () => {
      const owner = await newOwner();
      const created = await documents.create('user', owner, passport());
      const missing = await problemOf(() =>
        admin.review(created.id, { decision: 'reject' }, staff),
      );
      expect(missing.getStatus()).toBe(400);
      expect(missing.extras.errors).toHaveProperty('reasonCode');
      const wrong = await problemOf(() =>
        admin.review(created.id, { decision: 'reject', reasonCode: 'document_valid' }, staff),
      );
      expect(wrong.getStatus()).toBe(400);

      const rejected = await admin.review(
        created.id,
        { decision: 'reject', reasonCode: 'data_mismatch', note: 'name differs from scan' },
        staff,
      );
      expect(rejected.status).toBe('rejected');
      expect(rejected.reviews[0]).toMatchObject({
        fromStatus: 'pending',
        reasonCode: 'data_mismatch',
      });
      const seen = await documents.get('user', owner, created.id);
      expect(seen).toMatchObject({ status: 'rejected', reviewReasonCode: 'data_mismatch' });
      expect(JSON.stringify(seen)).not.toContain('name differs');
    });

    it('an owner edit after verification (rectification) → pending; the decision no longer shows', async () => {
      const owner = await newOwner();
      const created = await documents.create('user', owner, passport());
      await addFrontScan(owner, created.id);
      await admin.review(created.id, { decision: 'verify' }, staff);
      const unchanged = await documents.update('user', owner, created.id, {
        holderName: 'Camille Martin',
      });
      expect(unchanged.status).toBe('verified');

      const rectified = await documents.update('user', owner, created.id, {
        holderName: 'Camille A. Martin',
      });
      expect(rectified.status).toBe('pending');
      expect(rectified.reviewReasonCode).toBeNull();
      expect(rectified.version).toBeGreaterThan(created.version);
      const detail = await admin.get(created.id, staff);
      expect(detail.status).toBe('pending');
      expect(detail.reviews).toHaveLength(1);

      const reverified = await admin.review(created.id, { decision: 'verify' }, staff);
      expect(reverified.reviews).toHaveLength(2);
    });

    it('a number change re-encrypts and re-indexes', async () => {
      const owner = await newOwner();
      const created = await documents.create('user', owner, passport({ number: 'OLD000001' }));
      const before = await rowOf(created.id);
      const updated = await documents.update('user', owner, created.id, { number: 'NEW000002' });
      const after = await rowOf(created.id);
      expect(updated.numberMasked).toBe('••••0002');
      expect(after.number_index).not.toBe(before.number_index);
      expect(after.json).not.toContain('NEW000002');
      expect((await admin.reveal(created.id, 'check', staff)).number).toBe('NEW000002');
    });

    it('If-Match with a stale version → 412', async () => {
      const owner = await newOwner();
      const created = await documents.create('user', owner, passport());
      await documents.update('user', owner, created.id, { holderName: 'Someone Else' });
      const stale = await problemOf(() =>
        documents.update('user', owner, created.id, { holderName: 'Third' }, created.version),
      );
      expect(stale.getStatus()).toBe(412);
    });

    it('issue after expiry → 400 with the field', async () => {
      const problem = await problemOf(() =>
        documents.create(
          'user',
          randomUUID(),
          passport({ issueDate: '2024-01-01', expiryDate: '2023-12-31' }),
        ),
      );
      expect(problem.getStatus()).toBe(400);
      expect(problem.extras.errors).toHaveProperty('expiryDate');
    });

    it('deleting a document removes its reviews', async () => {
      const owner = await newOwner();
      const created = await documents.create('user', owner, passport());
      await addFrontScan(owner, created.id);
      await admin.review(created.id, { decision: 'verify' }, staff);
      await documents.remove('user', owner, created.id);
      const [{ count }] = (await ctx.dataSource.query(
        'SELECT count(*)::int AS count FROM document_reviews WHERE document_id = $1',
        [created.id],
      )) as [{ count: number }];
      expect(count).toBe(0);
      expect((await problemOf(() => admin.get(created.id, staff))).getStatus()).toBe(404);
    });
  });

  describe('owner scoping', () => {
    it('another owner gets 404 for get, update and delete', async () => {
      const owner = await newOwner();
      const stranger = randomUUID();
      const created = await documents.create('user', owner, passport());
      for (const call of [
        () => documents.get('user', stranger, created.id),
        () => documents.update('user', stranger, created.id, { holderName: 'Thief' }),
        () => documents.remove('user', stranger, created.id),
      ]) {
        const problem = await problemOf(call);
        expect(problem.getStatus()).toBe(404);
        expect(problem.code).toBe('DOCUMENT_NOT_FOUND');
      }
      expect((await documents.list('user', stranger, {})).items).toEqual([]);
      expect((await documents.get('user', owner, created.id)).holderName).toBe('Camille Martin');
    });
  });

  describe('expiry', () => {
    it('creating a document already past its expiry date → 422 DOCUMENT_EXPIRED', async () => {
      const problem = await problemOf(() =>
        documents.create(
          'user',
          randomUUID(),
          passport({ issueDate: '2010-01-01', expiryDate: '2020-01-01' }),
        ),
      );
      expect(problem.getStatus()).toBe(422);
      expect(problem.code).toBe('DOCUMENT_EXPIRED');
    });

    it('a document past expiry reads as expired and is persisted as such', async () => {
      const owner = await newOwner();
      const created = await documents.create('user', owner, passport());
      await addFrontScan(owner, created.id);
      await admin.review(created.id, { decision: 'verify' }, staff);
      await ctx.dataSource.query(
        "UPDATE user_documents SET expiry_date = CURRENT_DATE - 1, issue_date = '2015-01-01' WHERE id = $1",
        [created.id],
      );
      const read = await documents.get('user', owner, created.id);
      expect(read.status).toBe('expired');
      expect((await rowOf(created.id)).status).toBe('expired');
      const decide = await problemOf(() => admin.review(created.id, { decision: 'verify' }, staff));
      expect(decide.getStatus()).toBe(409);

      const stillPast = await problemOf(() =>
        documents.update('user', owner, created.id, { holderName: 'New Name' }),
      );
      expect(stillPast.code).toBe('DOCUMENT_EXPIRED');
      const renewed = await documents.update('user', owner, created.id, {
        expiryDate: '2036-01-01',
      });
      expect(renewed.status).toBe('pending');
    });

    it('a document expiring today is still valid', async () => {
      const owner = await newOwner();
      const created = await documents.create('user', owner, passport());
      await ctx.dataSource.query(
        "UPDATE user_documents SET expiry_date = (now() AT TIME ZONE 'UTC')::date WHERE id = $1",
        [created.id],
      );
      expect((await documents.get('user', owner, created.id)).status).toBe('pending');
    });

    it('the scheduled sweep expires overdue documents of every owner', async () => {
      const first = await documents.create('user', await newOwner(), passport());
      const second = await documents.create('user', await newOwner(), passport());
      const current = await documents.create('user', await newOwner(), passport());
      await ctx.dataSource.query(
        "UPDATE user_documents SET expiry_date = '2024-06-30', issue_date = '2014-07-01' WHERE id = ANY($1)",
        [[first.id, second.id]],
      );
      const result = await sweeper.sweep();
      expect(result.ran).toBe(true);
      expect(result.expired.user).toBeGreaterThanOrEqual(2);
      expect((await rowOf(first.id)).status).toBe('expired');
      expect((await rowOf(second.id)).status).toBe('expired');
      expect((await rowOf(current.id)).status).toBe('pending');
      expect((await sweeper.sweep()).expired.user).toBe(0);
    });

    it('the sweep is skipped while another instance holds the advisory lock', async () => {
      const created = await documents.create('user', await newOwner(), passport());
      await ctx.dataSource.query(
        "UPDATE user_documents SET expiry_date = '2024-06-30', issue_date = '2014-07-01' WHERE id = $1",
        [created.id],
      );
      const other = ctx.dataSource.createQueryRunner();
      await other.connect();
      try {
        await other.query('SELECT pg_advisory_lock(hashtext($1))', [EXPIRY_SWEEP_LOCK]);
        expect(await sweeper.sweep()).toEqual({ ran: false, expired: {} });
        const [row] = (await ctx.dataSource.query(
          'SELECT status FROM user_documents WHERE id = $1',
          [created.id],
        )) as [{ status: string }];
        expect(row.status).toBe('pending');
      } finally {
        await other.query('SELECT pg_advisory_unlock(hashtext($1))', [EXPIRY_SWEEP_LOCK]);
        await other.release();
      }
      expect((await sweeper.sweep()).ran).toBe(true);
      expect((await rowOf(created.id)).status).toBe('expired');
    });

    it('the sweep timer is scheduled at start-up and stoppable', () => {
      expect(sweeper.scheduled).toBe(true);
    });
  });

  describe('admin queue', () => {
    it('oldest first, filtered by status, keyset-paginated, audited', async () => {
      const owner = await newOwner();
      const ids: string[] = [];
      for (let i = 0; i < 3; i += 1) {
        ids.push(
          (
            await documents.create(
              'user',
              owner,
              passport({
                type: 'visa',
                visa: { country: 'US', entries: 'single', validFrom: '2024-01-01' },
              }),
            )
          ).id,
        );
      }
      await admin.claim(ids[1] as string, staff);
      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await admin.queue(
          { status: 'pending', kind: 'user', limit: 1, cursor },
          staff,
        );
        seen.push(...page.items.map((item) => item.id));
        for (const item of page.items) expect(item.status).toBe('pending');
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      const mine = seen.filter((id) => ids.includes(id));
      expect(mine).toEqual([ids[0], ids[2]]);
      const inReview = await admin.queue({ status: 'in_review' }, staff);
      expect(inReview.items.map((item) => item.id)).toContain(ids[1]);
      expect(inReview.items[0]).toMatchObject({
        kind: 'user',
        accountHolderId: expect.any(String),
      });
      expect((await auditEvents('document.list')).length).toBeGreaterThan(0);
    });

    it('kind=traveler is empty until the travelers module plugs its kind in', async () => {
      expect(await admin.queue({ kind: 'traveler' }, staff)).toEqual({
        items: [],
        nextCursor: null,
      });
    });

    it('an admin read of a document is an audit event about its owner', async () => {
      const owner = await newOwner();
      const created = await documents.create('user', owner, passport());
      const detail = await admin.get(created.id, staff);
      expect(detail).toMatchObject({ id: created.id, ownerId: owner, accountHolderId: owner });
      expect(await auditEvents('document.read')).toContainEqual(
        expect.objectContaining({ subject_id: owner, resource_id: created.id }),
      );
    });
  });
});
