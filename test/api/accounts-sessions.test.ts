import { JwtService } from '@nestjs/jwt';
import request from 'supertest';
import { TokenService } from '../../apps/api/src/common/auth/token.service.js';
import { connectLive, startTestApp, type TestApp } from '../support/app.js';

/**
 * Sessions: an access token names its sign-in (`sid`, the refresh-token family) and stops
 * working the moment that session ends — sign-out, a password change elsewhere, a reset, expiry
 * — not when the token expires. And a participant changes their own password.
 */

const PASSWORD = 'session password 12345';
let t: TestApp;
let n = 0;

beforeAll(async () => {
  t = await startTestApp({ AUTH_RATE_PER_MINUTE: '3', TRUST_PROXY: 'loopback' });
});
afterAll(async () => {
  await t?.close();
});

let addressCounter = 0;
const newAddress = () => `192.0.2.${++addressCounter}`;

function refreshOf(res: request.Response): string {
  const raw = ([] as string[]).concat(res.headers['set-cookie'] ?? []).find((c) => c.startsWith('forum_refresh='))!;
  return raw.split(';')[0]!;
}

async function account() {
  n += 1;
  const email = `session${n}.${Date.now()}@example.org`;
  const res = await request(t.base).post('/api/auth/register').set('X-Forwarded-For', newAddress()).send({ email, password: PASSWORD, displayName: `S ${n}`, stakeholderGroup: 'government' }).expect(201);
  return { email, id: res.body.user.id as string, token: res.body.accessToken as string, cookie: refreshOf(res) };
}

async function signIn(email: string, password = PASSWORD) {
  const res = await request(t.base).post('/api/auth/login').set('X-Forwarded-For', newAddress()).send({ email, password });
  return res.status === 200 ? { token: res.body.accessToken as string, cookie: refreshOf(res), status: 200 } : { token: '', cookie: '', status: res.status };
}

const me = (token: string) => request(t.base).get('/api/me').set('Authorization', `Bearer ${token}`);
const claimsOf = (token: string) => JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as { sub: string; sid: string };

describe('an access token', () => {
  it('names its session: the refresh-token family of the sign-in, kept through refreshes', async () => {
    const a = await account();
    const { rows } = await t.db.query(`SELECT DISTINCT family_id FROM refresh_tokens WHERE user_id = $1`, [a.id]);
    expect(rows).toEqual([{ family_id: claimsOf(a.token).sid }]);
    const refreshed = await request(t.base).post('/api/auth/refresh').set('Cookie', a.cookie).expect(200);
    expect(claimsOf(refreshed.body.accessToken).sid).toBe(claimsOf(a.token).sid);
  });

  it('stops working at once when its session is signed out, over HTTP and at the socket handshake', async () => {
    const a = await account();
    const other = await signIn(a.email);
    await me(a.token).expect(200);
    await request(t.base).post('/api/auth/logout').set('Cookie', a.cookie).expect(204);
    const res = await me(a.token).expect(401);
    expect(res.body).toMatchObject({ statusCode: 401, message: expect.any(String), error: 'Unauthorized' });
    expect(await t.app.get(TokenService).verify(a.token)).toBeNull();
    await expect(connectLive(t, a.token)).rejects.toThrow();
    // the account's other session is untouched
    await me(other.token).expect(200);
    const s = await connectLive(t, other.token);
    s.close();
  });

  it('signs out its own session when sign-out carries only the access token', async () => {
    const a = await account();
    await request(t.base).post('/api/auth/logout').set('Authorization', `Bearer ${a.token}`).expect(204);
    await me(a.token).expect(401);
    await request(t.base).post('/api/auth/refresh').set('Cookie', a.cookie).expect(401);
  });

  it('stops working when its session expires or is revoked, and when it names no session', async () => {
    const a = await account();
    await t.db.query(`UPDATE refresh_tokens SET expires_at = now() - interval '1 second' WHERE user_id = $1`, [a.id]);
    await me(a.token).expect(401);

    const b = await account();
    await t.db.query(`UPDATE refresh_tokens SET revoked_at = now() WHERE user_id = $1`, [b.id]);
    await me(b.token).expect(401);

    // correctly signed, unexpired, but without a session, or with someone else's
    const c = await account();
    const jwt = t.app.get(JwtService);
    await me(jwt.sign({ sub: c.id, role: 'participant' })).expect(401);
    await me(jwt.sign({ sub: c.id, role: 'participant', sid: 'not-a-uuid' })).expect(401);
    await me(jwt.sign({ sub: c.id, role: 'participant', sid: claimsOf(a.token).sid })).expect(401);
    await me(jwt.sign({ sub: c.id, role: 'participant', sid: claimsOf(c.token).sid })).expect(200);
  });

  it('is checked in one round trip to the database', async () => {
    const a = await account();
    const tokens = t.app.get(TokenService);
    const db = (tokens as unknown as { db: { query: (...args: unknown[]) => Promise<unknown> } }).db;
    const original = db.query.bind(db);
    let queries = 0;
    db.query = (...args: unknown[]) => {
      queries += 1;
      return original(...args);
    };
    try {
      expect(await tokens.verify(a.token)).toMatchObject({ id: a.id, sessionId: claimsOf(a.token).sid });
    } finally {
      db.query = original;
    }
    expect(queries).toBe(1);
  });
});

describe('changing one’s password (POST /api/me/password)', () => {
  it('sets the new password and signs out every other session; this one stays', async () => {
    const a = await account();
    const laptop = await signIn(a.email);
    const phone = await signIn(a.email);
    await request(t.base).post('/api/me/password').set('Authorization', `Bearer ${laptop.token}`).send({ current: PASSWORD, next: 'a brand new password' }).expect(204);
    // this session goes on: its access token and its refresh cookie
    await me(laptop.token).expect(200);
    await request(t.base).post('/api/auth/refresh').set('Cookie', laptop.cookie).expect(200);
    // the others are over, access and refresh alike
    for (const s of [a, phone]) {
      await me(s.token).expect(401);
      await request(t.base).post('/api/auth/refresh').set('Cookie', s.cookie).expect(401);
    }
    expect((await signIn(a.email, PASSWORD)).status).toBe(401);
    expect((await signIn(a.email, 'a brand new password')).status).toBe(200);
  });

  it('refuses a wrong current password with 400 naming `current`, and changes nothing', async () => {
    const a = await account();
    const other = await signIn(a.email);
    const res = await request(t.base).post('/api/me/password').set('Authorization', `Bearer ${a.token}`).send({ current: 'not the password', next: 'a brand new password' }).expect(400);
    expect(res.body).toMatchObject({ statusCode: 400, message: expect.stringMatching(/^current: /), error: 'Bad Request' });
    await me(other.token).expect(200);
    expect((await signIn(a.email, PASSWORD)).status).toBe(200);
  });

  it('names a short or unchanged new password, a missing field or an unknown one with 400', async () => {
    const a = await account();
    const post = (body: unknown) => request(t.base).post('/api/me/password').set('Authorization', `Bearer ${a.token}`).send(body as object);
    expect((await post({ current: PASSWORD, next: 'short' }).expect(400)).body.message).toMatch(/next: must have at least 10 characters/);
    expect((await post({ current: PASSWORD, next: PASSWORD }).expect(400)).body.message).toMatch(/next: must differ/);
    expect((await post({ next: 'a long enough password' }).expect(400)).body.message).toMatch(/current/);
    expect((await post({ current: PASSWORD, next: 'a long enough password', role: 'admin' }).expect(400)).body.message).toMatch(/role/);
    await request(t.base).post('/api/me/password').send({ current: PASSWORD, next: 'a long enough password' }).expect(401);
  });

  it('is limited like sign-ins: after AUTH_RATE_PER_MINUTE wrong current passwords, 429 even for the right one', async () => {
    const a = await account();
    const post = (current: string) => request(t.base).post('/api/me/password').set('Authorization', `Bearer ${a.token}`).send({ current, next: 'a brand new password' });
    for (let i = 0; i < 3; i++) await post(`wrong ${i}`).expect(400);
    const refused = await post(PASSWORD);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect((await signIn(a.email, PASSWORD)).status).toBe(200);
  });
});
