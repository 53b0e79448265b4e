import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Controller, Get, Module } from '@nestjs/common';
import { RequiresConsent } from '#libs/common/auth/decorators.js';
import { currentNoticeVersion, grantConsent, withdrawConsent } from '../factories/consents.js';
import {
  createStaff,
  createVerifiedUser,
  registerUser,
  type TestUser,
} from '../factories/users.js';
import { createTestApp, type TestApp } from '../utils/test-app.js';

/** A test-only route behind the ConsentGuard (the real sessions route does not exist yet). */
@Controller('probe-consent')
class ProbeController {
  @RequiresConsent('travel_planning')
  @Get()
  probe(): { ok: true } {
    return { ok: true };
  }
}

@Module({ controllers: [ProbeController] })
class ProbeModule {}

interface HistoryItem {
  id: string;
  purpose: string;
  noticeVersion: number;
  textSha256: string;
  decision: string;
  source: string;
  ip: string | null;
  userAgent: string | null;
  seq: number;
  prevHash: string | null;
  hash: string;
}

describe('compliance over HTTP', () => {
  let ctx: TestApp;
  let complianceOfficer: TestUser;
  let admin: TestUser;

  beforeAll(async () => {
    ctx = await createTestApp({ imports: [ProbeModule] });
    complianceOfficer = await createStaff(ctx, ['compliance']);
    admin = await createStaff(ctx, ['admin']);
  });

  afterAll(async () => {
    await ctx.close();
  });

  const history = async (user: TestUser, query = ''): Promise<HistoryItem[]> => {
    const response = await ctx
      .http()
      .get(`/api/v1/me/consents/history${query}`)
      .set(user.authHeader);
    expect(response.status).toBe(200);
    return response.body.items as HistoryItem[];
  };

  const verify = (subjectId: string, as: TestUser = complianceOfficer) =>
    ctx
      .http()
      .get(`/api/v1/compliance/consent-records/verify?subjectId=${subjectId}`)
      .set(as.authHeader);

  describe('POST /me/consents, GET /me/consents, GET /me/consents/history', () => {
    it('grant → withdraw → re-grant: three events with the right versions and hashes; the chain verifies', async () => {
      const user = await createVerifiedUser(ctx);
      const version = await currentNoticeVersion(ctx, 'travel_documents');
      for (const granted of [true, false, true]) {
        const response = await ctx
          .http()
          .post('/api/v1/me/consents')
          .set(user.authHeader)
          .set('User-Agent', 'ledger-e2e/1.0')
          .send({ purpose: 'travel_documents', version, granted });
        expect(response.status).toBe(201);
        expect(response.body).toMatchObject({
          purpose: 'travel_documents',
          noticeVersion: version,
          decision: granted ? 'granted' : 'withdrawn',
          source: 'api',
          userAgent: 'ledger-e2e/1.0',
        });
      }

      const items = await history(user);
      expect(items.map((item) => [item.seq, item.decision, item.noticeVersion])).toEqual([
        [3, 'granted', version],
        [2, 'withdrawn', version],
        [1, 'granted', version],
      ]);
      const [third, second, first] = items as [HistoryItem, HistoryItem, HistoryItem];
      expect(first.prevHash).toBeNull();
      expect(second.prevHash).toBe(first.hash);
      expect(third.prevHash).toBe(second.hash);
      expect(new Set(items.map((item) => item.hash)).size).toBe(3);
      expect(first.ip).toEqual(expect.any(String));

      const notices = await ctx.http().get('/api/v1/consent-notices');
      const notice = (notices.body.items as { purpose: string; textSha256: string }[]).find(
        (item) => item.purpose === 'travel_documents',
      );
      expect(items.every((item) => item.textSha256 === notice?.textSha256)).toBe(true);

      const verified = await verify(user.id);
      expect(verified.status).toBe(200);
      expect(verified.body).toMatchObject({
        subjectId: user.id,
        intact: true,
        eventCount: 3,
        headHash: third.hash,
        brokenAt: null,
      });

      const state = await ctx.http().get('/api/v1/me/consents').set(user.authHeader);
      expect(state.status).toBe(200);
      expect(state.body.items).toHaveLength(5);
      expect(
        (state.body.items as { purpose: string }[]).find((s) => s.purpose === 'travel_documents'),
      ).toMatchObject({
        granted: true,
        currentVersion: version,
        decision: 'granted',
        noticeVersion: version,
        reconsentRequired: false,
      });
      expect(
        (state.body.items as { purpose: string }[]).find((s) => s.purpose === 'marketing'),
      ).toMatchObject({ granted: false, decision: null, noticeVersion: null, decidedAt: null });
    });

    it('a row tampered with by SQL is reported by the verification route', async () => {
      const user = await createVerifiedUser(ctx);
      await grantConsent(ctx, user, 'marketing');
      const withdrawal = await withdrawConsent(ctx, user, 'marketing');
      await grantConsent(ctx, user, 'marketing');
      const runner = ctx.dataSource.createQueryRunner();
      await runner.connect();
      try {
        await runner.startTransaction();
        await runner.query('ALTER TABLE consent_events DISABLE TRIGGER consent_events_append_only');
        await runner.query(`UPDATE consent_events SET decision = 'granted' WHERE id = $1`, [
          withdrawal.id,
        ]);
        await runner.query('ALTER TABLE consent_events ENABLE TRIGGER consent_events_append_only');
        await runner.commitTransaction();
      } finally {
        await runner.release();
      }
      const verified = await verify(user.id);
      expect(verified.status).toBe(200);
      expect(verified.body).toMatchObject({
        intact: false,
        eventCount: 3,
        brokenAt: { eventId: withdrawal.id, seq: 2, reason: 'HASH_MISMATCH' },
      });
    });

    it('records registration consents in the ledger with source "registration"', async () => {
      const version = await currentNoticeVersion(ctx, 'analytics');
      const user = await registerUser(ctx, {
        consents: [{ purpose: 'analytics', version, granted: true }],
      });
      const items = await history(user);
      expect(items).toHaveLength(1);
      expect(items[0]).toMatchObject({ purpose: 'analytics', source: 'registration', seq: 1 });
      const state = await ctx.http().get('/api/v1/me/consents').set(user.authHeader);
      expect(
        (state.body.items as { purpose: string }[]).find((s) => s.purpose === 'analytics'),
      ).toMatchObject({ granted: true });
    });

    it('pages the history newest first with a keyset cursor, and shows only the caller’s events', async () => {
      const user = await createVerifiedUser(ctx);
      const other = await createVerifiedUser(ctx);
      for (let i = 0; i < 3; i += 1) await grantConsent(ctx, user, 'marketing');
      await grantConsent(ctx, other, 'marketing');

      const first = await ctx
        .http()
        .get('/api/v1/me/consents/history?limit=2')
        .set(user.authHeader);
      expect(first.status).toBe(200);
      expect(first.body.items.map((item: HistoryItem) => item.seq)).toEqual([3, 2]);
      expect(first.body.nextCursor).toEqual(expect.any(String));
      const second = await ctx
        .http()
        .get(`/api/v1/me/consents/history?limit=2&cursor=${first.body.nextCursor as string}`)
        .set(user.authHeader);
      expect(second.body.items.map((item: HistoryItem) => item.seq)).toEqual([1]);
      expect(second.body.nextCursor).toBeNull();

      expect((await history(other)).map((item) => item.seq)).toEqual([1]);
      const tooMany = await ctx
        .http()
        .get('/api/v1/me/consents/history?limit=101')
        .set(user.authHeader);
      expect(tooMany.status).toBe(400);
    });

    it.each([
      ['a missing field', { purpose: 'marketing', version: 1 }],
      ['an unknown field', { purpose: 'marketing', version: 1, granted: true, admin: true }],
      ['a version that is not an integer', { purpose: 'marketing', version: '1', granted: true }],
      ['a decision that is not a boolean', { purpose: 'marketing', version: 1, granted: 'yes' }],
    ])('answers 400 for %s', async (_name, body) => {
      const user = await createVerifiedUser(ctx);
      const response = await ctx.http().post('/api/v1/me/consents').set(user.authHeader).send(body);
      expect(response.status).toBe(400);
      expect(response.body.code).toBe('VALIDATION_FAILED');
    });

    it.each([
      ['an unknown purpose', { purpose: 'telepathy', version: 1 }, 'UNKNOWN_CONSENT_PURPOSE'],
      ['an unpublished version', { purpose: 'marketing', version: 999 }, 'UNKNOWN_NOTICE_VERSION'],
    ])('answers 422 for %s', async (_name, body, code) => {
      const user = await createVerifiedUser(ctx);
      const response = await ctx
        .http()
        .post('/api/v1/me/consents')
        .set(user.authHeader)
        .send({ ...body, granted: true });
      expect(response.status).toBe(422);
      expect(response.body.code).toBe(code);
      expect(await history(user)).toHaveLength(0);
    });
  });

  describe('@RequiresConsent through the ConsentGuard', () => {
    it('403 → grant 200 → withdraw 403 → re-grant 200 → re-consent notice 403 → new grant 200', async () => {
      const user = await createVerifiedUser(ctx);
      const probe = () => ctx.http().get('/api/v1/probe-consent').set(user.authHeader);
      const v1 = await currentNoticeVersion(ctx, 'travel_planning');

      const before = await probe();
      expect(before.status).toBe(403);
      expect(before.body).toMatchObject({
        code: 'CONSENT_REQUIRED',
        purpose: 'travel_planning',
        version: v1,
      });

      await grantConsent(ctx, user, 'travel_planning');
      expect((await probe()).status).toBe(200);

      await withdrawConsent(ctx, user, 'travel_planning');
      const withdrawn = await probe();
      expect(withdrawn.status).toBe(403);
      expect(withdrawn.body.code).toBe('CONSENT_REQUIRED');

      await grantConsent(ctx, user, 'travel_planning');
      expect((await probe()).status).toBe(200);

      // A new version WITHOUT re-consent leaves the grant valid.
      const wording = await ctx
        .http()
        .post('/api/v1/compliance/consent-notices')
        .set(complianceOfficer.authHeader)
        .send({
          purpose: 'travel_planning',
          title: 'Planning your trips',
          text: 'Planning notice, wording clarified; nothing new is processed.',
          requiresReconsent: false,
        });
      expect(wording.status).toBe(201);
      expect(wording.body).toMatchObject({ version: v1 + 1, requiredFor: ['sessions'] });
      expect((await probe()).status).toBe(200);

      // A new version WITH re-consent: earlier grants stop counting.
      const reconsent = await ctx
        .http()
        .post('/api/v1/compliance/consent-notices')
        .set(complianceOfficer.authHeader)
        .send({
          purpose: 'travel_planning',
          title: 'Planning your trips',
          text: 'Planning notice: trip data is now also used to suggest itineraries.',
          requiresReconsent: true,
        });
      expect(reconsent.status).toBe(201);
      const v3 = reconsent.body.version as number;
      expect(v3).toBe(v1 + 2);
      const stale = await probe();
      expect(stale.status).toBe(403);
      expect(stale.body).toMatchObject({
        code: 'CONSENT_REQUIRED',
        purpose: 'travel_planning',
        version: v3,
      });
      const state = await ctx.http().get('/api/v1/me/consents').set(user.authHeader);
      expect(
        (state.body.items as { purpose: string }[]).find((s) => s.purpose === 'travel_planning'),
      ).toMatchObject({ granted: false, reconsentRequired: true, currentVersion: v3 });

      // The old version cannot be granted any more; the current one can.
      const old = await ctx
        .http()
        .post('/api/v1/me/consents')
        .set(user.authHeader)
        .send({ purpose: 'travel_planning', version: v1, granted: true });
      expect(old.status).toBe(422);
      expect(old.body).toMatchObject({ code: 'NOTICE_VERSION_NOT_CURRENT', currentVersion: v3 });

      const granted = await grantConsent(ctx, user, 'travel_planning');
      expect(granted.noticeVersion).toBe(v3);
      expect((await probe()).status).toBe(200);
    });

    it('answers 401 without a token', async () => {
      const response = await ctx.http().get('/api/v1/probe-consent');
      expect(response.status).toBe(401);
    });
  });

  describe('compliance routes', () => {
    const publishBody = {
      purpose: 'marketing',
      title: 'Travel offers and news',
      text: 'Marketing notice, wording only.',
      requiresReconsent: false,
    };

    const routes: {
      name: string;
      call: (user?: TestUser) => Promise<{ status: number; body: { code?: string } }>;
      ok: number;
    }[] = [
      {
        name: 'POST /compliance/consent-notices',
        call: (user) => {
          const request = ctx.http().post('/api/v1/compliance/consent-notices');
          return (user ? request.set(user.authHeader) : request).send(publishBody);
        },
        ok: 201,
      },
      {
        name: 'GET /compliance/audit-events',
        call: (user) => {
          const request = ctx.http().get('/api/v1/compliance/audit-events');
          return user ? request.set(user.authHeader) : request;
        },
        ok: 200,
      },
      {
        name: 'GET /compliance/consent-records/verify',
        call: (user) => {
          const request = ctx
            .http()
            .get(`/api/v1/compliance/consent-records/verify?subjectId=${randomUUID()}`);
          return user ? request.set(user.authHeader) : request;
        },
        ok: 200,
      },
    ];

    it.each(routes.map((route) => [route.name, route] as const))(
      '%s: anonymous 401, user 403, admin 403, compliance OK',
      async (_name, route) => {
        const user = await createVerifiedUser(ctx);
        const anonymous = await route.call();
        expect(anonymous.status).toBe(401);
        const asUser = await route.call(user);
        expect(asUser.status).toBe(403);
        expect(asUser.body.code).toBe('FORBIDDEN_ROLE');
        const asAdmin = await route.call(admin);
        expect(asAdmin.status).toBe(403);
        expect(asAdmin.body.code).toBe('FORBIDDEN_ROLE');
        const asCompliance = await route.call(complianceOfficer);
        expect(asCompliance.status).toBe(route.ok);
      },
    );

    it('compliance cannot act as admin (admin route → 403)', async () => {
      const models = await ctx.http().get('/api/v1/meta/models').set(complianceOfficer.authHeader);
      expect(models.status).toBe(403);
      expect(models.body.code).toBe('FORBIDDEN_ROLE');
      expect((await ctx.http().get('/api/v1/meta/models').set(admin.authHeader)).status).toBe(200);
    });

    it.each([
      ['/api/v1/me/consents', 'get'],
      ['/api/v1/me/consents', 'post'],
      ['/api/v1/me/consents/history', 'get'],
    ] as const)('%s (%s) answers 401 without a token', async (path, method) => {
      const response = await ctx.http()[method](path);
      expect(response.status).toBe(401);
      expect(response.body.code).toBe('UNAUTHENTICATED');
    });

    it('POST /compliance/consent-notices answers 400 for a bad body', async () => {
      for (const body of [
        { ...publishBody, purpose: 'telepathy' },
        { ...publishBody, text: '' },
        { ...publishBody, requiresReconsent: 'yes' },
        { ...publishBody, version: 7 },
      ]) {
        const response = await ctx
          .http()
          .post('/api/v1/compliance/consent-notices')
          .set(complianceOfficer.authHeader)
          .send(body);
        expect(response.status).toBe(400);
      }
    });

    it('verification needs a subject id (400)', async () => {
      const response = await ctx
        .http()
        .get('/api/v1/compliance/consent-records/verify?subjectId=nope')
        .set(complianceOfficer.authHeader);
      expect(response.status).toBe(400);
    });

    it('audits publications, verifications and audit reads; filters and pages the trail', async () => {
      const officer = await createStaff(ctx, ['compliance']);
      const subject = await createVerifiedUser(ctx);
      const published = await ctx
        .http()
        .post('/api/v1/compliance/consent-notices')
        .set(officer.authHeader)
        .set('X-Request-Id', 'publish-req-1')
        .send(publishBody);
      expect(published.status).toBe(201);
      expect((await verify(subject.id, officer)).status).toBe(200);

      const trail = await ctx
        .http()
        .get(`/api/v1/compliance/audit-events?actorId=${officer.id}`)
        .set(officer.authHeader);
      expect(trail.status).toBe(200);
      expect(trail.body.items.map((event: { action: string }) => event.action)).toEqual([
        'consent_chain.verify',
        'consent_notice.publish',
      ]);
      expect(trail.body.items[1]).toMatchObject({
        actorId: officer.id,
        resourceType: 'consent_notice',
        resourceId: expect.any(String),
        requestId: 'publish-req-1',
      });
      expect(trail.body.items[1].actorRoles).toContain('compliance');
      expect(trail.body.items[0]).toMatchObject({ subjectId: subject.id });

      // The read itself was audited (after it answered).
      const reads = await ctx
        .http()
        .get(`/api/v1/compliance/audit-events?actorId=${officer.id}&action=audit.read&limit=1`)
        .set(officer.authHeader);
      expect(reads.body.items).toHaveLength(1);
      expect(reads.body.items[0]).toMatchObject({
        action: 'audit.read',
        resourceType: 'audit_events',
      });

      const bySubject = await ctx
        .http()
        .get(`/api/v1/compliance/audit-events?subjectId=${subject.id}&resourceType=consent_events`)
        .set(officer.authHeader);
      expect(bySubject.body.items).toHaveLength(1);

      const paged = await ctx
        .http()
        .get(`/api/v1/compliance/audit-events?actorId=${officer.id}&limit=2`)
        .set(officer.authHeader);
      expect(paged.body.items).toHaveLength(2);
      const next = await ctx
        .http()
        .get(
          `/api/v1/compliance/audit-events?actorId=${officer.id}&limit=2&cursor=${paged.body.nextCursor as string}`,
        )
        .set(officer.authHeader);
      expect(next.status).toBe(200);
      const seen = [...paged.body.items, ...next.body.items].map(
        (event: { id: string }) => event.id,
      );
      expect(new Set(seen).size).toBe(seen.length);

      const future = new Date(Date.now() + 3_600_000).toISOString();
      const none = await ctx
        .http()
        .get(
          `/api/v1/compliance/audit-events?actorId=${officer.id}&from=${encodeURIComponent(future)}`,
        )
        .set(officer.authHeader);
      expect(none.body.items).toHaveLength(0);

      for (const query of ['actorId=nope', 'from=yesterday', 'limit=101', 'colour=red']) {
        const bad = await ctx
          .http()
          .get(`/api/v1/compliance/audit-events?${query}`)
          .set(officer.authHeader);
        expect(bad.status).toBe(400);
      }
    });
  });
});
