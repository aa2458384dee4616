import type { Request, Response } from 'express';
import { AppConfig } from '../../config/app-config.js';
import { DEVICE_COOKIE, DeviceCookies } from './device-cookie.js';

const USER = '3f2b8c1e-5d4a-4e6f-9a7b-1c2d3e4f5a6b';
const config = (secret: string) => new AppConfig({ JWT_SECRET: secret, DATA_DIR: '/nonexistent-test-data-dir' });

/** The value and options a DeviceCookies.set call writes. */
function issued(devices: DeviceCookies, secure = false): { value: string; options: Record<string, unknown> } {
  let out: { value: string; options: Record<string, unknown> } | null = null;
  const res = { cookie: (name: string, value: string, options: Record<string, unknown>) => (out = name === DEVICE_COOKIE ? { value, options } : out) } as unknown as Response;
  devices.set({ secure } as Request, res, USER);
  return out!;
}
const reading = (value: unknown) => ({ cookies: { [DEVICE_COOKIE]: value } }) as unknown as Request;

describe('DeviceCookies', () => {
  const devices = new DeviceCookies(config('a'.repeat(40)));

  it('issues <account>.<nonce>.<HMAC>, httpOnly, SameSite=Strict, for /api/auth only, Secure over HTTPS', () => {
    const { value, options } = issued(devices, true);
    expect(value).toMatch(new RegExp(`^${USER}\\.[A-Za-z0-9_-]{22}\\.[A-Za-z0-9_-]{43}$`));
    expect(options).toMatchObject({ httpOnly: true, sameSite: 'strict', secure: true, path: '/api/auth' });
    expect(options.maxAge).toBeGreaterThan(30 * 24 * 3600 * 1000);
    expect(issued(devices).value).not.toBe(value); // a new nonce each time
  });

  it('reads back what it issued, naming the account and the nonce', () => {
    const { value } = issued(devices);
    expect(devices.read(reading(value))).toEqual({ userId: USER, nonce: value.split('.')[1] });
  });

  it('refuses a changed account, nonce or signature, another server secret, and anything malformed', () => {
    const { value } = issued(devices);
    const [, nonce, sig] = value.split('.');
    const other = '00000000-0000-4000-8000-000000000000';
    const flip = (s: string) => s.slice(0, -1) + (s.endsWith('A') ? 'B' : 'A');
    for (const bad of [`${other}.${nonce}.${sig}`, `${USER}.${flip(nonce!)}.${sig}`, `${USER}.${nonce}.${flip(sig!)}`, `${USER}.${nonce}`, '', 'x'.repeat(5000), 42, undefined]) {
      expect(devices.read(reading(bad))).toBeNull();
    }
    expect(new DeviceCookies(config('b'.repeat(40))).read(reading(value))).toBeNull();
    expect(devices.read({} as Request)).toBeNull();
  });
});
