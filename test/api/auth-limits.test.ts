import request from 'supertest';
import { createUser, startTestApp, type TestApp } from '../support/app.js';
import { errorBody } from '../support/errors.js';

/**
 * Abuse limits (api-contract.md, "Limits") with low limits: 3 per minute. The proxy on loopback
 * is trusted, so each test speaks from its own client address through X-Forwarded-For.
 */

const LIMIT = 3;
let t: TestApp;
let n = 0;

beforeAll(async () => {
  t = await startTestApp({ AUTH_RATE_PER_MINUTE: String(LIMIT), WRITE_RATE_PER_MINUTE: String(LIMIT), TRUST_PROXY: 'loopback' });
});
afterAll(async () => {
  await t?.close();
});

const PASSWORD = 'a long enough password';
let addressCounter = 0;
const newAddress = () => `198.51.100.${++addressCounter}`;

function registration() {
  n += 1;
  return { email: `limit${n}.${Date.now()}@example.org`, password: PASSWORD, displayName: `L ${n}`, stakeholderGroup: 'industry' };
}

/** An account registered from an address of its own, so it spends no other test's allowance. */
async function account(): Promise<{ email: string; id: string }> {
  const body = registration();
  const res = await request(t.base).post('/api/auth/register').set('X-Forwarded-For', newAddress()).send(body).expect(201);
  return { email: body.email, id: res.body.user.id };
}

function expectThrottled(res: request.Response) {
  expect(res.status).toBe(429);
  expect(res.body).toEqual(errorBody(429, expect.stringMatching(/too many/), {}, 'Too Many Requests'));
  const retryAfter = Number(res.headers['retry-after']);
  expect(Number.isInteger(retryAfter)).toBe(true);
  expect(retryAfter).toBeGreaterThanOrEqual(1);
  expect(retryAfter).toBeLessThanOrEqual(60);
}

describe('registration per client address', () => {
  it('allows AUTH_RATE_PER_MINUTE attempts, then 429 with Retry-After; other addresses are unaffected', async () => {
    const ip = newAddress();
    for (let i = 0; i < LIMIT; i++) {
      await request(t.base).post('/api/auth/register').set('X-Forwarded-For', ip).send(registration()).expect(201);
    }
    const refused = await request(t.base).post('/api/auth/register').set('X-Forwarded-For', ip).send(registration());
    expectThrottled(refused);
    await request(t.base).post('/api/auth/register').set('X-Forwarded-For', newAddress()).send(registration()).expect(201);
  });

  it('counts invalid attempts too', async () => {
    const ip = newAddress();
    for (let i = 0; i < LIMIT; i++) {
      await request(t.base).post('/api/auth/register').set('X-Forwarded-For', ip).send({ email: 'bad' }).expect(400);
    }
    expectThrottled(await request(t.base).post('/api/auth/register').set('X-Forwarded-For', ip).send(registration()));
  });

  it('opens again when the minute is over', async () => {
    const ip = newAddress();
    for (let i = 0; i < LIMIT; i++) await request(t.base).post('/api/auth/register').set('X-Forwarded-For', ip).send({}).expect(400);
    expectThrottled(await request(t.base).post('/api/auth/register').set('X-Forwarded-For', ip).send(registration()));
    // move every window a minute into the past rather than wait for it
    await t.db.query(`UPDATE rate_limits SET window_start = window_start - interval '61 seconds'`);
    await request(t.base).post('/api/auth/register').set('X-Forwarded-For', ip).send(registration()).expect(201);
  });
});

describe('sign-in per client address', () => {
  it('allows AUTH_RATE_PER_MINUTE attempts, then 429 even for a right password', async () => {
    const { email } = await account();
    const ip = newAddress();
    for (let i = 0; i < LIMIT; i++) {
      await request(t.base).post('/api/auth/login').set('X-Forwarded-For', ip).send({ email: `x${i}@example.org`, password: 'wrong password' }).expect(401);
    }
    expectThrottled(await request(t.base).post('/api/auth/login').set('X-Forwarded-For', ip).send({ email, password: PASSWORD }));
    await request(t.base).post('/api/auth/login').set('X-Forwarded-For', newAddress()).send({ email, password: PASSWORD }).expect(200);
  });

  it('keys IPv6 clients by their /64', async () => {
    for (let i = 1; i <= LIMIT; i++) {
      await request(t.base).post('/api/auth/login').set('X-Forwarded-For', `2001:db8:aa:bb::${i}`).send({ email: 'v6@example.org', password: 'nope' }).expect(401);
    }
    expectThrottled(await request(t.base).post('/api/auth/login').set('X-Forwarded-For', '2001:db8:aa:bb:ffff::9').send({ email: 'v6@example.org', password: 'nope' }));
  });
});

describe('failed sign-ins per account', () => {
  it('after AUTH_RATE_PER_MINUTE failures from anywhere, the account answers 429 even to its password', async () => {
    const { email } = await account();
    for (let i = 0; i < LIMIT; i++) {
      const res = await request(t.base).post('/api/auth/login').set('X-Forwarded-For', newAddress()).send({ email, password: `guess number ${i}` });
      expect(res.status).toBe(401);
    }
    const locked = await request(t.base).post('/api/auth/login').set('X-Forwarded-For', newAddress()).send({ email: email.toUpperCase(), password: PASSWORD });
    expectThrottled(locked);
    expect(locked.body.message).toMatch(/account/);
    expect(locked.headers['set-cookie']).toBeUndefined();
    // another account from the same kind of address signs in as usual
    const other = await account();
    await request(t.base).post('/api/auth/login').set('X-Forwarded-For', newAddress()).send({ email: other.email, password: PASSWORD }).expect(200);
  });

  it('holds against parallel guesses: no more than the limit are checked', async () => {
    const { email } = await account();
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) => request(t.base).post('/api/auth/login').set('X-Forwarded-For', newAddress()).send({ email, password: `parallel guess ${i}` })),
    );
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 401)).toHaveLength(LIMIT);
    expect(statuses.filter((s) => s === 429)).toHaveLength(8 - LIMIT);
  });

  it('does not count successful sign-ins', async () => {
    const { email } = await account();
    for (let i = 0; i < LIMIT + 2; i++) {
      await request(t.base).post('/api/auth/login').set('X-Forwarded-For', newAddress()).send({ email, password: PASSWORD }).expect(200);
    }
  });
});

describe('writes per participant', () => {
  it('allows WRITE_RATE_PER_MINUTE writes, then 429 with Retry-After; other participants are unaffected', async () => {
    const p = await createUser(t);
    for (let i = 0; i < LIMIT; i++) {
      await request(t.base).patch('/api/me').set('Authorization', `Bearer ${p.token}`).send({ displayName: `Name ${i}` }).expect(200);
    }
    const refused = await request(t.base).patch('/api/me').set('Authorization', `Bearer ${p.token}`).send({ displayName: 'One too many' });
    expectThrottled(refused);
    const me = await request(t.base).get('/api/me').set('Authorization', `Bearer ${p.token}`).expect(200);
    expect(me.body.displayName).toBe(`Name ${LIMIT - 1}`);
    const q = await createUser(t);
    await request(t.base).patch('/api/me').set('Authorization', `Bearer ${q.token}`).send({ displayName: 'Fine' }).expect(200);
  });

  it('follows the participant, not the address', async () => {
    const p = await createUser(t);
    for (let i = 0; i < LIMIT; i++) {
      await request(t.base).patch('/api/me').set('X-Forwarded-For', newAddress()).set('Authorization', `Bearer ${p.token}`).send({ country: 'FR' }).expect(200);
    }
    expectThrottled(await request(t.base).patch('/api/me').set('X-Forwarded-For', newAddress()).set('Authorization', `Bearer ${p.token}`).send({ country: 'FR' }));
  });

  it('leaves reads alone', async () => {
    const p = await createUser(t);
    for (let i = 0; i < LIMIT * 3; i++) await request(t.base).get('/api/me').set('Authorization', `Bearer ${p.token}`).expect(200);
  });
});
