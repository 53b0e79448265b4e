import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Role } from '#libs/common/auth/authenticated-user.js';
import { UsersCreateCommand } from '#modules/auth/cli/users-create.command.js';
import type { TestApp } from '../utils/test-app.js';

/** A signed-in test user: credentials and a fresh token pair from the real login flow. */
export interface TestUser {
  id: string;
  email: string;
  password: string;
  accessToken: string;
  refreshToken: string;
  authHeader: { Authorization: string };
}

export interface UserOverrides {
  email?: string;
  password?: string;
  fullName?: string;
  consents?: Array<{ purpose: string; version: number; granted: boolean }>;
}

let sequence = 0;

/** A unique email per call (files share no database, but tests inside a file must not collide). */
export function uniqueEmail(prefix = 'user'): string {
  sequence += 1;
  return `${prefix}-${sequence}-${randomUUID().slice(0, 8)}@example.test`;
}

export const DEFAULT_PASSWORD = 'correct horse battery staple';

function signedIn(
  body: { user: { id: string; email: string }; accessToken: string; refreshToken: string },
  password: string,
): TestUser {
  return {
    id: body.user.id,
    email: body.user.email,
    password,
    accessToken: body.accessToken,
    refreshToken: body.refreshToken,
    authHeader: { Authorization: `Bearer ${body.accessToken}` },
  };
}

/** POST /auth/register; the user is `pending_verification` (email not verified). */
export async function registerUser(ctx: TestApp, overrides: UserOverrides = {}): Promise<TestUser> {
  const password = overrides.password ?? DEFAULT_PASSWORD;
  const response = await ctx
    .http()
    .post('/api/v1/auth/register')
    .send({
      email: overrides.email ?? uniqueEmail(),
      password,
      fullName: overrides.fullName ?? 'Test Traveller',
      ...(overrides.consents ? { consents: overrides.consents } : {}),
    });
  if (response.status !== 201) {
    throw new Error(`register failed: ${response.status} ${JSON.stringify(response.body)}`);
  }
  return signedIn(response.body, password);
}

/** The newest .eml in the outbox addressed to `email` whose subject matches. */
export function readLatestMail(ctx: TestApp, email: string, subject?: RegExp): string {
  let files: string[];
  try {
    files = readdirSync(ctx.mailOutbox).filter((file) => file.endsWith('.eml'));
  } catch {
    files = [];
  }
  const matching = files
    .sort()
    .reverse()
    .map((file) => readFileSync(join(ctx.mailOutbox, file), 'utf8'))
    .filter((mail) => mail.includes(`\r\nTo: ${email}\r\n`))
    .filter((mail) => !subject || subject.test(mail.split('\r\n\r\n')[0] ?? ''));
  if (matching.length === 0) throw new Error(`no mail for ${email} in ${ctx.mailOutbox}`);
  return matching[0] as string;
}

/** The token of the newest verification (or reset) mail sent to `email`. */
export function mailedToken(
  ctx: TestApp,
  email: string,
  kind: 'verify' | 'reset' = 'verify',
): string {
  const mail = readLatestMail(ctx, email, kind === 'verify' ? /Subject: Verify/ : /Subject: Reset/);
  const match = /token=([A-Za-z0-9_-]+)/.exec(mail);
  if (!match) throw new Error('no token in mail');
  return match[1] as string;
}

/** Registers, verifies the email with the mailed token; the user is `active`. */
export async function createVerifiedUser(
  ctx: TestApp,
  overrides: UserOverrides = {},
): Promise<TestUser> {
  const user = await registerUser(ctx, overrides);
  const response = await ctx
    .http()
    .post('/api/v1/auth/verify-email')
    .send({ token: mailedToken(ctx, user.email) });
  if (response.status !== 200) {
    throw new Error(`verify failed: ${response.status} ${JSON.stringify(response.body)}`);
  }
  return user;
}

/** POST /auth/login (for accounts without MFA). */
export async function login(ctx: TestApp, email: string, password: string): Promise<TestUser> {
  const response = await ctx.http().post('/api/v1/auth/login').send({ email, password });
  if (response.status !== 200 || !response.body.accessToken) {
    throw new Error(`login failed: ${response.status} ${JSON.stringify(response.body)}`);
  }
  return signedIn(response.body, password);
}

/** An active staff account created through the `users:create` CLI command, then signed in. */
export async function createStaff(
  ctx: TestApp,
  roles: readonly Role[],
  overrides: Pick<UserOverrides, 'email' | 'password'> = {},
): Promise<TestUser> {
  const email = overrides.email ?? uniqueEmail(roles.join('-') || 'staff');
  const password = overrides.password ?? DEFAULT_PASSWORD;
  const command = ctx.app.get(UsersCreateCommand);
  for (const role of roles) await command.run({ email, password, role });
  return login(ctx, email, password);
}
