import type { TestApp } from '../utils/test-app.js';

interface Signed {
  authHeader: { Authorization: string };
}

async function currentVersion(ctx: TestApp, purpose: string): Promise<number> {
  const response = await ctx.http().get('/api/v1/consent-notices');
  const notices = response.body as { items: Array<{ purpose: string; version: number }> };
  const notice = notices.items.find((item) => item.purpose === purpose);
  if (!notice) throw new Error(`no current notice for ${purpose}`);
  return notice.version;
}

/** Records a decision on the current notice of `purpose` through POST /me/consents. */
export async function decideConsent(
  ctx: TestApp,
  user: Signed,
  purpose: string,
  granted: boolean,
): Promise<void> {
  const response = await ctx
    .http()
    .post('/api/v1/me/consents')
    .set(user.authHeader)
    .send({ purpose, version: await currentVersion(ctx, purpose), granted });
  if (response.status !== 201) {
    throw new Error(`consent failed: ${response.status} ${JSON.stringify(response.body)}`);
  }
}

/** Grants the current notice of `purpose` for `user`. */
export function grantConsent(ctx: TestApp, user: Signed, purpose: string): Promise<void> {
  return decideConsent(ctx, user, purpose, true);
}
