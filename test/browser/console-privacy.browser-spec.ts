import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { createStaff, createVerifiedUser } from '../factories/users.js';
import {
  auditedReasons,
  documentOwner,
  openSignedIn,
  screenshot,
  seriousViolations,
  staffWithTotp,
  useConsoleHarness,
} from './harness.js';
import { expectFocus, focused } from './keyboard.js';

describe('staff console: privacy requests and step-up in Chromium', () => {
  const harness = useConsoleHarness();

  it('privacy request intake in the browser, the API agrees; an overdue request says "Overdue"; identity, dry-run erasure, then erasure', async () => {
    const { ctx } = harness();
    const compliance = await staffWithTotp(ctx, ['compliance']);
    const subject = await createVerifiedUser(ctx, { fullName: 'Erin Erasure' });
    const late = await createVerifiedUser(ctx);
    // A letter received two months ago and never handled: past its one-month deadline.
    const receivedAt = new Date(Date.now() - 62 * 24 * 3600 * 1000).toISOString();
    const overdue = await ctx
      .http()
      .post('/api/v1/compliance/privacy-requests')
      .set(compliance.authHeader)
      .send({ type: 'access', channel: 'letter', subjectEmail: late.email, receivedAt });
    expect(overdue.status).toBe(201);
    expect(overdue.body.overdue).toBe(true);

    const { page, finish } = await openSignedIn(harness(), compliance, '/console/privacy-requests');
    await page.getByRole('heading', { name: 'Privacy requests', level: 1 }).waitFor();
    const lateRow = page.getByRole('row').filter({ hasText: late.email });
    await lateRow.waitFor();
    expect(await lateRow.textContent()).toContain('Overdue');

    await page.getByRole('button', { name: 'New request' }).click();
    await page.getByLabel('Type', { exact: true }).selectOption('erasure');
    await page.getByLabel('Channel').selectOption('email');
    await page.getByLabel('Subject email').fill(subject.email);
    await page.getByLabel('Details').fill('Please delete my account and everything about me.');
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'privacy-request-new');
    await page.getByRole('button', { name: 'Create request' }).click();
    await page.getByRole('heading', { name: `Erasure request from ${subject.email}` }).waitFor();
    const id = new URL(page.url()).pathname.split('/').at(-1) ?? '';
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    const created = await ctx
      .http()
      .get(`/api/v1/compliance/privacy-requests/${id}`)
      .set(compliance.authHeader);
    expect(created.body).toMatchObject({
      type: 'erasure',
      channel: 'email',
      subjectId: subject.id,
      subjectEmail: subject.email,
      details: 'Please delete my account and everything about me.',
      status: 'received',
      overdue: false,
    });
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'privacy-request-page');

    // Identity first (the field the move needs), then the dry run, then the erasure itself.
    await page.getByLabel('New status').selectOption('identity_verified');
    await page.getByLabel('Identity method').fill('Replied from the account email address');
    await page.getByRole('button', { name: 'Change status' }).click();
    await page.getByText('Status: Identity verified').waitFor();
    await page.getByRole('button', { name: 'Preview erasure' }).click();
    await page.getByRole('table', { name: /Would be erased/ }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'privacy-erasure-preview');
    // The preview changed nothing.
    const [stillThere] = await ctx.dataSource.query(`SELECT email FROM users WHERE id = $1`, [
      subject.id,
    ]);
    expect(stillThere).toEqual({ email: subject.email });
    await page.getByRole('button', { name: 'Confirm erasure' }).click();
    await page.getByText('Status: Completed').waitFor();
    const done = await ctx
      .http()
      .get(`/api/v1/compliance/privacy-requests/${id}`)
      .set(compliance.authHeader);
    expect(done.body.status).toBe('completed');
    expect(done.body.history.map((entry: { to: string }) => entry.to)).toEqual([
      'received',
      'identity_verified',
      'in_progress',
      'completed',
    ]);
    const [gone] = await ctx.dataSource.query(
      `SELECT count(*)::int AS n FROM users WHERE email = $1`,
      [subject.email],
    );
    expect(gone).toEqual({ n: 0 });

    // The list filter: only overdue requests.
    await page.getByRole('link', { name: 'Back to privacy requests' }).click();
    await page.getByLabel('Only overdue').check();
    await page.waitForURL(/overdue=true/);
    await lateRow.waitFor();
    const rows = page.getByRole('row').filter({ hasText: 'Overdue' });
    expect(await page.getByRole('row').count()).toBe((await rows.count()) + 1);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'privacy-requests-overdue');

    // The overdue letter: more time with a reason (no longer overdue), then the staff export.
    await page.getByRole('link', { name: `Access request from ${late.email}` }).click();
    await page.getByText('Overdue', { exact: true }).waitFor();
    await page.getByLabel('Extension reason').fill('Records are spread over three systems');
    await page.getByRole('button', { name: 'Extend deadline' }).click();
    // Once extended the form goes away (only one extension) and so does the flag.
    await page.getByRole('button', { name: 'Extend deadline' }).waitFor({ state: 'detached' });
    await page.getByText('Overdue', { exact: true }).waitFor({ state: 'detached' });
    const extended = await ctx
      .http()
      .get(`/api/v1/compliance/privacy-requests/${overdue.body.id}`)
      .set(compliance.authHeader);
    expect(extended.body).toMatchObject({
      overdue: false,
      extensionReason: 'Records are spread over three systems',
      extendedDueAt: expect.any(String),
    });
    await page.getByLabel('New status').selectOption('identity_verified');
    await page.getByLabel('Identity method').fill('Signed letter matches the account address');
    await page.getByRole('button', { name: 'Change status' }).click();
    await page.getByText('Status: Identity verified').waitFor();
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download export' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe(`privacy-export-${overdue.body.id}.json`);
    const exported = JSON.parse(readFileSync(await download.path(), 'utf8')) as object;
    expect(JSON.stringify(exported)).toContain(late.email);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'privacy-request-extended');
    await finish();
  });

  it('reveal number after the sign-in got old: the step-up dialog asks again, then the reveal goes through; Reset MFA with a reason, suspend and reactivate, the focus kept', async () => {
    const { ctx } = harness();
    const { upload } = await documentOwner(ctx, 'Step Up Owner');
    const documentId = await upload('Stella Stepup');
    const admin = await staffWithTotp(ctx, ['admin']);
    const colleague = await createStaff(ctx, ['compliance']);

    const { page, finish } = await openSignedIn(
      harness(),
      admin,
      `/console/documents/${documentId}`,
    );
    await page.getByRole('heading', { name: 'Stella Stepup', level: 1 }).waitFor();
    // The sign-in is an hour old now; the reload refreshes from the cookie (auth_time stays old).
    await ctx.dataSource.query(
      `UPDATE refresh_sessions SET auth_time = now() - interval '1 hour' WHERE user_id = $1`,
      [admin.id],
    );
    await page.reload();
    await page.getByRole('heading', { name: 'Stella Stepup', level: 1 }).waitFor();

    await page.getByRole('button', { name: 'Reveal number' }).click();
    await page.getByLabel('Reason').fill('Airline asked for the passport number');
    await page.getByRole('button', { name: 'Reveal', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Confirm it is you' });
    await dialog.waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'step-up-dialog');
    await dialog.getByLabel('Password').fill('not my password');
    await dialog.getByLabel('Authentication code').fill('000000');
    await dialog.getByRole('button', { name: 'Confirm' }).click();
    await dialog.locator('.error').first().waitFor();
    await dialog.getByLabel('Password').fill(admin.password);
    // A backup code: the current TOTP step was spent signing in.
    await dialog.getByLabel('Authentication code').fill(admin.backupCodes[0] ?? '');
    await dialog.getByRole('button', { name: 'Confirm' }).click();
    await page.getByText(/^Full number:/).waitFor();
    expect(await dialog.isVisible()).toBe(false);
    expect(await auditedReasons(ctx, admin, 'Airline asked for the passport number')).toBe(1);
    // The refresh cookie followed the rotated refresh token: a reload still signs in.
    await page.reload();
    await page.getByRole('heading', { name: 'Stella Stepup', level: 1 }).waitFor();

    await page.getByRole('link', { name: 'Users', exact: true }).click();
    await page.getByLabel('Search by email').fill(colleague.email);
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByRole('button', { name: `Reset MFA for ${colleague.email}` }).click();
    await page.getByLabel('Reason').fill('Lost phone, ticket 4711');
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'users-reset-mfa');
    await page.getByRole('button', { name: 'Confirm MFA reset' }).click();
    await page
      .getByRole('button', { name: `Reset MFA for ${colleague.email}` })
      .waitFor({ state: 'detached' });
    const [row] = await ctx.dataSource.query(`SELECT mfa_enabled_at FROM users WHERE id = $1`, [
      colleague.id,
    ]);
    expect(row).toEqual({ mfa_enabled_at: null });
    // The Reset MFA button went away: the focus is on the message that says what happened.
    await expectFocus(page, 'status');
    expect(await focused(page).textContent()).toBe(
      `MFA reset for ${colleague.email}: they set it up again at their next sign-in.`,
    );

    // Suspend, then reactivate with the keyboard: one button, renamed, keeps the focus.
    const statusOf = async () =>
      (
        (await ctx.dataSource.query(`SELECT status FROM users WHERE id = $1`, [colleague.id])) as {
          status: string;
        }[]
      )[0]?.status;
    await page.getByRole('button', { name: `Suspend ${colleague.email}` }).click();
    await expectFocus(page, 'button', `Reactivate ${colleague.email}`);
    expect(await statusOf()).toBe('suspended');
    await page.keyboard.press('Enter');
    await expectFocus(page, 'button', `Suspend ${colleague.email}`);
    expect(await statusOf()).toBe('active');
    await finish();
  });
});
