import { describe, expect, it, vi } from 'vitest';
import { REFRESH_PATH, Session } from './session';

const json = (status: number, body: unknown): Response =>
  new Response(JSON.stringify(body), {
    status,
    headers: {
      'content-type': 'application/json',
      // The API's token refusals say so; other 401s (a wrong code) do not.
      ...(status === 401 ? { 'www-authenticate': 'Bearer' } : {}),
    },
  });

function server(handlers: { refresh: () => Response; api: (token: string | null) => Response }) {
  const calls: string[] = [];
  const fetchImpl = vi.fn(async (request: Request) => {
    const path = new URL(request.url).pathname;
    calls.push(`${request.method} ${path} ${request.headers.get('authorization') ?? '-'}`);
    if (path === REFRESH_PATH) return handlers.refresh();
    const header = request.headers.get('authorization');
    return handlers.api(header ? header.slice('Bearer '.length) : null);
  });
  return { calls, fetchImpl };
}

const get = () => new Request('http://console.test/api/v1/admin/documents');

describe('Session', () => {
  it('sends the in-memory access token as a bearer token', async () => {
    const { calls, fetchImpl } = server({ refresh: () => json(401, {}), api: () => json(200, {}) });
    const session = new Session(fetchImpl, 'http://console.test');
    session.setToken('a1');
    expect((await session.fetch(get())).status).toBe(200);
    expect(calls).toEqual(['GET /api/v1/admin/documents Bearer a1']);
  });

  it('on a 401 refreshes silently once and retries the request with the new token', async () => {
    const { calls, fetchImpl } = server({
      refresh: () => json(200, { accessToken: 'a2' }),
      api: (token) => (token === 'a2' ? json(200, { ok: true }) : json(401, {})),
    });
    const session = new Session(fetchImpl, 'http://console.test');
    const expired = vi.fn();
    session.onExpired(expired);
    session.setToken('a1');
    const response = await session.fetch(get());
    expect(response.status).toBe(200);
    expect(session.token).toBe('a2');
    expect(expired).not.toHaveBeenCalled();
    expect(calls).toEqual([
      'GET /api/v1/admin/documents Bearer a1',
      `POST ${REFRESH_PATH} -`,
      'GET /api/v1/admin/documents Bearer a2',
    ]);
  });

  it('when the refresh is refused, forgets the token and reports the session as ended', async () => {
    const { calls, fetchImpl } = server({ refresh: () => json(401, {}), api: () => json(401, {}) });
    const session = new Session(fetchImpl, 'http://console.test');
    const expired = vi.fn();
    session.onExpired(expired);
    session.setToken('a1');
    expect((await session.fetch(get())).status).toBe(401);
    expect(session.token).toBeNull();
    expect(expired).toHaveBeenCalledTimes(1);
    expect(calls).toHaveLength(2);
  });

  it('retries at most once: a second 401 after a successful refresh ends the session', async () => {
    const { calls, fetchImpl } = server({
      refresh: () => json(200, { accessToken: 'a2' }),
      api: () => json(401, {}),
    });
    const session = new Session(fetchImpl, 'http://console.test');
    const expired = vi.fn();
    session.onExpired(expired);
    session.setToken('a1');
    expect((await session.fetch(get())).status).toBe(401);
    expect(calls).toHaveLength(3);
    expect(expired).toHaveBeenCalledTimes(1);
  });

  it('concurrent 401s share one refresh (the refresh token rotates)', async () => {
    const { calls, fetchImpl } = server({
      refresh: () => json(200, { accessToken: 'a2' }),
      api: (token) => (token === 'a2' ? json(200, {}) : json(401, {})),
    });
    const session = new Session(fetchImpl, 'http://console.test');
    session.setToken('a1');
    const results = await Promise.all([
      session.fetch(get()),
      session.fetch(get()),
      session.fetch(get()),
    ]);
    expect(results.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(calls.filter((call) => call.startsWith('POST'))).toHaveLength(1);
  });

  it('does not try to refresh when nobody is signed in (a wrong password stays a 401)', async () => {
    const { calls, fetchImpl } = server({
      refresh: () => json(200, { accessToken: 'x' }),
      api: () => json(401, {}),
    });
    const session = new Session(fetchImpl, 'http://console.test');
    expect((await session.fetch(get())).status).toBe(401);
    expect(calls).toHaveLength(1);
  });

  it('a 401 about something else (a wrong authentication code) is an answer, not an expiry', async () => {
    const { calls, fetchImpl } = server({
      refresh: () => json(200, { accessToken: 'a2' }),
      api: () => new Response(JSON.stringify({ code: 'INVALID_MFA_CODE' }), { status: 401 }),
    });
    const session = new Session(fetchImpl, 'http://console.test');
    const expired = vi.fn();
    session.onExpired(expired);
    session.setToken('a1');
    expect((await session.fetch(get())).status).toBe(401);
    expect(calls).toHaveLength(1);
    expect(session.token).toBe('a1');
    expect(expired).not.toHaveBeenCalled();
  });

  it('keeps the access token out of web storage', async () => {
    const { fetchImpl } = server({
      refresh: () => json(200, { accessToken: 'secret-token' }),
      api: () => json(200, {}),
    });
    const session = new Session(fetchImpl, 'http://console.test');
    await session.refresh();
    expect(session.token).toBe('secret-token');
    expect(JSON.stringify({ ...localStorage })).not.toContain('secret-token');
    expect(JSON.stringify({ ...sessionStorage })).not.toContain('secret-token');
  });
});
