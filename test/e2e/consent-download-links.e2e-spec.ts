import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ConsentDownloadLinks } from '#modules/compliance/privacy/consent-download-link.js';
import { createStaff, type TestUser } from '../factories/users.js';
import { createTestApp, type TestApp } from '../utils/test-app.js';

const LINKS = '/api/v1/compliance/consent-records/download-links';

describe('consent-record download links (browser-native downloads for the console)', () => {
  let ctx: TestApp;
  let compliance: TestUser;
  let admin: TestUser;

  beforeAll(async () => {
    ctx = await createTestApp();
    compliance = await createStaff(ctx, ['compliance']);
    admin = await createStaff(ctx, ['admin']);
  });

  afterAll(async () => {
    await ctx?.close();
  });

  it('mints a one-minute link that downloads the streamed export as an attachment, audited', async () => {
    const minted = await ctx
      .http()
      .post(LINKS)
      .set(compliance.authHeader)
      .send({ format: 'csv', purpose: 'marketing', from: '2020-01-01T00:00:00Z' });
    expect(minted.status).toBe(201);
    const expiresIn = new Date(minted.body.expiresAt).getTime() - Date.now();
    expect(expiresIn).toBeGreaterThan(30_000);
    expect(expiresIn).toBeLessThanOrEqual(61_000);
    expect(minted.body.url).toMatch(/^\/api\/v1\/compliance\/consent-records\/download\?token=/);

    // No bearer token: the link is the credential.
    const download = await ctx.http().get(minted.body.url);
    expect(download.status).toBe(200);
    expect(download.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(download.headers['content-disposition']).toMatch(
      /^attachment; filename="consent-records-\d{4}-\d{2}-\d{2}\.csv"$/,
    );
    expect(download.headers['cache-control']).toBe('no-store');
    expect(download.text.split('\n')[0]).toContain('event_id');

    const audit = await ctx.dataSource.query(
      `SELECT actor_id, action, reason FROM audit_events WHERE action = 'consent_records.export' AND actor_id = $1`,
      [compliance.id],
    );
    expect(audit).toEqual([
      expect.objectContaining({
        action: 'consent_records.export',
        reason: expect.stringContaining('purpose=marketing'),
      }),
    ]);
    expect(audit[0].reason).toContain('via=download_link');
  });

  it('NDJSON links download NDJSON', async () => {
    const minted = await ctx
      .http()
      .post(LINKS)
      .set(compliance.authHeader)
      .send({ format: 'ndjson' });
    const download = await ctx.http().get(minted.body.url);
    expect(download.status).toBe(200);
    expect(download.headers['content-disposition']).toContain('.ndjson"');
  });

  it('refuses tampered, forged and expired links, and non-compliance staff cannot mint one', async () => {
    const minted = await ctx.http().post(LINKS).set(compliance.authHeader).send({ format: 'csv' });
    const token = decodeURIComponent(String(minted.body.url).split('token=')[1]);
    const [prefix, payload, signature] = token.split('.');
    const widened = Buffer.from(
      JSON.stringify({
        ...JSON.parse(Buffer.from(payload, 'base64url').toString()),
        purpose: undefined,
        expiresAt: 9e9,
      }),
    ).toString('base64url');
    const url = (value: string) =>
      `/api/v1/compliance/consent-records/download?token=${encodeURIComponent(value)}`;
    for (const bad of [`${prefix}.${widened}.${signature}`, 'cdl1.e30.AAAA', 'garbage']) {
      const response = await ctx.http().get(url(bad));
      expect([bad, response.status, response.body.code]).toEqual([
        bad,
        403,
        'DOWNLOAD_LINK_INVALID',
      ]);
    }
    const expired = new ConsentDownloadLinks(ctx.config.JWT_SECRET, 60, () => 1_000).issue({
      actorId: compliance.id,
      actorRoles: ['user', 'compliance'],
      format: 'csv',
    });
    expect((await ctx.http().get(url(expired.token))).status).toBe(403);
    // A link signed with another secret is not ours.
    const foreign = new ConsentDownloadLinks('another-secret').issue({
      actorId: compliance.id,
      actorRoles: ['compliance'],
      format: 'csv',
    });
    expect((await ctx.http().get(url(foreign.token))).status).toBe(403);
    expect(
      (await ctx.http().post(LINKS).set(admin.authHeader).send({ format: 'csv' })).status,
    ).toBe(403);
  });

  it('validates the filter when minting (bad input is a 400 with field errors, no link)', async () => {
    const response = await ctx
      .http()
      .post(LINKS)
      .set(compliance.authHeader)
      .send({ format: 'xml', from: 'yesterday', purpose: 'nope' });
    expect(response.status).toBe(400);
    expect(Object.keys(response.body.errors).sort()).toEqual(['format', 'from', 'purpose']);
  });
});
