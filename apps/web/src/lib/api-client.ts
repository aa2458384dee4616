import type { ErrorBody } from '@forum/shared';

/**
 * The one way the web client talks to the API. The access token lives only in memory; the
 * refresh token is an httpOnly cookie the browser sends to POST /api/auth/refresh. A request that
 * gets 401 refreshes once (single-flight, serialised across tabs) and is retried once.
 */

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: ErrorBody | null,
  ) {
    super(body?.message ?? `HTTP ${status}`);
    this.name = 'ApiError';
  }

  /** Each request field the API named, with its problem (the error's `fields`; the message is for people, not parsed). */
  get fieldErrors(): Record<string, string> {
    return { ...(this.body?.fields ?? {}) };
  }

  /** The API's word for the kind of error (`bad_input`, `not_found`, `locked`, …), or '' when the answer had none. */
  get code(): string {
    return this.body?.code ?? '';
  }
}

/** A request that never reached the API (offline, DNS, server down). */
export class NetworkError extends Error {
  constructor(cause: unknown) {
    super('network error', { cause });
    this.name = 'NetworkError';
  }
}

let accessToken: string | null = null;
const tokenListeners = new Set<(token: string | null) => void>();

/** A hint, not a secret: whether this browser had a session, so guests never call refresh (a 401 per page load). */
const SESSION_HINT = 'forum.session';

export function getAccessToken(): string | null {
  return accessToken;
}

export function setAccessToken(token: string | null): void {
  if (token === accessToken) return;
  accessToken = token;
  try {
    if (token) localStorage.setItem(SESSION_HINT, '1');
  } catch {
    /* storage may be unavailable (private mode); the hint is only an optimisation */
  }
  for (const fn of tokenListeners) fn(token);
}

export function onAccessTokenChange(fn: (token: string | null) => void): () => void {
  tokenListeners.add(fn);
  return () => tokenListeners.delete(fn);
}

export function hadSession(): boolean {
  try {
    return localStorage.getItem(SESSION_HINT) === '1';
  } catch {
    return false;
  }
}

export function forgetSession(): void {
  try {
    localStorage.removeItem(SESSION_HINT);
  } catch {
    /* ignore */
  }
  setAccessToken(null);
}

/** Seconds until the token's `exp`, or null when it cannot be read. */
function secondsLeft(token: string): number | null {
  try {
    const part = token.split('.')[1];
    if (!part) return null;
    const json = JSON.parse(atob(part.replace(/-/g, '+').replace(/_/g, '/'))) as { exp?: number };
    return typeof json.exp === 'number' ? json.exp - Date.now() / 1000 : null;
  } catch {
    return null;
  }
}

let refreshing: Promise<string | null> | null = null;

/**
 * A new access token from the refresh cookie, or null when there is no session. Refresh tokens
 * rotate on every use and reuse revokes the family, so only one refresh may run at a time: one
 * promise per tab, and a Web Lock across tabs (the second tab then sends the already-rotated cookie).
 */
export function refreshAccessToken(): Promise<string | null> {
  refreshing ??= runRefresh().finally(() => {
    refreshing = null;
  });
  return refreshing;
}

async function runRefresh(): Promise<string | null> {
  const before = accessToken;
  const attempt = async (): Promise<string | null> => {
    // Another tab or call may have refreshed while we waited for the lock.
    if (accessToken && accessToken !== before) return accessToken;
    let res: Response;
    try {
      res = await fetch('/api/auth/refresh', { method: 'POST', credentials: 'same-origin', headers: { Accept: 'application/json' } });
    } catch (err) {
      throw new NetworkError(err);
    }
    if (res.status === 401 || res.status === 403) {
      forgetSession();
      return null;
    }
    if (!res.ok) throw new ApiError(res.status, await readError(res));
    const body = (await res.json()) as { accessToken: string };
    setAccessToken(body.accessToken);
    return body.accessToken;
  };
  const locks = typeof navigator !== 'undefined' ? navigator.locks : undefined;
  return locks ? locks.request('forum-auth-refresh', attempt) : attempt();
}

/** The access token to send now: refreshed ahead of expiry so that a 401 (and its console noise) stays rare. */
export async function currentAccessToken(): Promise<string | null> {
  if (accessToken) {
    const left = secondsLeft(accessToken);
    if (left !== null && left < 30) return refreshAccessToken().catch(() => accessToken);
    return accessToken;
  }
  return null;
}

async function readError(res: Response): Promise<ErrorBody | null> {
  try {
    const body = (await res.json()) as Partial<ErrorBody>;
    if (typeof body?.message === 'string') {
      const fields: Record<string, string> = {};
      if (body.fields && typeof body.fields === 'object') for (const [k, v] of Object.entries(body.fields)) if (typeof v === 'string') fields[k] = v;
      return { statusCode: res.status, code: typeof body.code === 'string' ? body.code : '', message: body.message, error: String(body.error ?? ''), fields };
    }
  } catch {
    /* not JSON */
  }
  return null;
}

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  body?: unknown;
  query?: Record<string, string | number | boolean | null | undefined>;
  signal?: AbortSignal;
}

function url(path: string, query?: RequestOptions['query']): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined && v !== null && v !== '') params.set(k, String(v));
  const qs = params.toString();
  return `/api${path}${qs ? `?${qs}` : ''}`;
}

/** JSON request to `/api${path}`; throws ApiError for an error answer, NetworkError when the API is unreachable. */
export async function api<T>(path: string, opts: RequestOptions = {}): Promise<T> {
  return (await apiWithHeaders<T>(path, opts)).data;
}

/** As `api`, with the answer's headers (e.g. the `X-Next-Cursor` of a paged list). */
export async function apiWithHeaders<T>(path: string, opts: RequestOptions = {}): Promise<{ data: T; headers: Headers }> {
  const send = async (token: string | null): Promise<Response> => {
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (opts.body !== undefined) headers['Content-Type'] = 'application/json';
    if (token) headers.Authorization = `Bearer ${token}`;
    try {
      return await fetch(url(path, opts.query), {
        method: opts.method ?? 'GET',
        headers,
        body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
        credentials: 'same-origin',
        signal: opts.signal,
      });
    } catch (err) {
      if ((err as Error).name === 'AbortError') throw err;
      throw new NetworkError(err);
    }
  };

  const token = await currentAccessToken();
  let res = await send(token);
  if (res.status === 401 && token && !path.startsWith('/auth/')) {
    const fresh = await refreshAccessToken().catch(() => null);
    if (fresh) res = await send(fresh);
  }
  if (!res.ok) throw new ApiError(res.status, await readError(res));
  if (res.status === 204) return { data: undefined as T, headers: res.headers };
  const text = await res.text();
  return { data: (text ? JSON.parse(text) : undefined) as T, headers: res.headers };
}

/** A 404 read as "not there (yet)": for optional resources such as a tally before any position exists. */
export function isNotFound(err: unknown): boolean {
  return err instanceof ApiError && err.status === 404;
}
