import { afterEach, describe, expect, it, vi } from 'vitest';
import { setStepUpHandler, stepUpFetch } from './client';

const problem = (status: number, code: string): Response =>
  new Response(JSON.stringify({ title: code, status, code }), {
    status,
    headers: { 'content-type': 'application/problem+json' },
  });

function stubServer(answers: Response[]) {
  const bodies: string[] = [];
  const fetchMock = vi.fn(async (request: Request) => {
    bodies.push(await request.text());
    const next = answers.shift();
    if (!next) throw new Error('unexpected request');
    return next;
  });
  vi.stubGlobal('fetch', fetchMock);
  return { fetchMock, bodies };
}

const reveal = () =>
  new Request('http://localhost/api/v1/admin/documents/d1/reveal', {
    method: 'POST',
    body: JSON.stringify({ reason: 'Airline asked' }),
    headers: { 'content-type': 'application/json' },
  });

describe('step-up on 403 REAUTHENTICATION_REQUIRED', () => {
  let unregister: () => void = () => undefined;
  afterEach(() => {
    unregister();
    vi.unstubAllGlobals();
  });

  it('asks once, then retries the action once with the same body', async () => {
    const { fetchMock, bodies } = stubServer([
      problem(403, 'REAUTHENTICATION_REQUIRED'),
      new Response('{"number":"X1"}', { status: 200 }),
    ]);
    const handler = vi.fn(async () => true);
    unregister = setStepUpHandler(handler);
    const response = await stepUpFetch(reveal());
    expect(response.status).toBe(200);
    expect(handler).toHaveBeenCalledTimes(1);
    expect(fetchMock).toHaveBeenCalledTimes(2);
    expect(bodies).toEqual(['{"reason":"Airline asked"}', '{"reason":"Airline asked"}']);
  });

  it('a cancelled step-up leaves the refusal as it was (no retry)', async () => {
    const { fetchMock } = stubServer([problem(403, 'REAUTHENTICATION_REQUIRED')]);
    unregister = setStepUpHandler(async () => false);
    const response = await stepUpFetch(reveal());
    expect(response.status).toBe(403);
    expect(((await response.json()) as { code: string }).code).toBe('REAUTHENTICATION_REQUIRED');
    expect(fetchMock).toHaveBeenCalledTimes(1);
  });

  it('never loops: a second refusal after the step-up is returned; other 403s never ask', async () => {
    stubServer([
      problem(403, 'REAUTHENTICATION_REQUIRED'),
      problem(403, 'REAUTHENTICATION_REQUIRED'),
      problem(403, 'FORBIDDEN_ROLE'),
    ]);
    const handler = vi.fn(async () => true);
    unregister = setStepUpHandler(handler);
    expect((await stepUpFetch(reveal())).status).toBe(403);
    expect(handler).toHaveBeenCalledTimes(1);
    expect((await stepUpFetch(reveal())).status).toBe(403);
    expect(handler).toHaveBeenCalledTimes(1);
  });
});
