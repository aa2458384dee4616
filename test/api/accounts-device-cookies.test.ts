import request from 'supertest';
import { startTestApp, type TestApp } from '../support/app.js';

/**
 * Failed sign-ins counted per account and address, and OWASP's device cookies: a browser that
 * signed in to an account before keeps its way in while guesses from elsewhere lock the account
 * for unknown devices. Limits of 3 a minute; the loopback proxy is trusted, so each request
 * names its client address in X-Forwarded-For.
 */

const LIMIT = 3;
const PASSWORD = 'the owner password 123';
const ADMIN = { email: 'chair@devices.example', password: 'the administrator password' };
let t: TestApp;
let n = 0;
let addressCounter = 0;
const newAddress = () => `203.0.113.${++addressCounter}`;

beforeAll(async () => {
  t = await startTestApp({ AUTH_RATE_PER_MINUTE: String(LIMIT), TRUST_PROXY: 'loopback', ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password });
});
afterAll(async () => {
  await t?.close();
});

function cookieOf(res: request.Response, name: string): { value: string; attrs: string[] } | null {
  const raw = ([] as string[]).concat(res.headers['set-cookie'] ?? []).find((c) => c.startsWith(`${name}=`));
  if (!raw) return null;
  const [pair, ...attrs] = raw.split(';').map((s) => s.trim());
  return { value: decodeURIComponent(pair!.slice(name.length + 1)), attrs: attrs.map((a) => a.toLowerCase()) };
}
const deviceHeader = (value: string) => `forum_device=${encodeURIComponent(value)}`;

/** An account, and the device cookie of a first sign-in from its owner's browser. */
async function owner(): Promise<{ email: string; id: string; device: string }> {
  n += 1;
  const email = `owner${n}.${Date.now()}@example.org`;
  const reg = await request(t.base).post('/api/auth/register').set('X-Forwarded-For', newAddress()).send({ email, password: PASSWORD, displayName: `Owner ${n}`, stakeholderGroup: 'academia' }).expect(201);
  const login = await request(t.base).post('/api/auth/login').set('X-Forwarded-For', newAddress()).send({ email, password: PASSWORD }).expect(200);
  return { email, id: reg.body.user.id, device: cookieOf(login, 'forum_device')!.value };
}

function signIn(email: string, password: string, address: string, device?: string) {
  const r = request(t.base).post('/api/auth/login').set('X-Forwarded-For', address);
  if (device) r.set('Cookie', deviceHeader(device));
  return r.send({ email, password });
}

describe('the device cookie', () => {
  it('is set at every sign-in: signed, httpOnly, SameSite=Strict, only sent to /api/auth, naming the account', async () => {
    const o = await owner();
    const res = await signIn(o.email, PASSWORD, newAddress()).expect(200);
    const c = cookieOf(res, 'forum_device')!;
    expect(c.attrs).toEqual(expect.arrayContaining(['httponly', 'samesite=strict', 'path=/api/auth']));
    expect(c.attrs.some((a) => a.startsWith('max-age='))).toBe(true);
    expect(c.value.split('.')[0]).toBe(o.id);
    expect(c.value).not.toBe(o.device); // a new nonce each time
    // the first Set-Cookie is still the refresh token (clients that read one cookie keep working)
    expect(String(([] as string[]).concat(res.headers['set-cookie'])[0])).toMatch(/^forum_refresh=/);
  });

  it('is not set when the password is wrong', async () => {
    const o = await owner();
    const res = await signIn(o.email, 'a wrong password', newAddress()).expect(401);
    expect(cookieOf(res, 'forum_device')).toBeNull();
  });
});

describe('wrong passwords from one address', () => {
  it('beyond the limit, leave the owner signing in from another address on a device used before', async () => {
    const o = await owner();
    const attacker = newAddress();
    for (let i = 0; i < LIMIT; i++) await signIn(o.email, `guess ${i}`, attacker).expect(401);
    const refused = await signIn(o.email, 'guess again', attacker);
    expect(refused.status).toBe(429);
    expect(refused.body.message).toMatch(/too many/); // the address, the account and address, the account: all spent
    expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    // the owner, elsewhere, with the cookie of an earlier sign-in
    const ok = await signIn(o.email, PASSWORD, newAddress(), o.device).expect(200);
    expect(ok.body.user.id).toBe(o.id);
    // and the attacker's address is still refused, even with the right password (no cookie)
    expect((await signIn(o.email, PASSWORD, attacker)).status).toBe(429);
  });

  it('from an unknown device, meet the per-account ceiling across all addresses (429, even to the right password)', async () => {
    const o = await owner();
    for (let i = 0; i < LIMIT; i++) await signIn(o.email, `spread guess ${i}`, newAddress()).expect(401);
    const locked = await signIn(o.email, PASSWORD, newAddress());
    expect(locked.status).toBe(429);
    expect(locked.body.message).toMatch(/account/);
    expect(cookieOf(locked, 'forum_device')).toBeNull();
    // a device cookie that does not hold counts as no cookie at all
    const [id, nonce, sig] = o.device.split('.');
    const forged = `${id}.${nonce}.${sig!.slice(0, -2)}${sig!.endsWith('AA') ? 'BB' : 'AA'}`;
    expect((await signIn(o.email, PASSWORD, newAddress(), forged)).status).toBe(429);
    expect((await signIn(o.email, PASSWORD, newAddress(), 'garbage')).status).toBe(429);
    // another account's device cookie is no device of this account
    const other = await owner();
    expect((await signIn(o.email, PASSWORD, newAddress(), other.device)).status).toBe(429);
    // the genuine one opens it
    await signIn(o.email, PASSWORD, newAddress(), o.device).expect(200);
  });

  it('a device cookie that fails too often is locked out itself; other devices of the account are not', async () => {
    const o = await owner();
    const second = cookieOf(await signIn(o.email, PASSWORD, newAddress()).expect(200), 'forum_device')!.value;
    for (let i = 0; i < LIMIT; i++) await signIn(o.email, `stolen cookie guess ${i}`, newAddress(), o.device).expect(401);
    const locked = await signIn(o.email, PASSWORD, newAddress(), o.device);
    expect(locked.status).toBe(429);
    expect(locked.body.message).toMatch(/this device/);
    await signIn(o.email, PASSWORD, newAddress(), second).expect(200);
  });

  it('successful sign-ins with a device cookie do not use up its allowance', async () => {
    const o = await owner();
    for (let i = 0; i < LIMIT + 2; i++) await signIn(o.email, PASSWORD, newAddress(), o.device).expect(200);
  });
});

describe("an attacker sending ten wrong passwords a minute for the administrator's address", () => {
  it('cannot keep the administrator out of the device they signed in on before', async () => {
    const first = await signIn(ADMIN.email, ADMIN.password, newAddress()).expect(200);
    const device = cookieOf(first, 'forum_device')!.value;
    // two minutes of the attack, ten guesses a minute from changing addresses
    for (let minute = 0; minute < 2; minute++) {
      const statuses: number[] = [];
      for (let i = 0; i < 10; i++) statuses.push((await signIn(ADMIN.email, `attack ${minute}.${i}`, newAddress())).status);
      expect(statuses.filter((s) => s === 401)).toHaveLength(LIMIT); // the rest were refused unchecked
      expect(statuses.filter((s) => s === 429)).toHaveLength(10 - LIMIT);
      // meanwhile the administrator, from the office, with the device cookie
      const res = await signIn(ADMIN.email, ADMIN.password, newAddress(), device).expect(200);
      expect(res.body.user.role).toBe('admin');
      // an unknown device meets the ceiling the attack keeps full
      expect((await signIn(ADMIN.email, ADMIN.password, newAddress())).status).toBe(429);
      // the next minute, rather than waiting for it
      await t.db.query(`UPDATE rate_limits SET window_start = window_start - interval '61 seconds'`);
    }
  });
});
