import { mkdirSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, expect } from '@jest/globals';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { generate } from 'otplib';
import {
  type Browser,
  type BrowserContext,
  chromium,
  type Locator,
  type Page,
} from 'playwright-core';
import { grantConsent } from '../factories/consents.js';
import { createStaff, createVerifiedUser, type TestUser } from '../factories/users.js';
import { documentBody } from '../security/fixtures.js';
import { createTestApp, type TestApp } from '../utils/test-app.js';

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-quic',
  '--no-first-run',
  '--disable-sync',
];

export const SCREENSHOTS = join(process.cwd(), 'test-results', 'console');

/** The real app (built console included) listening on a loopback port, and a headless Chromium. */
export interface ConsoleHarness {
  ctx: TestApp;
  baseUrl: string;
  browser: Browser;
  close(): Promise<void>;
}

export async function startConsoleHarness(): Promise<ConsoleHarness> {
  const ctx = await createTestApp();
  await ctx.app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = ctx.app.getHttpServer().address() as AddressInfo;
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_ARGS,
  });
  mkdirSync(SCREENSHOTS, { recursive: true });
  return {
    ctx,
    baseUrl: `http://127.0.0.1:${port}`,
    browser,
    close: async () => {
      await browser.close();
      await ctx.close();
    },
  };
}

/**
 * The harness of one spec file: started before its tests, closed after them. Call it at the top
 * of a `describe`; the getter returns the running harness inside a test.
 */
export function useConsoleHarness(): () => ConsoleHarness {
  let harness: ConsoleHarness | undefined;
  beforeAll(async () => {
    harness = await startConsoleHarness();
  });
  afterAll(async () => {
    await harness?.close();
  });
  return () => {
    if (!harness) throw new Error('the console harness did not start');
    return harness;
  };
}

export interface ConsolePage {
  context: BrowserContext;
  page: Page;
  /** Content-Security-Policy violations and page errors seen so far. */
  problems: string[];
  /** Fails the test on any problem seen, then closes the context. */
  finish(): Promise<void>;
}

/**
 * A browser context that fails the test on any Content-Security-Policy violation or page error:
 * the console must run under its own strict policy, not a loosened one.
 */
export async function newConsoleContext(harness: ConsoleHarness): Promise<ConsolePage> {
  const context = await harness.browser.newContext({
    baseURL: harness.baseUrl,
    acceptDownloads: true,
  });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (message) => {
    if (/content security policy/i.test(message.text())) problems.push(message.text());
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  return {
    context,
    page,
    problems,
    finish: async () => {
      expect(problems).toEqual([]);
      await context.close();
    },
  };
}

/**
 * A fresh context on `path`, signed in through the form by a staff member with TOTP (the code
 * of the next time step, as the factory spent the current one enrolling).
 */
export async function openSignedIn(
  harness: ConsoleHarness,
  staff: TestUser & { totpSecret: string },
  path: string,
): Promise<ConsolePage> {
  const opened = await newConsoleContext(harness);
  await opened.page.goto(path);
  await signIn(opened.page, staff, await nextCode(staff.totpSecret));
  return opened;
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

const AXE_SOURCE = readFileSync(join(process.cwd(), 'node_modules/axe-core/axe.min.js'), 'utf8');

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: unknown }[];
}

/**
 * axe-core on the current page (WCAG 2.x A/AA rules): the serious and critical violations.
 * Injected through the DevTools protocol, so the page's CSP stays as it is.
 */
export async function seriousViolations(page: Page): Promise<string[]> {
  await page.evaluate(AXE_SOURCE);
  const violations = (await page.evaluate(
    `axe.run({ runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] } }).then((result) => result.violations)`,
  )) as AxeViolation[];
  return violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map(
      (violation) =>
        `${violation.id} (${violation.impact}): ${violation.help} at ${JSON.stringify(violation.nodes.map((node) => node.target))}`,
    );
}

/** A staff account with TOTP already on (the factory enrols it through the API), and its secret. */
export async function staffWithTotp(
  ctx: TestApp,
  roles: Parameters<typeof createStaff>[1],
): Promise<TestUser & { totpSecret: string; backupCodes: string[] }> {
  const staff = await createStaff(ctx, roles);
  if (!staff.totp) throw new Error('the staff factory did not enrol TOTP');
  return { ...staff, totpSecret: staff.totp.secret, backupCodes: [...staff.totp.backupCodes] };
}

/** A TOTP code for the next time step (the current one was spent enabling TOTP). */
export function nextCode(secret: string, stepsAhead = 1): Promise<string> {
  return generate({ secret, epoch: Math.floor(Date.now() / 1000) + 30 * stepsAhead });
}

/** Signs in through the console's form (email, password, authentication code). */
export async function signIn(page: Page, user: TestUser, code = ''): Promise<void> {
  await page.getByLabel('Email').fill(user.email);
  await page.getByLabel('Password', { exact: true }).fill(user.password);
  if (code) await page.getByLabel('Authentication code').fill(code);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/**
 * A traveller who consented to travel documents, and a way to upload theirs through the API
 * (the document id; typed fields only, scans are added separately).
 */
export async function documentOwner(
  ctx: TestApp,
  fullName: string,
): Promise<{ owner: TestUser; upload(holderName: string): Promise<string> }> {
  const owner = await createVerifiedUser(ctx, { fullName });
  await grantConsent(ctx, owner, 'travel_documents');
  return {
    owner,
    upload: async (holderName) => {
      const response = await ctx
        .http()
        .post('/api/v1/profile/documents')
        .set(owner.authHeader)
        .send(documentBody({ holderName }));
      if (response.status !== 201) {
        throw new Error(`upload failed: ${response.status} ${response.text}`);
      }
      return response.body.id as string;
    },
  };
}

/** The API agrees: the document was rejected by this reviewer, for this reason, with this note. */
export async function expectRejectedBy(
  ctx: TestApp,
  reviewer: TestUser,
  documentId: string,
  reasonCode: string,
  note: string,
): Promise<void> {
  const document = await ctx
    .http()
    .get(`/api/v1/admin/documents/${documentId}`)
    .set(reviewer.authHeader);
  expect(document.body).toMatchObject({ status: 'rejected', reviewReasonCode: reasonCode });
  expect(document.body.reviews.at(-1)).toMatchObject({
    decision: 'reject',
    note,
    reviewerId: reviewer.id,
  });
}

/** How many audit events this person caused with exactly this reason. */
export async function auditedReasons(
  ctx: TestApp,
  actor: TestUser,
  reason: string,
): Promise<number> {
  const rows = await ctx.dataSource.query(
    `SELECT reason FROM audit_events WHERE actor_id = $1 AND reason = $2`,
    [actor.id, reason],
  );
  return (rows as unknown[]).length;
}

/** The natural width of an <img> once it has loaded (0 when the bytes did not decode). */
export function decodedWidth(image: Locator): Promise<number> {
  return image.evaluate(
    (element: {
      complete: boolean;
      naturalWidth: number;
      addEventListener(type: 'load' | 'error', listener: () => void): void;
    }) =>
      element.complete
        ? element.naturalWidth
        : new Promise<number>((resolve) => {
            element.addEventListener('load', () => resolve(element.naturalWidth));
            element.addEventListener('error', () => resolve(0));
          }),
  );
}
