import { Injectable } from '@nestjs/common';
import type { CookieOptions, Request, Response } from 'express';
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { AppConfig } from '../../config/app-config.js';
import { REFRESH_COOKIE_PATH } from './refresh-cookie.js';

export const DEVICE_COOKIE = 'forum_device';
const DEVICE_COOKIE_TTL_DAYS = 365;
const SHAPE = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.([A-Za-z0-9_-]{22})\.([A-Za-z0-9_-]{43})$/i;

/** A device the account signed in on before: whose it is, and a nonce naming this device. */
export interface Device {
  userId: string;
  nonce: string;
}

/**
 * OWASP's device cookies ("Slow Down Online Guessing Attacks with Device Cookies"): after a
 * successful sign-in the browser gets `<account>.<nonce>.<HMAC>`, signed with a key derived from
 * the server secret, so nothing is stored per device. A sign-in that presents a valid device
 * cookie for the account it names is limited per device (its nonce) instead of per account, so
 * guesses from elsewhere cannot lock the owner out of a device they used before. Same attributes
 * as the refresh cookie: httpOnly, SameSite=Strict, only sent to /api/auth.
 */
@Injectable()
export class DeviceCookies {
  private readonly key: Buffer;

  constructor(config: AppConfig) {
    this.key = createHmac('sha256', config.jwtSecret).update('forum device cookie v1').digest();
  }

  /** Issues a fresh device cookie for the account (a new nonce on every sign-in). */
  set(req: Request, res: Response, userId: string): void {
    const body = `${userId}.${randomBytes(16).toString('base64url')}`;
    res.cookie(DEVICE_COOKIE, `${body}.${this.sign(body)}`, { ...options(req), maxAge: DEVICE_COOKIE_TTL_DAYS * 24 * 3600 * 1000 });
  }

  /** The device the request's cookie names, if the cookie is present and its signature holds. */
  read(req: Request): Device | null {
    const v = (req.cookies as Record<string, unknown> | undefined)?.[DEVICE_COOKIE];
    if (typeof v !== 'string') return null;
    const m = SHAPE.exec(v);
    if (!m) return null;
    const expected = Buffer.from(this.sign(`${m[1]}.${m[2]}`));
    const given = Buffer.from(m[3]!);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
    return { userId: m[1]!.toLowerCase(), nonce: m[2]! };
  }

  private sign(body: string): string {
    return createHmac('sha256', this.key).update(body).digest('base64url');
  }
}

function options(req: Request): CookieOptions {
  return { httpOnly: true, sameSite: 'strict', secure: req.secure, path: REFRESH_COOKIE_PATH };
}
