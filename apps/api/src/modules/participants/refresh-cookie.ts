import type { CookieOptions, Request, Response } from 'express';

export const REFRESH_COOKIE = 'forum_refresh';
/** Only the refresh and logout routes ever receive the cookie. */
export const REFRESH_COOKIE_PATH = '/api/auth';

/**
 * httpOnly (no script reads it), SameSite=Strict (the web client is same-site with its API, so
 * Strict costs nothing and no other site can make the browser refresh or log out), Secure
 * whenever the request came over HTTPS (behind a proxy: with TRUST_PROXY set).
 */
function options(req: Request, maxAgeMs?: number): CookieOptions {
  return { httpOnly: true, sameSite: 'strict', secure: req.secure, path: REFRESH_COOKIE_PATH, ...(maxAgeMs !== undefined ? { maxAge: maxAgeMs } : {}) };
}

export function setRefreshCookie(req: Request, res: Response, token: string, ttlDays: number): void {
  res.cookie(REFRESH_COOKIE, token, options(req, ttlDays * 24 * 3600 * 1000));
}

export function clearRefreshCookie(req: Request, res: Response): void {
  res.clearCookie(REFRESH_COOKIE, options(req));
}

export function readRefreshCookie(req: Request): string | undefined {
  const v = (req.cookies as Record<string, unknown> | undefined)?.[REFRESH_COOKIE];
  return typeof v === 'string' ? v : undefined;
}
