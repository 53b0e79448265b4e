import type { TestApp } from '../utils/test-app.js';
import type { TestUser } from './users.js';

/** The consent event as POST /me/consents answers it. */
export interface TestConsentEvent {
  id: string;
  purpose: string;
  noticeVersion: number;
  decision: 'granted' | 'withdrawn';
  seq: number;
  prevHash: string | null;
  hash: string;
}

/** The current notice version of a purpose, from the public GET /consent-notices. */
export async function currentNoticeVersion(ctx: TestApp, purpose: string): Promise<number> {
  const response = await ctx.http().get('/api/v1/consent-notices');
  const notice = (response.body.items as { purpose: string; version: number }[] | undefined)?.find(
    (item) => item.purpose === purpose,
  );
  if (response.status !== 200 || !notice) {
    throw new Error(`no current notice for ${purpose}: ${response.status}`);
  }
  return notice.version;
}

async function decide(
  ctx: TestApp,
  user: Pick<TestUser, 'authHeader'>,
  purpose: string,
  granted: boolean,
): Promise<TestConsentEvent> {
  const version = await currentNoticeVersion(ctx, purpose);
  const response = await ctx
    .http()
    .post('/api/v1/me/consents')
    .set(user.authHeader)
    .send({ purpose, version, granted });
  if (response.status !== 201) {
    throw new Error(`consent failed: ${response.status} ${JSON.stringify(response.body)}`);
  }
  return response.body as TestConsentEvent;
}

/**
 * Grants `purpose` for `user` through the real route (POST /me/consents with the current notice
 * version), so routes behind `@RequiresConsent(purpose)` let the user in.
 */
export function grantConsent(
  ctx: TestApp,
  user: Pick<TestUser, 'authHeader'>,
  purpose: string,
): Promise<TestConsentEvent> {
  return decide(ctx, user, purpose, true);
}

/** Withdraws `purpose` for `user` through POST /me/consents. */
export function withdrawConsent(
  ctx: TestApp,
  user: Pick<TestUser, 'authHeader'>,
  purpose: string,
): Promise<TestConsentEvent> {
  return decide(ctx, user, purpose, false);
}
