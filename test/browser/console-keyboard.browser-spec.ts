import { describe, expect, it } from '@jest/globals';
import {
  auditedReasons,
  documentOwner,
  expectRejectedBy,
  newConsoleContext,
  nextCode,
  screenshot,
  seriousViolations,
  staffWithTotp,
  useConsoleHarness,
} from './harness.js';
import { expectFocus, expectVisibleFocus, focused, tabTo } from './keyboard.js';

/**
 * Keyboard only: no click, no fill, no selectOption. Tab and Shift+Tab move the focus, typing
 * goes to the focused control, Enter and Space activate, arrow keys choose an option.
 */
describe('staff console with the keyboard alone', () => {
  const harness = useConsoleHarness();

  it('sign-in, the navigation, claim and reject a document, reveal its number through the step-up dialog; the API agrees', async () => {
    const { ctx } = harness();
    const { upload } = await documentOwner(ctx, 'Keyboard Owner');
    const documentId = await upload('Kara Keyboard');
    const admin = await staffWithTotp(ctx, ['admin']);
    const { page, finish } = await newConsoleContext(harness());

    // Sign-in: the first Tab reaches the email field; Enter in the last field submits.
    await page.goto('/console/documents');
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    await page.keyboard.press('Tab');
    await expectFocus(page, 'textbox', 'Email');
    await expectVisibleFocus(page);
    await page.keyboard.type(admin.email);
    await page.keyboard.press('Tab');
    await expectFocus(page, 'textbox', 'Password');
    await page.keyboard.type(admin.password);
    await page.keyboard.press('Tab');
    await expectFocus(page, 'textbox', 'Authentication code');
    await page.keyboard.type(await nextCode(admin.totpSecret));
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Documents', level: 1 }).waitFor();
    // The sign-in form went away: the focus starts at the page's content, not lost on <body>.
    await expectFocus(page, 'main');

    // The navigation: back from the content to the links, Enter follows one.
    await tabTo(page, 'link', 'Users', { backwards: true });
    await expectVisibleFocus(page);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Users', level: 1 }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/console/users');
    await expectFocus(page, 'main');
    // The next Tab goes into the new page, not back to the top of the document.
    await page.keyboard.press('Tab');
    await expectFocus(page, 'searchbox', 'Search by email');
    await expectVisibleFocus(page);
    await tabTo(page, 'link', 'Documents', { backwards: true });
    expect(await focused(page).getAttribute('aria-current')).toBeNull();
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Documents', level: 1 }).waitFor();
    await expectFocus(page, 'main');
    expect(
      await page
        .getByRole('navigation', { name: 'Console' })
        .getByRole('link', { name: 'Documents' })
        .getAttribute('aria-current'),
    ).toBe('page');

    // The queue: the holder's name is a link; Enter opens the document.
    await page.getByRole('link', { name: 'Kara Keyboard' }).waitFor();
    await tabTo(page, 'link', 'Kara Keyboard');
    await expectVisibleFocus(page);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Kara Keyboard', level: 1 }).waitFor();
    expect(new URL(page.url()).pathname).toBe(`/console/documents/${documentId}`);
    await expectFocus(page, 'main');

    // Claim with Space; the button goes away with the pending status, the focus goes on to
    // the next decision instead of falling back to <body>.
    await tabTo(page, 'button', 'Claim');
    await expectVisibleFocus(page);
    await page.keyboard.press('Space');
    await page.getByText('Status: In review').waitFor();
    await expectFocus(page, 'button', 'Verify');

    // Reject opens its form with the focus in it; Cancel gives the focus back to Reject.
    await tabTo(page, 'button', 'Reject');
    await page.keyboard.press('Enter');
    await expectFocus(page, 'combobox', 'Reason');
    await tabTo(page, 'button', 'Cancel');
    await page.keyboard.press('Enter');
    await page.getByRole('button', { name: 'Reject document' }).waitFor({ state: 'detached' });
    await expectFocus(page, 'button', 'Reject');
    await page.keyboard.press('Enter');
    await expectFocus(page, 'combobox', 'Reason');
    // Arrow keys choose the reason (Illegible → Data mismatch); typing fills the note.
    await page.keyboard.press('ArrowDown');
    expect(await focused(page).inputValue()).toBe('data_mismatch');
    await page.keyboard.press('Tab');
    await expectFocus(page, 'textbox', 'Note');
    await page.keyboard.type('Name differs from the booking');
    await page.keyboard.press('Tab');
    await expectFocus(page, 'button', 'Reject document');
    await expectVisibleFocus(page);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'keyboard-reject-form');
    await page.keyboard.press('Enter');
    await page.getByText('Status: Rejected').waitFor();
    // The decision removed the form and the decision buttons: the focus is on the new status.
    await expectFocus(page, 'status');
    expect(await focused(page).textContent()).toContain('Status: Rejected');

    // Reveal number after the sign-in got old: the step-up dialog, all by keyboard.
    await ctx.dataSource.query(
      `UPDATE refresh_sessions SET auth_time = now() - interval '1 hour' WHERE user_id = $1`,
      [admin.id],
    );
    await page.reload();
    await page.getByRole('heading', { name: 'Kara Keyboard', level: 1 }).waitFor();
    await tabTo(page, 'button', 'Reveal number');
    await page.keyboard.press('Enter');
    await expectFocus(page, 'textbox', 'Reason');
    await page.keyboard.type('Airline asked for the number');
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Confirm it is you' });
    await dialog.waitFor();
    // The dialog takes the focus, and Tab keeps it inside (the page behind is inert).
    await expectFocus(page, 'textbox', 'Password');
    const outside: string[] = [];
    for (let press = 0; press < 6; press += 1) {
      await page.keyboard.press('Tab');
      const inDialog = (await dialog.locator(':focus').count()) === 1;
      const onBody = (await focused(page).count()) === 0;
      if (!inDialog && !onBody) outside.push((await focused(page).textContent()) ?? '');
    }
    expect(outside).toEqual([]);
    await screenshot(page, 'keyboard-step-up-dialog');
    // Escape closes it and gives the focus back where it was.
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    await expectFocus(page, 'textbox', 'Reason');
    // Again, and this time confirmed (a backup code: the current TOTP step was spent).
    await page.keyboard.press('Enter');
    await dialog.waitFor();
    await expectFocus(page, 'textbox', 'Password');
    await page.keyboard.type(admin.password);
    await page.keyboard.press('Tab');
    await expectFocus(page, 'textbox', 'Authentication code');
    await page.keyboard.type(admin.backupCodes[0] ?? '');
    await page.keyboard.press('Enter');
    await page.getByText(/^Full number:/).waitFor();
    expect(await dialog.isVisible()).toBe(false);
    await expectFocus(page, 'textbox', 'Reason');

    await expectRejectedBy(
      ctx,
      admin,
      documentId,
      'data_mismatch',
      'Name differs from the booking',
    );
    expect(await auditedReasons(ctx, admin, 'Airline asked for the number')).toBe(1);
    await finish();
  });
});
