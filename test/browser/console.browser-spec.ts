import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { generate } from 'otplib';
import { bookHotel, createBookingUser } from '../factories/bookings.js';
import { createStaff, createVerifiedUser } from '../factories/users.js';
import { sampleFiles, uploadFile } from '../factories/document-files.js';
import {
  auditedReasons,
  decodedWidth,
  documentOwner,
  expectRejectedBy,
  newConsoleContext,
  openSignedIn,
  screenshot,
  seriousViolations,
  signIn,
  staffWithTotp,
  useConsoleHarness,
} from './harness.js';

describe('staff console in Chromium against the real API and PostgreSQL', () => {
  const harness = useConsoleHarness();

  it('staff sign-in with TOTP enrolment; a reload keeps them signed in; sign-out ends the session', async () => {
    const { ctx } = harness();
    // A staff account without TOTP yet: the console leads them through enrolment.
    const admin = await createStaff(ctx, ['admin'], { mfa: false });
    const { context, page, finish } = await newConsoleContext(harness());

    await page.goto('/console/documents?status=pending');
    // Waits for the app to render (isVisible() would answer at once, before the bundle ran).
    await page.getByRole('button', { name: 'Sign in' }).waitFor({ state: 'visible' });
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'sign-in');

    await signIn(page, admin);
    await page.getByRole('heading', { name: 'Set up two-step sign-in' }).waitFor();
    const qr = page.getByRole('img', { name: /QR code for your authenticator app/ });
    await qr.waitFor();
    expect(await qr.getAttribute('src')).toMatch(/^blob:/);
    // The QR image really decodes (a blob: URL the CSP allows).
    const naturalWidth = await decodedWidth(qr);
    expect(naturalWidth).toBeGreaterThan(0);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'totp-enrolment');

    const secret = (await page.locator('code.secret').textContent())?.trim() ?? '';
    expect(secret).toMatch(/^[A-Z2-7]+=*$/);
    await page.getByLabel('Authentication code').fill('000000');
    await page.getByRole('button', { name: 'Turn on two-step sign-in' }).click();
    // A wrong code is shown next to the field, not as a raw dump.
    await page.locator('.field .error').first().waitFor();
    expect(await page.locator('.field .error').first().textContent()).toMatch(/incorrect/i);
    await page.getByLabel('Authentication code').fill(await generate({ secret }));
    await page.getByRole('button', { name: 'Turn on two-step sign-in' }).click();
    await page.getByRole('heading', { name: 'Two-step sign-in is on' }).waitFor();
    expect(
      await page.getByRole('list', { name: 'Backup codes' }).getByRole('listitem').count(),
    ).toBe(10);
    await screenshot(page, 'totp-backup-codes');
    await page.getByRole('button', { name: 'Continue to the console' }).click();

    // Back where they started: the URL (and its filter) was kept through sign-in.
    await page.getByRole('heading', { name: 'Documents' }).waitFor();
    expect(new URL(page.url()).pathname + new URL(page.url()).search).toBe(
      '/console/documents?status=pending',
    );
    for (const name of ['Documents', 'Users', 'Bookings']) {
      expect(await page.getByRole('link', { name, exact: true }).count()).toBe(1);
    }
    expect(await page.getByRole('link', { name: 'Consent records' }).count()).toBe(0);

    // The access token lives in memory only; the refresh cookie is httpOnly.
    const storage = await page.evaluate('JSON.stringify({ ...localStorage, ...sessionStorage })');
    expect(storage).toBe('{}');
    expect(await page.evaluate('document.cookie')).toBe('');
    const cookies = await context.cookies();
    expect(cookies).toEqual([
      expect.objectContaining({
        name: 'pathavana_console_refresh',
        httpOnly: true,
        secure: true,
        sameSite: 'Strict',
        path: '/api/v1/auth/console/refresh',
      }),
    ]);

    await page.reload();
    await page.getByRole('heading', { name: 'Documents' }).waitFor();
    expect(await page.getByRole('button', { name: 'Sign in' }).count()).toBe(0);

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    expect(await context.cookies()).toEqual([]);
    // The device session is revoked: the old refresh cookie no longer works.
    const sessions = await ctx.dataSource.query(
      `SELECT revoked_reason FROM refresh_sessions WHERE user_id = $1 AND revoked_at IS NULL`,
      [admin.id],
    );
    // Only the API login of the factory is still live; the console's session is gone.
    expect(sessions).toHaveLength(1);
    await finish();
  });

  it('document review: verify one and reject another in the browser; the API agrees', async () => {
    const { ctx } = harness();
    const { owner, upload } = await documentOwner(ctx, 'Document Owner');
    const toVerify = await upload('Aline Verified');
    const toReject = await upload('Bruno Rejected');
    // Verifying needs evidence: the owner uploads a front and a back scan through the API.
    const scan = async (documentId: string, side: 'front' | 'back') => {
      const bytes = side === 'front' ? await sampleFiles.png(320, 200) : await sampleFiles.webp();
      const response = await uploadFile(
        ctx,
        owner,
        `/api/v1/profile/documents/${documentId}/files`,
        bytes,
        side,
        `${side}.bin`,
      );
      if (response.status !== 201)
        throw new Error(`scan upload failed: ${response.status} ${response.text}`);
    };
    await scan(toVerify, 'front');
    await scan(toVerify, 'back');
    await scan(toReject, 'front');
    const admin = await staffWithTotp(ctx, ['admin']);
    const { page, finish } = await openSignedIn(harness(), admin, '/console/documents');
    await page.getByRole('table').waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'documents-queue');

    await page.getByRole('link', { name: 'Aline Verified' }).click();
    await page.getByRole('heading', { name: 'Aline Verified', level: 1 }).waitFor();
    expect(new URL(page.url()).pathname).toBe(`/console/documents/${toVerify}`);
    await page.getByRole('heading', { name: 'Scans' }).waitFor();
    // Both scans render as real images (decoded from blob: URLs under the strict CSP).
    for (const alt of ['front scan', 'back scan']) {
      const image = page.getByRole('img', { name: alt, exact: true });
      await image.waitFor();
      expect(await image.getAttribute('src')).toMatch(/^blob:/);
      expect(await decodedWidth(image)).toBeGreaterThan(0);
    }
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'document-page');
    await page.getByRole('button', { name: 'Claim' }).click();
    await page.getByText('Status: In review').waitFor();
    await page.getByRole('button', { name: 'Verify' }).click();
    await page.getByText('Status: Verified').waitFor();
    await screenshot(page, 'document-verified');

    await page.getByRole('button', { name: 'Reveal number' }).click();
    await page.getByLabel('Reason').fill('Passenger called about the booking');
    await page.getByRole('button', { name: 'Reveal', exact: true }).click();
    await page.getByText(/^Full number:/).waitFor();

    // Back button: the queue again (its own URL), then the second document.
    await page.goBack();
    await page.getByRole('heading', { name: 'Documents' }).waitFor();
    await page.getByRole('link', { name: 'Bruno Rejected' }).click();
    await page.getByRole('button', { name: 'Reject' }).click();
    await page.getByLabel('Reason').selectOption('data_mismatch');
    await page.getByLabel('Note').fill('Date of birth differs from the booking');
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'document-reject-form');
    await page.getByRole('button', { name: 'Reject document' }).click();
    await page.getByText('Status: Rejected').waitFor();

    const verified = await ctx
      .http()
      .get(`/api/v1/admin/documents/${toVerify}`)
      .set(admin.authHeader);
    expect(verified.body).toMatchObject({ status: 'verified', reviewReasonCode: 'document_valid' });
    await expectRejectedBy(
      ctx,
      admin,
      toReject,
      'data_mismatch',
      'Date of birth differs from the booking',
    );
    expect(await auditedReasons(ctx, admin, 'Passenger called about the booking')).toBe(1);
    await finish();
  });

  it('bookings support desk: search by reference (any case), the URL keeps it, open the booking', async () => {
    const { ctx } = harness();
    const booker = await createBookingUser(ctx);
    const bookingId = await bookHotel(ctx, booker.user, booker.traveler);
    await bookHotel(ctx, booker.user, booker.traveler);
    const booked = await ctx
      .http()
      .get(`/api/v1/bookings/${bookingId}`)
      .set(booker.user.authHeader);
    const reference = booked.body.reference as string;
    const admin = await staffWithTotp(ctx, ['admin']);
    const { page, finish } = await openSignedIn(harness(), admin, '/console/bookings');
    await page.getByRole('heading', { name: 'Bookings', level: 1 }).waitFor();
    await page.getByLabel('Reference').fill(reference.toLowerCase());
    await page.getByRole('button', { name: 'Search' }).click();
    await page.waitForURL(/reference=/);
    const rows = page.getByRole('table').getByRole('row');
    await page.getByRole('link', { name: reference }).waitFor();
    expect(await rows.count()).toBe(2); // the header and the one match
    expect(new URL(page.url()).searchParams.get('reference')).toBe(reference.toLowerCase());
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'bookings-search');

    // A reload keeps the search (it lives in the URL) and the form shows it.
    await page.reload();
    await page.getByRole('link', { name: reference }).waitFor();
    expect(await page.getByLabel('Reference').inputValue()).toBe(reference.toLowerCase());

    await page.getByRole('link', { name: reference }).click();
    await page.getByRole('heading', { name: `Booking ${reference}`, level: 1 }).waitFor();
    expect(new URL(page.url()).pathname).toBe(`/console/bookings/${bookingId}`);
    await finish();
  });

  it('consent records: the CSV download is a native browser download of the streamed export', async () => {
    const { ctx } = harness();
    const compliance = await staffWithTotp(ctx, ['compliance']);
    const { page, finish } = await openSignedIn(harness(), compliance, '/console/consent-records');
    await page.getByRole('heading', { name: 'Consent records' }).waitFor();
    await page.getByLabel('Purpose').selectOption('travel_documents');
    await page.getByLabel('From').fill('2020-01-01');
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'consent-records');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download CSV' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^consent-records-\d{4}-\d{2}-\d{2}\.csv$/);
    const path = await download.path();
    const csv = readFileSync(path, 'utf8');
    expect(csv.split('\n')[0]).toContain('event_id');
    // The document owner of the previous journey consented to travel_documents.
    expect(csv).toContain('travel_documents');
    const audited = await ctx.dataSource.query(
      `SELECT reason FROM audit_events WHERE actor_id = $1 AND action = 'consent_records.export'`,
      [compliance.id],
    );
    expect(audited).toEqual([{ reason: expect.stringContaining('purpose=travel_documents') }]);
    await finish();
  });

  it('a user without a staff role is told the console is for staff', async () => {
    const { ctx } = harness();
    const user = await createVerifiedUser(ctx);
    const { page, finish } = await newConsoleContext(harness());
    await page.goto('/console/users');
    await signIn(page, user);
    await page.getByRole('heading', { name: 'This console is for Pathavana staff' }).waitFor();
    expect(await page.getByRole('link', { name: 'Users' }).count()).toBe(0);
    expect(await page.getByRole('table').count()).toBe(0);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'not-staff');
    await finish();
  });

  it('every page passes axe (no serious or critical violation) and runs under the strict CSP', async () => {
    const { ctx } = harness();
    const staff = await staffWithTotp(ctx, ['admin', 'compliance']);
    const { page, finish } = await openSignedIn(harness(), staff, '/console/');
    const pages = [
      'Documents',
      'Users',
      'Bookings',
      'Consent records',
      'Consent notices',
      'Privacy requests',
      'Audit log',
      'Retention',
    ];
    const failures: Record<string, string[]> = {};
    for (const name of pages) {
      await page
        .getByRole('navigation', { name: 'Console' })
        .getByRole('link', { name, exact: true })
        .click();
      await page.getByRole('heading', { name, level: 1 }).waitFor();
      // Loaded: no loading message left.
      await page.locator('[role="status"][aria-live]').first().waitFor({ state: 'detached' });
      const violations = await seriousViolations(page);
      if (violations.length > 0) failures[name] = violations;
      if (name === 'Privacy requests') {
        expect(await page.getByRole('button', { name: 'New request' }).count()).toBe(1);
      }
      await screenshot(page, `page-${name.toLowerCase().replace(/ /g, '-')}`);
    }
    expect(failures).toEqual({});
    await finish();
  });

  it('when the session ends during work, the next call refreshes once, then shows sign-in at the same URL', async () => {
    const { ctx } = harness();
    const admin = await staffWithTotp(ctx, ['admin']);
    const { context, page } = await openSignedIn(harness(), admin, '/console/users');
    await page.getByRole('heading', { name: 'Users' }).waitFor();
    // Every session of the account is revoked elsewhere (e.g. "sign out everywhere").
    await ctx.http().post('/api/v1/auth/logout-all').set(admin.authHeader);
    await page.getByRole('link', { name: 'Bookings' }).click();
    await page.getByText('Your session has ended').waitFor();
    expect(new URL(page.url()).pathname).toBe('/console/bookings');
    await screenshot(page, 'session-ended');
    await context.close();
  });
});
