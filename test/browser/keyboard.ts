import { expect } from '@jest/globals';
import type { Locator, Page } from 'playwright-core';

/** The ARIA roles the keyboard journeys look for (as `getByRole` takes them). */
type Role = Parameters<Page['getByRole']>[0];

/** The focused element, whatever it is (no match while the focus is on <body> or nowhere). */
export function focused(page: Page): Locator {
  return page.locator(':focus');
}

/** The element with this role and accessible name, only while it has the focus. */
function focusedAs(page: Page, role: Role, name?: string | RegExp): Locator {
  const element =
    name === undefined ? page.getByRole(role) : page.getByRole(role, { name, exact: true });
  return element.and(focused(page));
}

/** A short description of the focused element, for failure messages. */
export function describeFocus(page: Page): Promise<string> {
  return page.evaluate(`(() => {
    const element = document.activeElement;
    if (!element || element === document.body) return '<body>';
    const label = element.getAttribute('aria-label')
      || (element.labels && element.labels[0] ? element.labels[0].textContent : '')
      || element.textContent || '';
    return element.tagName.toLowerCase() + (element.id ? '#' + element.id : '')
      + ' "' + label.trim().replace(/\\s+/g, ' ').slice(0, 60) + '"';
  })()`) as Promise<string>;
}

/**
 * The focus is (or, after a render, comes) on the element with this role and accessible name.
 * Found by role and name, so a clickable <div> never passes for a button.
 */
export async function expectFocus(page: Page, role: Role, name?: string | RegExp): Promise<void> {
  try {
    await focusedAs(page, role, name).waitFor({ timeout: 5_000 });
  } catch {
    throw new Error(
      `expected the focus on ${role}${name === undefined ? '' : ` "${String(name)}"`}, it is on ${await describeFocus(page)}`,
    );
  }
}

/**
 * Presses Tab (or Shift+Tab) until the element with this role and name has the focus, as a
 * keyboard user does; fails with the path the focus took when it is not reached (a control
 * that is not focusable, or that the focus order skips).
 */
export async function tabTo(
  page: Page,
  role: Role,
  name: string | RegExp,
  { backwards = false, most = 40 }: { backwards?: boolean; most?: number } = {},
): Promise<void> {
  const trail: string[] = [];
  for (let press = 0; press < most; press += 1) {
    await page.keyboard.press(backwards ? 'Shift+Tab' : 'Tab');
    if ((await focusedAs(page, role, name).count()) === 1) return;
    trail.push(await describeFocus(page));
  }
  throw new Error(
    `${role} "${String(name)}" was not reached with ${backwards ? 'Shift+Tab' : 'Tab'}; the focus went ${trail.join(' → ')}`,
  );
}

/**
 * The focused control shows that it has the focus: it matches :focus-visible and draws an
 * outline (the console's focus ring), and it is on screen.
 */
export async function expectVisibleFocus(page: Page): Promise<void> {
  const ring = (await page.evaluate(`(() => {
    const element = document.activeElement;
    if (!element || element === document.body) return null;
    const style = getComputedStyle(element);
    const box = element.getBoundingClientRect();
    return {
      focusVisible: element.matches(':focus-visible'),
      outlineStyle: style.outlineStyle,
      outlineWidth: parseFloat(style.outlineWidth),
      size: box.width * box.height,
    };
  })()`)) as {
    focusVisible: boolean;
    outlineStyle: string;
    outlineWidth: number;
    size: number;
  } | null;
  expect(ring).not.toBeNull();
  expect(ring).toMatchObject({ focusVisible: true });
  expect(ring?.outlineStyle).not.toBe('none');
  expect(ring?.outlineWidth).toBeGreaterThan(0);
  expect(ring?.size).toBeGreaterThan(0);
}
