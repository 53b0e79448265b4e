import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { generate } from 'otplib';
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
  /** Staff (by default): the TOTP secret and unused backup codes enrolled by the factory. */
  totp?: TestTotp;
}

export interface TestTotp {
  secret: string;
  backupCodes: string[];
  /** The last TOTP time step used (the server never accepts one twice). */
  lastStep: number;
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

/**
 * A real TOTP code for a time step the account has not used yet: the current step, else the next
 * one (the server accepts ±1 step of drift), else a backup code.
 */
export async function nextTotpCode(totp: TestTotp): Promise<string> {
  const now = Math.floor(Date.now() / 30_000);
  for (const step of [now, now + 1]) {
    if (step > totp.lastStep) {
      totp.lastStep = step;
      return generate({ secret: totp.secret, epoch: step * 30 });
    }
  }
  const backup = totp.backupCodes.shift();
  if (!backup) throw new Error('no unused TOTP step or backup code left');
  return backup;
}

/** Enrols TOTP through the real setup/enable routes; that session has then passed MFA. */
export async function enrolTotp(ctx: TestApp, user: TestUser): Promise<TestTotp> {
  const setup = await ctx.http().post('/api/v1/auth/mfa/totp/setup').set(user.authHeader);
  if (setup.status !== 200) {
    throw new Error(`totp setup failed: ${setup.status} ${JSON.stringify(setup.body)}`);
  }
  const totp: TestTotp = { secret: setup.body.secret, backupCodes: [], lastStep: 0 };
  const enabled = await ctx
    .http()
    .post('/api/v1/auth/mfa/totp/enable')
    .set(user.authHeader)
    .send({ code: await nextTotpCode(totp) });
  if (enabled.status !== 200) {
    throw new Error(`totp enable failed: ${enabled.status} ${JSON.stringify(enabled.body)}`);
  }
  totp.backupCodes = [...enabled.body.backupCodes];
  user.totp = totp;
  return totp;
}

/** POST /auth/login then POST /auth/login/mfa with a real code (accounts with TOTP). */
export async function loginWithTotp(
  ctx: TestApp,
  email: string,
  password: string,
  totp: TestTotp,
): Promise<TestUser> {
  const first = await ctx.http().post('/api/v1/auth/login').send({ email, password });
  if (first.status !== 200 || !first.body.mfaToken) {
    throw new Error(`login failed: ${first.status} ${JSON.stringify(first.body)}`);
  }
  const second = await ctx
    .http()
    .post('/api/v1/auth/login/mfa')
    .send({ mfaToken: first.body.mfaToken, code: await nextTotpCode(totp) });
  if (second.status !== 200) {
    throw new Error(`login/mfa failed: ${second.status} ${JSON.stringify(second.body)}`);
  }
  return { ...signedIn(second.body, password), totp };
}

/** Signs a user in again through the real flow (with a TOTP code when they have one). */
export async function loginAgain(ctx: TestApp, user: TestUser): Promise<TestUser> {
  return user.totp
    ? loginWithTotp(ctx, user.email, user.password, user.totp)
    : login(ctx, user.email, user.password);
}

export interface StaffOptions extends Pick<UserOverrides, 'email' | 'password'> {
  /** false: a staff account without TOTP (staff-only routes answer MFA_ENROLMENT_REQUIRED). */
  mfa?: boolean;
}

/**
 * An active staff account created through the `users:create` CLI command, signed in, and (unless
 * `mfa: false`) enrolled in TOTP with a real code, so its session has passed the second factor.
 */
export async function createStaff(
  ctx: TestApp,
  roles: readonly Role[],
  overrides: StaffOptions = {},
): Promise<TestUser> {
  const email = overrides.email ?? uniqueEmail(roles.join('-') || 'staff');
  const password = overrides.password ?? DEFAULT_PASSWORD;
  const command = ctx.app.get(UsersCreateCommand);
  for (const role of roles) await command.run({ email, password, role });
  const staff = await login(ctx, email, password);
  if (overrides.mfa !== false) await enrolTotp(ctx, staff);
  return staff;
}
