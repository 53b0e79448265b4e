import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { CONSENT_PURPOSES } from '#modules/compliance/consent-purposes.js';
import { createTestApp, type TestApp } from '../utils/test-app.js';

const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

/** The public consent routes (no login); the ledger's SQL rules are in test/integration. */
describe('consent notices over HTTP', () => {
  let ctx: TestApp;

  beforeAll(async () => {
    ctx = await createTestApp();
  });

  afterAll(async () => {
    await ctx.close();
  });

  describe('GET /consent-notices', () => {
    it('is public and lists version 1 of every purpose with the SHA-256 of its text', async () => {
      const response = await ctx.http().get('/api/v1/consent-notices');
      expect(response.status).toBe(200);
      expect(response.body.nextCursor).toBeNull();
      const items = response.body.items as {
        purpose: string;
        version: number;
        title: string;
        text: string;
        textSha256: string;
        requiredFor: string[];
      }[];
      expect(items.map((item) => item.purpose).sort()).toEqual([...CONSENT_PURPOSES].sort());
      for (const item of items) {
        expect(item.version).toBe(1);
        expect(item.title.length).toBeGreaterThan(5);
        expect(item.text.length).toBeGreaterThan(150);
        expect(item.textSha256).toBe(sha256(item.text));
      }
      const required = Object.fromEntries(items.map((item) => [item.purpose, item.requiredFor]));
      expect(required).toMatchObject({
        travel_planning: ['sessions'],
        travel_documents: ['documents'],
        travel_booking: ['bookings'],
        marketing: [],
        analytics: [],
      });
    });
    it('lists the consent vocabularies in /meta/enums', async () => {
      const enums = await ctx.http().get('/api/v1/meta/enums');
      expect(enums.body).toMatchObject({
        consent_purpose: [...CONSENT_PURPOSES],
        consent_decision: ['granted', 'withdrawn'],
        consent_source: ['api', 'registration', 'guardian'],
      });
    });
  });
});
