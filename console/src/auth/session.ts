/**
 * The console's session: the access token lives only in this object's memory (never in
 * localStorage or sessionStorage); the refresh token is an httpOnly cookie the page cannot read,
 * sent by the browser only to POST /auth/console/refresh.
 */
export const REFRESH_PATH = '/api/v1/auth/console/refresh';

/**
 * A 401 that refuses the bearer token itself (the API adds `WWW-Authenticate: Bearer`), as
 * opposed to a 401 answer about something else, such as a wrong authentication code.
 */
export function rejectsToken(response: Response): boolean {
  return (
    response.status === 401 &&
    (response.headers.get('www-authenticate') ?? '').toLowerCase().startsWith('bearer')
  );
}

export type FetchLike = (input: Request) => Promise<Response>;

export class Session {
  private accessToken: string | null = null;
  private refreshing: Promise<boolean> | null = null;
  private readonly expiredListeners = new Set<() => void>();

  constructor(
    private readonly fetchImpl: FetchLike,
    private readonly baseUrl: string,
  ) {}

  get token(): string | null {
    return this.accessToken;
  }

  get signedIn(): boolean {
    return this.accessToken !== null;
  }

  setToken(token: string): void {
    this.accessToken = token;
  }

  clear(): void {
    this.accessToken = null;
  }

  /** Called when the session ends during work (refresh refused): back to sign-in. */
  onExpired(listener: () => void): () => void {
    this.expiredListeners.add(listener);
    return () => this.expiredListeners.delete(listener);
  }

  /**
   * A new access token from the refresh cookie. Concurrent callers share one request (the
   * refresh token rotates: two parallel refreshes would race each other).
   */
  refresh(): Promise<boolean> {
    this.refreshing ??= this.doRefresh().finally(() => {
      this.refreshing = null;
    });
    return this.refreshing;
  }

  private async doRefresh(): Promise<boolean> {
    let response: Response;
    try {
      response = await this.fetchImpl(
        new Request(`${this.baseUrl}${REFRESH_PATH}`, {
          method: 'POST',
          credentials: 'same-origin',
          headers: { accept: 'application/json' },
        }),
      );
    } catch {
      return false;
    }
    if (!response.ok) {
      this.accessToken = null;
      return false;
    }
    const body = (await response.json()) as { accessToken?: unknown };
    if (typeof body.accessToken !== 'string') return false;
    this.accessToken = body.accessToken;
    return true;
  }

  /**
   * fetch with the bearer token. A 401 refreshes once and retries once; if that fails too the
   * session has ended: listeners are told (the app shows sign-in at the same URL).
   */
  fetch: FetchLike = async (request) => {
    const retry = request.clone();
    const first = await this.fetchImpl(this.authorize(request));
    if (!rejectsToken(first) || this.accessToken === null) return first;
    const refreshed = await this.refresh();
    if (!refreshed) {
      this.expire();
      return first;
    }
    const second = await this.fetchImpl(this.authorize(retry));
    if (rejectsToken(second)) this.expire();
    return second;
  };

  private authorize(request: Request): Request {
    if (this.accessToken === null) return request;
    const headers = new Headers(request.headers);
    headers.set('authorization', `Bearer ${this.accessToken}`);
    return new Request(request, { headers });
  }

  private expire(): void {
    this.accessToken = null;
    for (const listener of this.expiredListeners) listener();
  }
}
