import { createHash, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { CONSENT_DECIDER, type ConsentDecider } from '#libs/common/auth/consent-decider.js';
import {
  AUDIT_LOG,
  CONSENT_RECORDER,
  GUARDIAN_CONSENTS,
  type AuditLog,
  type ConsentDecisionInput,
  type ConsentRecorder,
  type GuardianConsents,
} from '#libs/common/compliance-ports.js';
import { AuditLogService } from '#modules/compliance/audit-log.service.js';
import { ConsentLedgerService } from '#modules/compliance/consent-ledger.service.js';
import { ConsentNoticesService } from '#modules/compliance/consent-notices.service.js';
import { createTestApp, type TestApp } from '../utils/test-app.js';

const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

/**
 * Consent-ledger and audit-trail rules at the service and SQL level (triggers, hash chain, the
 * decider). The public routes are in test/e2e/consent-notices.e2e-spec.ts.
 */
describe('compliance core (no login)', () => {
  let ctx: TestApp;
  let ledger: ConsentLedgerService;
  let recorder: ConsentRecorder;
  let decider: ConsentDecider;
  let notices: ConsentNoticesService;
  let audit: AuditLog;

  beforeAll(async () => {
    ctx = await createTestApp();
    ledger = ctx.app.get(ConsentLedgerService);
    recorder = ctx.app.get<ConsentRecorder>(CONSENT_RECORDER);
    decider = ctx.app.get<ConsentDecider>(CONSENT_DECIDER);
    notices = ctx.app.get(ConsentNoticesService);
    audit = ctx.app.get<AuditLog>(AUDIT_LOG);
  });

  afterAll(async () => {
    await ctx.close();
  });

  const decision = (
    subjectId: string,
    purpose: string,
    granted: boolean,
    version = 1,
  ): ConsentDecisionInput => ({
    subjectId,
    purpose,
    version,
    granted,
    source: 'api',
    ip: '203.0.113.7',
    userAgent: 'e2e-agent',
  });

  /** Runs statements with the table's triggers disabled, as a superuser tampering would. */
  async function tamper(table: string, ...statements: [string, unknown[]][]): Promise<void> {
    const runner = ctx.dataSource.createQueryRunner();
    await runner.connect();
    try {
      await runner.startTransaction();
      await runner.query(`ALTER TABLE ${table} DISABLE TRIGGER USER`);
      for (const [sql, params] of statements) await runner.query(sql, params);
      await runner.query(`ALTER TABLE ${table} ENABLE TRIGGER USER`);
      await runner.commitTransaction();
    } finally {
      await runner.release();
    }
  }

  describe('append-only tables', () => {
    let consentEventId: string;

    beforeAll(async () => {
      const event = await ledger.recordEvent(decision(randomUUID(), 'marketing', true));
      consentEventId = event.id;
      await audit.record({
        actorId: randomUUID(),
        actorRoles: ['admin'],
        action: 'document.reveal',
        subjectId: randomUUID(),
        resourceType: 'user_document',
        resourceId: randomUUID(),
        reason: 'append-only check',
        requestId: 'req-1',
      });
    });

    it.each([
      ['UPDATE consent_events', `UPDATE consent_events SET decision = 'withdrawn'`],
      ['DELETE consent_events', 'DELETE FROM consent_events'],
      ['TRUNCATE consent_events', 'TRUNCATE consent_events'],
      ['UPDATE audit_events', `UPDATE audit_events SET reason = 'edited'`],
      ['DELETE audit_events', 'DELETE FROM audit_events'],
      ['TRUNCATE audit_events', 'TRUNCATE audit_events'],
      ['UPDATE consent_notices', `UPDATE consent_notices SET text = 'edited'`],
      ['DELETE consent_notices', 'DELETE FROM consent_notices'],
    ])('refuses %s at the database', async (_name, sql) => {
      await expect(ctx.dataSource.query(sql)).rejects.toThrow(/append-only/);
    });

    it('keeps the rows untouched after the refused statements', async () => {
      const [row] = await ctx.dataSource.query<{ decision: string }[]>(
        'SELECT decision FROM consent_events WHERE id = $1',
        [consentEventId],
      );
      expect(row?.decision).toBe('granted');
      const [notices] = await ctx.dataSource.query<{ count: string }[]>(
        'SELECT count(*) FROM consent_notices',
      );
      expect(Number(notices?.count)).toBeGreaterThanOrEqual(5);
    });

    it('allows only a subject_id update, only with pseudonymisation switched on for the transaction', async () => {
      const subjectId = randomUUID();
      await ledger.recordEvent(decision(subjectId, 'marketing', true));
      await ledger.recordEvent(decision(subjectId, 'marketing', false));
      const pseudonym = randomUUID();

      // Without the setting: refused.
      await expect(
        ctx.dataSource.query('UPDATE consent_events SET subject_id = $1 WHERE subject_id = $2', [
          pseudonym,
          subjectId,
        ]),
      ).rejects.toThrow(/append-only/);

      // With the setting, another column: refused.
      await expect(
        ctx.dataSource.transaction(async (manager) => {
          await manager.query(`SET LOCAL pathavana.allow_pseudonymise = 'on'`);
          await manager.query(
            `UPDATE consent_events SET subject_id = $1, decision = 'granted' WHERE subject_id = $2`,
            [pseudonym, subjectId],
          );
        }),
      ).rejects.toThrow(/may change only/);

      // With the setting, a DELETE: still refused.
      await expect(
        ctx.dataSource.transaction(async (manager) => {
          await manager.query(`SET LOCAL pathavana.allow_pseudonymise = 'on'`);
          await manager.query('DELETE FROM consent_events WHERE subject_id = $1', [subjectId]);
        }),
      ).rejects.toThrow(/append-only/);

      // With the setting, subject_id only: allowed, and the chain verifies under the pseudonym.
      await ctx.dataSource.transaction(async (manager) => {
        await manager.query(`SET LOCAL pathavana.allow_pseudonymise = 'on'`);
        await manager.query('UPDATE consent_events SET subject_id = $1 WHERE subject_id = $2', [
          pseudonym,
          subjectId,
        ]);
      });
      expect(await ledger.verify(subjectId)).toMatchObject({ intact: true, eventCount: 0 });
      expect(await ledger.verify(pseudonym)).toMatchObject({ intact: true, eventCount: 2 });

      // SET LOCAL ended with the transaction: the pooled connection is append-only again.
      await expect(
        ctx.dataSource.query('UPDATE consent_events SET subject_id = $1 WHERE subject_id = $2', [
          subjectId,
          pseudonym,
        ]),
      ).rejects.toThrow(/append-only/);
    });
  });

  describe('the ledger and its hash chain', () => {
    it('grant → withdraw → re-grant: three chained events that verify', async () => {
      const subjectId = randomUUID();
      const first = await ledger.recordEvent(decision(subjectId, 'travel_documents', true));
      const second = await ledger.recordEvent(decision(subjectId, 'travel_documents', false));
      const third = await ledger.recordEvent(decision(subjectId, 'travel_documents', true));

      expect([first.seq, second.seq, third.seq]).toEqual([1, 2, 3]);
      expect(first.prevHash).toBeNull();
      expect(second.prevHash).toBe(first.hash);
      expect(third.prevHash).toBe(second.hash);
      expect([first.decision, second.decision, third.decision]).toEqual([
        'granted',
        'withdrawn',
        'granted',
      ]);
      const [notice] = await ctx.dataSource.query<{ text_sha256: string }[]>(
        `SELECT text_sha256 FROM consent_notices WHERE purpose = 'travel_documents' AND version = 1`,
      );
      expect(third.textSha256).toBe(notice?.text_sha256);
      expect(third.ip).toBe('203.0.113.7');
      expect(third.userAgent).toBe('e2e-agent');

      const history = await ledger.history(subjectId, {});
      expect(history.items.map((event) => event.id)).toEqual([third.id, second.id, first.id]);
      expect(await ledger.verify(subjectId)).toEqual({
        intact: true,
        eventCount: 3,
        headHash: third.hash,
        brokenAt: null,
      });
    });

    it('detects a row edited by SQL (triggers disabled)', async () => {
      const subjectId = randomUUID();
      await ledger.recordEvent(decision(subjectId, 'travel_documents', true));
      const edited = await ledger.recordEvent(decision(subjectId, 'travel_documents', false));
      await ledger.recordEvent(decision(subjectId, 'travel_documents', true));
      await tamper('consent_events', [
        `UPDATE consent_events SET decision = 'granted' WHERE id = $1`,
        [edited.id],
      ]);
      expect(await ledger.verify(subjectId)).toMatchObject({
        intact: false,
        eventCount: 3,
        brokenAt: { eventId: edited.id, seq: 2, reason: 'HASH_MISMATCH' },
      });
    });

    it('detects a deleted event (triggers disabled)', async () => {
      const subjectId = randomUUID();
      await ledger.recordEvent(decision(subjectId, 'travel_documents', true));
      const deleted = await ledger.recordEvent(decision(subjectId, 'travel_documents', false));
      const after = await ledger.recordEvent(decision(subjectId, 'travel_documents', true));
      await tamper('consent_events', ['DELETE FROM consent_events WHERE id = $1', [deleted.id]]);
      expect(await ledger.verify(subjectId)).toMatchObject({
        intact: false,
        eventCount: 2,
        brokenAt: { eventId: after.id, seq: 3, expectedSeq: 2, reason: 'SEQUENCE_GAP' },
      });
    });

    it('detects an edit that recomputed the row hash (the next link breaks)', async () => {
      const subjectId = randomUUID();
      await ledger.recordEvent(decision(subjectId, 'travel_documents', true));
      const edited = await ledger.recordEvent(decision(subjectId, 'travel_documents', false));
      const next = await ledger.recordEvent(decision(subjectId, 'travel_documents', true));
      await tamper('consent_events', [
        `UPDATE consent_events SET ip = '198.51.100.1', hash = $2 WHERE id = $1`,
        [edited.id, 'f'.repeat(64)],
      ]);
      const result = await ledger.verify(subjectId);
      expect(result.intact).toBe(false);
      expect(result.brokenAt?.seq).toBe(2);
      // Even with a correct row hash, the next event's prev_hash would no longer match.
      expect(next.prevHash).toBe(edited.hash);
    });

    it('serialises concurrent decisions of one subject into one valid chain', async () => {
      const subjectId = randomUUID();
      await Promise.all(
        Array.from({ length: 12 }, (_, index) =>
          recorder.record(decision(subjectId, 'marketing', index % 2 === 0)),
        ),
      );
      const result = await ledger.verify(subjectId);
      expect(result).toMatchObject({ intact: true, eventCount: 12, brokenAt: null });
      const rows = await ctx.dataSource.query<{ seq: number }[]>(
        'SELECT seq FROM consent_events WHERE subject_id = $1 ORDER BY seq',
        [subjectId],
      );
      expect(rows.map((row) => row.seq)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
    });

    it('writes inside the caller’s transaction (rolled back with it)', async () => {
      const subjectId = randomUUID();
      await expect(
        ctx.dataSource.transaction(async (manager) => {
          await recorder.record(
            { ...decision(subjectId, 'marketing', true), source: 'registration' },
            manager,
          );
          throw new Error('caller fails after recording');
        }),
      ).rejects.toThrow('caller fails');
      expect(await ledger.verify(subjectId)).toMatchObject({ eventCount: 0 });

      await ctx.dataSource.transaction(async (manager) => {
        await recorder.record(
          { ...decision(subjectId, 'marketing', true), source: 'registration' },
          manager,
        );
      });
      const [row] = await ctx.dataSource.query<{ source: string }[]>(
        'SELECT source FROM consent_events WHERE subject_id = $1',
        [subjectId],
      );
      expect(row?.source).toBe('registration');
    });

    it('answers guardian consent per traveler, never mixing it with the guardian’s own', async () => {
      const guardian = randomUUID();
      const traveler = randomUUID();
      const otherTraveler = randomUUID();
      const guardianConsents = ctx.app.get<GuardianConsents>(GUARDIAN_CONSENTS);
      const forTraveler = (granted: boolean): ConsentDecisionInput => ({
        ...decision(guardian, 'travel_booking', granted, 1),
        travelerId: traveler,
        actorId: guardian,
        source: 'guardian',
      });
      const current = await notices.currentVersion('travel_booking');
      await recorder.record({ ...forTraveler(true), version: current ?? 1 });

      expect(await guardianConsents.decide(guardian, traveler, 'travel_booking')).toMatchObject({
        granted: true,
      });
      expect(
        await guardianConsents.decide(guardian, otherTraveler, 'travel_booking'),
      ).toMatchObject({ granted: false });
      expect(await decider.decide(guardian, 'travel_booking')).toMatchObject({ granted: false });

      // The guardian's own grant does not count for the traveler either.
      await recorder.record({ ...decision(guardian, 'travel_booking', true, current ?? 1) });
      await recorder.record({ ...forTraveler(false), version: current ?? 1 });
      expect(await decider.decide(guardian, 'travel_booking')).toMatchObject({ granted: true });
      expect(await guardianConsents.decide(guardian, traveler, 'travel_booking')).toMatchObject({
        granted: false,
      });

      const history = await ledger.history(guardian, {});
      expect(history.items[0]).toMatchObject({ travelerId: traveler, source: 'guardian' });
      expect(await ledger.verify(guardian)).toMatchObject({ intact: true, eventCount: 3 });
    });

    it.each([
      ['an unknown purpose', { purpose: 'telepathy' }, 'UNKNOWN_CONSENT_PURPOSE'],
      ['an unpublished version', { version: 9 }, 'UNKNOWN_NOTICE_VERSION'],
    ])('refuses %s with 422', async (_name, override, code) => {
      await expect(
        recorder.record({ ...decision(randomUUID(), 'marketing', true), ...override }),
      ).rejects.toMatchObject({ code, status: 422 });
    });

    it('accepts a grant only of the current version, a withdrawal of any published one', async () => {
      await notices.publish({
        purpose: 'travel_booking',
        title: 'Booking travel for you (v2)',
        text: 'Version 2 of the booking notice, clarifying provider data sharing.',
        requiresReconsent: false,
      });
      const subjectId = randomUUID();
      await expect(
        recorder.record(decision(subjectId, 'travel_booking', true, 1)),
      ).rejects.toMatchObject({ code: 'NOTICE_VERSION_NOT_CURRENT', status: 422 });
      await recorder.record(decision(subjectId, 'travel_booking', true, 2));
      await recorder.record(decision(subjectId, 'travel_booking', false, 1));
      expect(await decider.decide(subjectId, 'travel_booking')).toEqual({
        granted: false,
        purpose: 'travel_booking',
        currentVersion: 2,
      });
    });
  });

  describe('the ConsentDecider (counting rule)', () => {
    it('follows grants, withdrawals and notice versions with and without re-consent', async () => {
      const subject = randomUUID();
      const other = randomUUID();
      const decide = (): Promise<unknown> => decider.decide(subject, 'analytics');

      expect(await decide()).toEqual({ granted: false, purpose: 'analytics', currentVersion: 1 });
      await recorder.record(decision(subject, 'analytics', true, 1));
      await recorder.record(decision(other, 'analytics', true, 1));
      expect(await decide()).toEqual({ granted: true, purpose: 'analytics', currentVersion: 1 });

      await recorder.record(decision(subject, 'analytics', false, 1));
      expect(await decide()).toEqual({ granted: false, purpose: 'analytics', currentVersion: 1 });
      await recorder.record(decision(subject, 'analytics', true, 1));

      // v2 without re-consent: the v1 grant still counts.
      await notices.publish({
        purpose: 'analytics',
        title: 'Improving Pathavana (v2)',
        text: 'Analytics notice version 2: wording only.',
        requiresReconsent: false,
      });
      expect(await decide()).toEqual({ granted: true, purpose: 'analytics', currentVersion: 2 });

      // v3 with re-consent: earlier grants stop counting, for everyone.
      const v3 = await notices.publish({
        purpose: 'analytics',
        title: 'Improving Pathavana (v3)',
        text: 'Analytics notice version 3: new processors, re-consent needed.',
        requiresReconsent: true,
      });
      expect(v3).toMatchObject({ version: 3, requiredFor: [], textSha256: sha256(v3.text) });
      expect(await decide()).toEqual({ granted: false, purpose: 'analytics', currentVersion: 3 });
      expect(await decider.decide(other, 'analytics')).toMatchObject({ granted: false });

      await recorder.record(decision(subject, 'analytics', true, 3));
      expect(await decide()).toEqual({ granted: true, purpose: 'analytics', currentVersion: 3 });

      // v4 without re-consent: the v3 grant keeps counting.
      await notices.publish({
        purpose: 'analytics',
        title: 'Improving Pathavana (v4)',
        text: 'Analytics notice version 4: typo fixes.',
        requiresReconsent: false,
      });
      expect(await decide()).toEqual({ granted: true, purpose: 'analytics', currentVersion: 4 });

      const states = await ledger.stateFor(subject);
      expect(states.find((state) => state.purpose === 'analytics')).toMatchObject({
        granted: true,
        currentVersion: 4,
        reconsentFloor: 3,
        latest: { decision: 'granted', noticeVersion: 3 },
      });
      expect(states.find((state) => state.purpose === 'marketing')).toMatchObject({
        granted: false,
        currentVersion: 1,
        latest: null,
      });
    });

    it('refuses a purpose it does not know, naming no version', async () => {
      expect(await decider.decide(randomUUID(), 'telepathy')).toEqual({
        granted: false,
        purpose: 'telepathy',
        currentVersion: null,
      });
    });

    it('answers from one index-backed query', async () => {
      // The planner prefers a seq scan on a tiny table; forbid it to ask which index serves.
      await ctx.dataSource.transaction(async (manager) => {
        await manager.query('SET LOCAL enable_seqscan = off');
        const rows = await manager.query<{ 'QUERY PLAN': string }[]>(
          `EXPLAIN SELECT decision, notice_version FROM consent_events
            WHERE subject_id = $1 AND purpose = 'analytics' AND traveler_id IS NULL
            ORDER BY seq DESC LIMIT 1`,
          [randomUUID()],
        );
        expect(rows.map((row) => row['QUERY PLAN']).join('\n')).toContain(
          'idx_consent_events_own_latest',
        );
      });
    });
  });

  describe('the audit trail', () => {
    it('filters by actor, subject, action, resource type and time, newest first, paged', async () => {
      const actor = randomUUID();
      const subject = randomUUID();
      const service = ctx.app.get(AuditLogService);
      for (const action of ['user.read', 'document.reveal', 'user.read']) {
        await audit.record({
          actorId: actor,
          actorRoles: ['admin'],
          action,
          subjectId: subject,
          resourceType: action.split('.')[0],
          resourceId: randomUUID(),
          reason: 'support ticket 42',
          requestId: randomUUID(),
        });
      }
      const all = await service.list({ actorId: actor });
      expect(all.items.map((event) => event.action)).toEqual([
        'user.read',
        'document.reveal',
        'user.read',
      ]);
      const first = await service.list({ subjectId: subject, limit: 2 });
      expect(first.items).toHaveLength(2);
      expect(first.nextCursor).toEqual(expect.any(String));
      const second = await service.list({
        subjectId: subject,
        limit: 2,
        cursor: first.nextCursor ?? '',
      });
      expect(second.items).toHaveLength(1);
      expect(second.nextCursor).toBeNull();
      expect(new Set([...first.items, ...second.items].map((event) => event.id)).size).toBe(3);

      expect(
        (await service.list({ actorId: actor, action: 'document.reveal' })).items,
      ).toHaveLength(1);
      expect((await service.list({ actorId: actor, resourceType: 'user' })).items).toHaveLength(2);
      const future = new Date(Date.now() + 60_000).toISOString();
      expect((await service.list({ actorId: actor, from: future })).items).toHaveLength(0);
      expect((await service.list({ actorId: actor, to: future })).items).toHaveLength(3);
    });
  });
});
