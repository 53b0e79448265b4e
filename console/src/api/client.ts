import createClient from 'openapi-fetch';
import { Session } from '../auth/session';
import { ApiError, networkProblem, toProblem } from './problem';
import type { components, paths } from './schema';

export type Schemas = components['schemas'];

const baseUrl = typeof window === 'undefined' ? 'http://localhost' : window.location.origin;

export const session = new Session((request) => globalThis.fetch(request), baseUrl);

/** The typed API client: every path, body and answer type comes from openapi/openapi.json. */
export const api = createClient<paths>({
  baseUrl,
  fetch: (request: Request) =>
    session.fetch(request).catch(() => {
      throw new ApiError(networkProblem());
    }),
  credentials: 'same-origin',
});

/** The data of an openapi-fetch answer, or an ApiError carrying its problem details. */
export function unwrap<T>(result: { data?: T; error?: unknown; response: Response }): T {
  if (result.response.ok) return result.data as T;
  throw new ApiError(toProblem(result.response.status, result.error));
}
