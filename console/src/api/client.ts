import createClient from 'openapi-fetch';
import { Session } from '../auth/session';
import { ApiError, networkProblem, toProblem } from './problem';
import type { components, paths } from './schema';

export type Schemas = components['schemas'];

const baseUrl = typeof window === 'undefined' ? 'http://localhost' : window.location.origin;

export const session = new Session((request) => globalThis.fetch(request), baseUrl);

/**
 * Asks the person to prove it is them again (the step-up dialog); true once
 * POST /auth/console/reauthenticate succeeded, false when they cancelled.
 */
export type StepUpHandler = () => Promise<boolean>;
let stepUpHandler: StepUpHandler | null = null;

/** The app registers its dialog here; the returned function unregisters it. */
export function setStepUpHandler(handler: StepUpHandler): () => void {
  stepUpHandler = handler;
  return () => {
    if (stepUpHandler === handler) stepUpHandler = null;
  };
}

/** 403 REAUTHENTICATION_REQUIRED: the action needs a recent sign-in. */
export async function needsStepUp(response: Response): Promise<boolean> {
  if (response.status !== 403) return false;
  const body: unknown = await response
    .clone()
    .json()
    .catch(() => undefined);
  return (
    typeof body === 'object' &&
    body !== null &&
    (body as { code?: unknown }).code === 'REAUTHENTICATION_REQUIRED'
  );
}

/**
 * fetch with the session's token; an action refused for an old sign-in asks for a step-up and
 * is retried once after it (never more: a second refusal is shown as it is).
 */
export async function stepUpFetch(request: Request): Promise<Response> {
  const retry = request.clone();
  const first = await session.fetch(request);
  if (stepUpHandler === null || !(await needsStepUp(first))) return first;
  if (!(await stepUpHandler())) return first;
  return session.fetch(retry);
}

/** The typed API client: every path, body and answer type comes from openapi/openapi.json. */
export const api = createClient<paths>({
  baseUrl,
  fetch: (request: Request) =>
    stepUpFetch(request).catch(() => {
      throw new ApiError(networkProblem());
    }),
  credentials: 'same-origin',
});

/** The data of an openapi-fetch answer, or an ApiError carrying its problem details. */
export function unwrap<T>(result: { data?: T; error?: unknown; response: Response }): T {
  if (result.response.ok) return result.data as T;
  throw new ApiError(toProblem(result.response.status, result.error));
}
