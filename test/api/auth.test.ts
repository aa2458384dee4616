import request from 'supertest';
import { JwtService } from '@nestjs/jwt';
import { connectLive, createUser, emitAck, record, startTestApp, waitFor, type TestApp } from '../support/app.js';
import { errorBody } from '../support/errors.js';

/** Accounts, sessions and the administrators' user management, through the real app. */

let t: TestApp;
let counter = 0;

beforeAll(async () => {
  // Loopback proxy trusted, so a request can say it came over HTTPS (X-Forwarded-Proto).
  t = await startTestApp({ TRUST_PROXY: 'loopback' });
});
afterAll(async () => {
  await t?.close();
});

const PASSWORD = 'correct horse battery';

function newRegistration(over: Record<string, unknown> = {}) {
  counter += 1;
  return {
    email: `person${counter}.${Date.now()}@example.org`,
    password: PASSWORD,
    displayName: `Person ${counter}`,
    stakeholderGroup: 'academia',
    organization: 'University of Somewhere',
    country: 'CH',
    ...over,
  };
}

/** The refresh cookie of a response: its value and its attributes, lower-cased. */
function refreshCookie(res: request.Response): { value: string; attrs: string[]; raw: string } {
  const raw = ([] as string[]).concat(res.headers['set-cookie'] ?? []).find((c) => c.startsWith('forum_refresh='));
  if (!raw) throw new Error(`no refresh cookie in ${JSON.stringify(res.headers['set-cookie'])}`);
  const [pair, ...attrs] = raw.split(';').map((s) => s.trim());
  return { value: decodeURIComponent(pair!.slice('forum_refresh='.length)), attrs: attrs.map((a) => a.toLowerCase()), raw };
}

const cookieHeader = (value: string) => `forum_refresh=${encodeURIComponent(value)}`;

async function register(over: Record<string, unknown> = {}) {
  const body = newRegistration(over);
  const res = await request(t.base).post('/api/auth/register').send(body).expect(201);
  return { body, res, token: res.body.accessToken as string, user: res.body.user, refresh: refreshCookie(res).value };
}

describe('registration', () => {
  it('creates a participant: 201 with an access token, the user object, and a refresh cookie', async () => {
    const body = newRegistration({ email: '  Mixed.Case@Example.ORG ', country: 'cn' });
    const res = await request(t.base).post('/api/auth/register').send(body).expect(201);
    expect(res.body.accessToken).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(res.body.user).toEqual({
      id: expect.any(String),
      email: 'mixed.case@example.org',
      displayName: body.displayName,
      stakeholderGroup: 'academia',
      organization: 'University of Somewhere',
      country: 'CN',
      verified: false,
      role: 'participant',
      suspendedUntil: null,
    });
    const me = await request(t.base).get('/api/me').set('Authorization', `Bearer ${res.body.accessToken}`).expect(200);
    expect(me.body).toEqual(res.body.user);
  });

  it('sets the refresh token as an httpOnly, SameSite=Strict cookie scoped to /api/auth, Secure only over HTTPS', async () => {
    const plain = await request(t.base).post('/api/auth/register').send(newRegistration()).expect(201);
    const c = refreshCookie(plain);
    expect(c.value).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(c.attrs).toEqual(expect.arrayContaining(['httponly', 'samesite=strict', 'path=/api/auth']));
    expect(c.attrs.some((a) => a.startsWith('max-age='))).toBe(true);
    expect(c.attrs).not.toContain('secure');
    const https = await request(t.base).post('/api/auth/register').set('X-Forwarded-Proto', 'https').send(newRegistration()).expect(201);
    expect(refreshCookie(https).attrs).toContain('secure');
  });

  it('stores an argon2id hash and never answers with the password or the hash', async () => {
    const { res, user } = await register();
    const { rows } = await t.db.query(`SELECT password_hash FROM users WHERE id = $1`, [user.id]);
    const hash: string = rows[0].password_hash;
    expect(hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    const me = await request(t.base).get('/api/me').set('Authorization', `Bearer ${res.body.accessToken}`).expect(200);
    for (const text of [JSON.stringify(res.body), JSON.stringify(me.body)]) {
      expect(text).not.toContain(PASSWORD);
      expect(text).not.toContain(hash);
      expect(text).not.toMatch(/password|hash/i);
    }
    // the refresh token is kept hashed, never as issued
    const stored = await t.db.query(`SELECT token_hash FROM refresh_tokens WHERE user_id = $1`, [user.id]);
    expect(stored.rows).toHaveLength(1);
    expect(stored.rows[0].token_hash).not.toBe(refreshCookie(res).value);
  });

  it.each([
    ['email', { email: 'not-an-address' }],
    ['email', { email: undefined }],
    ['password', { password: 'short' }],
    ['password', { password: 'x'.repeat(201) }],
    ['displayName', { displayName: 'n'.repeat(101) }],
    ['displayName', { displayName: '   ' }],
    ['displayName', { displayName: 'evil\u202Eeman' }],
    ['stakeholderGroup', { stakeholderGroup: 'media' }],
    ['stakeholderGroup', { stakeholderGroup: undefined }],
    ['country', { country: 'XX' }],
    ['country', { country: 'CHE' }],
    ['organization', { organization: 'o'.repeat(201) }],
    ['role', { role: 'admin' }],
    ['isAdmin', { isAdmin: true }],
  ])('refuses a bad %s with a 400 naming it', async (field, over) => {
    const res = await request(t.base).post('/api/auth/register').send(newRegistration(over)).expect(400);
    expect(res.body).toEqual(errorBody(400, expect.stringContaining(field), { [field]: expect.any(String) }, 'Bad Request'));
    expect(res.headers['set-cookie']).toBeUndefined();
  });

  it('creates no account when a role is offered', async () => {
    const body = newRegistration({ role: 'admin' });
    await request(t.base).post('/api/auth/register').send(body).expect(400);
    const { rows } = await t.db.query(`SELECT 1 FROM users WHERE lower(email) = lower($1)`, [body.email]);
    expect(rows).toHaveLength(0);
  });

  it('answers malformed JSON with a 400 in the contract shape', async () => {
    const res = await request(t.base).post('/api/auth/register').set('Content-Type', 'application/json').send('{"email": "a@b.org",').expect(400);
    expect(res.body).toEqual(errorBody(400, 'malformed JSON body', {}, 'Bad Request'));
  });

  it('refuses an address already taken, in any case, with 409', async () => {
    const { body } = await register();
    const res = await request(t.base)
      .post('/api/auth/register')
      .send(newRegistration({ email: body.email.toUpperCase() }))
      .expect(409);
    expect(res.body).toEqual(errorBody(409, expect.stringMatching(/already exists/), {}, 'Conflict'));
    const { rows } = await t.db.query(`SELECT count(*)::int AS n FROM users WHERE lower(email) = lower($1)`, [body.email]);
    expect(rows[0].n).toBe(1);
  });

  it('lets only one of two simultaneous sign-ups with one address through', async () => {
    const email = `race${Date.now()}@example.org`;
    const results = await Promise.all([
      request(t.base).post('/api/auth/register').send(newRegistration({ email })),
      request(t.base).post('/api/auth/register').send(newRegistration({ email: email.toUpperCase() })),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([201, 409]);
  });
});

describe('the OpenAPI document', () => {
  it('describes the auth and admin routes with their bodies', async () => {
    const res = await request(t.base).get('/api/docs-json').expect(200);
    const paths = res.body.paths;
    for (const p of ['/api/auth/register', '/api/auth/login', '/api/auth/refresh', '/api/auth/logout', '/api/me', '/api/admin/users', '/api/admin/users/{id}', '/api/admin/users/{id}/verification']) {
      expect(Object.keys(paths)).toContain(p);
    }
    const body = paths['/api/auth/register'].post.requestBody.content['application/json'].schema;
    expect(Object.keys(body.properties)).toEqual(expect.arrayContaining(['email', 'password', 'displayName', 'stakeholderGroup', 'organization', 'country']));
    expect(body.properties).not.toHaveProperty('role');
  });
});

describe('signing in', () => {
  it('answers 200 with a token, the user and a refresh cookie; the address in any case', async () => {
    const { body, user } = await register();
    const res = await request(t.base).post('/api/auth/login').send({ email: body.email.toUpperCase(), password: PASSWORD }).expect(200);
    expect(res.body).toEqual({ accessToken: expect.any(String), expiresIn: 600, user });
    expect(refreshCookie(res).attrs).toContain('httponly');
    await request(t.base).get('/api/me').set('Authorization', `Bearer ${res.body.accessToken}`).expect(200);
  });

  it('refuses a wrong password and an unknown address alike with 401', async () => {
    const { body } = await register();
    const wrong = await request(t.base).post('/api/auth/login').send({ email: body.email, password: 'wrong password!' }).expect(401);
    const unknown = await request(t.base).post('/api/auth/login').send({ email: `nobody${Date.now()}@example.org`, password: PASSWORD }).expect(401);
    expect(wrong.body).toEqual(errorBody(401, 'wrong e-mail address or password', {}, 'Unauthorized'));
    expect(unknown.body).toEqual(wrong.body);
    expect(wrong.headers['set-cookie']).toBeUndefined();
  });

  it('names a missing or malformed field with 400', async () => {
    const noPassword = await request(t.base).post('/api/auth/login').send({ email: 'a@example.org' }).expect(400);
    expect(noPassword.body.message).toContain('password');
    const badEmail = await request(t.base).post('/api/auth/login').send({ email: 'nope', password: PASSWORD }).expect(400);
    expect(badEmail.body.message).toContain('email');
    const extra = await request(t.base).post('/api/auth/login').send({ email: 'a@example.org', password: PASSWORD, role: 'admin' }).expect(400);
    expect(extra.body.message).toContain('role');
    await request(t.base).post('/api/auth/login').set('Content-Type', 'application/json').send('{').expect(400);
  });
});

describe('access tokens', () => {
  it('refuses forged, tampered, unsigned and expired tokens with 401', async () => {
    const { token, user } = await register();
    const [h, p] = token.split('.');
    const claims = JSON.parse(Buffer.from(p!, 'base64url').toString());
    const adminClaims = Buffer.from(JSON.stringify({ ...claims, role: 'admin' })).toString('base64url');
    const none = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
    const otherSecret = new JwtService({ secret: 'another secret that is long enough to sign' }).sign({ sub: user.id, role: 'admin' });
    const expired = t.app.get(JwtService).sign({ sub: user.id, role: 'participant', exp: Math.floor(Date.now() / 1000) - 5 });
    for (const bad of [`${h}.${adminClaims}.${token.split('.')[2]}`, `${none}.${p}.`, otherSecret, expired, 'garbage', `${token}x`]) {
      const res = await request(t.base).get('/api/me').set('Authorization', `Bearer ${bad}`).expect(401);
      expect(res.body).toEqual(errorBody(401, expect.any(String), {}, 'Unauthorized'));
    }
    await request(t.base).get('/api/me').expect(401);
    await request(t.base).get('/api/me').set('Authorization', `Bearer ${token}`).expect(200);
  });

  it('stops working when the account is gone', async () => {
    const { token, user } = await register();
    await t.db.query(`DELETE FROM users WHERE id = $1`, [user.id]);
    await request(t.base).get('/api/me').set('Authorization', `Bearer ${token}`).expect(401);
  });
});

describe('refresh tokens', () => {
  it('rotate on every use: a new access token and a new cookie', async () => {
    const { refresh, user } = await register();
    const res = await request(t.base).post('/api/auth/refresh').set('Cookie', cookieHeader(refresh)).expect(200);
    expect(res.body).toEqual({ accessToken: expect.any(String), expiresIn: 600, user });
    const next = refreshCookie(res);
    expect(next.value).not.toBe(refresh);
    expect(next.attrs).toEqual(expect.arrayContaining(['httponly', 'samesite=strict', 'path=/api/auth']));
    await request(t.base).get('/api/me').set('Authorization', `Bearer ${res.body.accessToken}`).expect(200);
    await request(t.base).post('/api/auth/refresh').set('Cookie', cookieHeader(next.value)).expect(200);
  });

  it('refuses a rotated token on reuse and revokes its whole family', async () => {
    const { refresh } = await register();
    const first = await request(t.base).post('/api/auth/refresh').set('Cookie', cookieHeader(refresh)).expect(200);
    const current = refreshCookie(first).value;
    // someone replays the old token: refused, and the session it belonged to ends
    const replay = await request(t.base).post('/api/auth/refresh').set('Cookie', cookieHeader(refresh)).expect(401);
    expect(replay.body).toEqual(errorBody(401, expect.stringMatching(/already used/), {}, 'Unauthorized'));
    await request(t.base).post('/api/auth/refresh').set('Cookie', cookieHeader(current)).expect(401);
  });

  it('does not touch the other sessions of the same participant', async () => {
    const { body, refresh } = await register();
    const other = await request(t.base).post('/api/auth/login').send({ email: body.email, password: PASSWORD }).expect(200);
    await request(t.base).post('/api/auth/refresh').set('Cookie', cookieHeader(refresh)).expect(200);
    await request(t.base).post('/api/auth/refresh').set('Cookie', cookieHeader(refresh)).expect(401);
    await request(t.base).post('/api/auth/refresh').set('Cookie', cookieHeader(refreshCookie(other).value)).expect(200);
  });

  it('rotate once however many requests race with one token', async () => {
    const { refresh, user } = await register();
    const results = await Promise.all(
      Array.from({ length: 4 }, () => request(t.base).post('/api/auth/refresh').set('Cookie', cookieHeader(refresh))),
    );
    expect(results.map((r) => r.status).sort()).toEqual([200, 401, 401, 401]);
    const { rows } = await t.db.query(`SELECT count(*)::int AS n FROM refresh_tokens WHERE user_id = $1`, [user.id]);
    expect(rows[0].n).toBe(2);
  });

  it('refuses a missing, unknown or expired token and clears the cookie', async () => {
    const none = await request(t.base).post('/api/auth/refresh').expect(401);
    expect(none.body.statusCode).toBe(401);
    await request(t.base).post('/api/auth/refresh').set('Cookie', cookieHeader('A'.repeat(43))).expect(401);
    const { refresh, user } = await register();
    await t.db.query(`UPDATE refresh_tokens SET expires_at = now() - interval '1 second' WHERE user_id = $1`, [user.id]);
    const expired = await request(t.base).post('/api/auth/refresh').set('Cookie', cookieHeader(refresh)).expect(401);
    const cleared = refreshCookie(expired);
    expect(cleared.value).toBe('');
    expect(cleared.attrs).toContain('path=/api/auth');
  });

  it('is ignored outside /api/auth, where the access token alone counts', async () => {
    const { refresh } = await register();
    await request(t.base).get('/api/me').set('Cookie', cookieHeader(refresh)).expect(401);
  });
});

describe('signing out', () => {
  it('answers 204 and revokes the refresh token', async () => {
    const { refresh } = await register();
    const res = await request(t.base).post('/api/auth/logout').set('Cookie', cookieHeader(refresh)).expect(204);
    expect(refreshCookie(res).value).toBe('');
    await request(t.base).post('/api/auth/refresh').set('Cookie', cookieHeader(refresh)).expect(401);
  });

  it('revokes the rotated successor too (the whole sign-in)', async () => {
    const { refresh } = await register();
    const next = refreshCookie(await request(t.base).post('/api/auth/refresh').set('Cookie', cookieHeader(refresh)).expect(200)).value;
    await request(t.base).post('/api/auth/logout').set('Cookie', cookieHeader(refresh)).expect(204);
    await request(t.base).post('/api/auth/refresh').set('Cookie', cookieHeader(next)).expect(401);
  });

  it('answers 204 without a cookie', async () => {
    await request(t.base).post('/api/auth/logout').expect(204);
  });
});

describe('the profile', () => {
  it('lets a participant change name, organisation and country', async () => {
    const { token } = await register();
    const res = await request(t.base)
      .patch('/api/me')
      .set('Authorization', `Bearer ${token}`)
      .send({ displayName: ' 李明 ', organization: '', country: 'de' })
      .expect(200);
    expect(res.body).toMatchObject({ displayName: '李明', organization: null, country: 'DE', role: 'participant' });
    const me = await request(t.base).get('/api/me').set('Authorization', `Bearer ${token}`).expect(200);
    expect(me.body).toEqual(res.body);
  });

  it('never lets a participant choose a role, e-mail or verification', async () => {
    const { token, user } = await register();
    for (const [field, value] of [['role', 'admin'], ['email', 'x@example.org'], ['verified', true]] as const) {
      const res = await request(t.base).patch('/api/me').set('Authorization', `Bearer ${token}`).send({ [field]: value }).expect(400);
      expect(res.body.message).toContain(field);
    }
    const me = await request(t.base).get('/api/me').set('Authorization', `Bearer ${token}`).expect(200);
    expect(me.body).toEqual(user);
  });

  it('drops the verified badge when the stakeholder group changes', async () => {
    const p = await createUser(t, { group: 'industry', verified: true });
    const same = await request(t.base).patch('/api/me').set('Authorization', `Bearer ${p.token}`).send({ stakeholderGroup: 'industry' }).expect(200);
    expect(same.body.verified).toBe(true);
    const moved = await request(t.base).patch('/api/me').set('Authorization', `Bearer ${p.token}`).send({ stakeholderGroup: 'government' }).expect(200);
    expect(moved.body).toMatchObject({ stakeholderGroup: 'government', verified: false });
  });

  it('drops the verified badge when the organisation changes (the organisation is what was verified)', async () => {
    const p = await createUser(t, { group: 'industry', verified: true, organization: 'Acme Robotics' });
    const same = await request(t.base).patch('/api/me').set('Authorization', `Bearer ${p.token}`).send({ organization: 'Acme Robotics', displayName: 'Still Verified' }).expect(200);
    expect(same.body).toMatchObject({ organization: 'Acme Robotics', verified: true });
    const moved = await request(t.base).patch('/api/me').set('Authorization', `Bearer ${p.token}`).send({ organization: 'Other Robotics' }).expect(200);
    expect(moved.body).toMatchObject({ organization: 'Other Robotics', verified: false });
    const me = await request(t.base).get('/api/me').set('Authorization', `Bearer ${p.token}`).expect(200);
    expect(me.body.verified).toBe(false);
    // clearing the organisation is a change too
    const q = await createUser(t, { verified: true, organization: 'Named Org' });
    const cleared = await request(t.base).patch('/api/me').set('Authorization', `Bearer ${q.token}`).send({ organization: '' }).expect(200);
    expect(cleared.body).toMatchObject({ organization: null, verified: false });
  });

  it('is read-only for a suspended participant', async () => {
    const p = await createUser(t);
    await t.db.query(`UPDATE users SET suspended_until = now() + interval '1 day' WHERE id = $1`, [p.id]);
    const me = await request(t.base).get('/api/me').set('Authorization', `Bearer ${p.token}`).expect(200);
    expect(me.body.suspendedUntil).toEqual(expect.any(String));
    await request(t.base).patch('/api/me').set('Authorization', `Bearer ${p.token}`).send({ displayName: 'New face' }).expect(403);
  });

  it('names a bad field with 400 and needs a token', async () => {
    const { token } = await register();
    const res = await request(t.base).patch('/api/me').set('Authorization', `Bearer ${token}`).send({ country: 'ZZ' }).expect(400);
    expect(res.body.message).toContain('country');
    await request(t.base).patch('/api/me').send({ displayName: 'x' }).expect(401);
  });
});

describe('administration', () => {
  it('is refused to guests (401) and to participants and moderators (403)', async () => {
    const p = await createUser(t);
    const m = await createUser(t, { role: 'moderator' });
    const target = await createUser(t);
    const calls = [
      (r: request.Agent | ReturnType<typeof request>) => r.get('/api/admin/users'),
      (r: ReturnType<typeof request>) => r.post(`/api/admin/users/${target.id}/verification`).send({ verified: true }),
      (r: ReturnType<typeof request>) => r.patch(`/api/admin/users/${target.id}`).send({ role: 'admin' }),
    ];
    for (const call of calls) {
      await call(request(t.base)).expect(401);
      for (const who of [p, m]) {
        const res = await call(request(t.base)).set('Authorization', `Bearer ${who.token}`).expect(403);
        expect(res.body.error).toBe('Forbidden');
      }
    }
    const { rows } = await t.db.query(`SELECT role, verified FROM users WHERE id = $1`, [target.id]);
    expect(rows[0]).toEqual({ role: 'participant', verified: true });
  });

  it('lists and searches users by name, e-mail and organisation, paginated', async () => {
    const admin = await createUser(t, { role: 'admin' });
    const tag = `zq${Date.now().toString(36)}`;
    const a = await register({ displayName: `Ada ${tag}` });
    const b = await register({ email: `${tag}@example.org` });
    const c = await register({ organization: `Institute ${tag.toUpperCase()}` });
    await register({ displayName: 'Unrelated' });
    const auth = { Authorization: `Bearer ${admin.token}` };

    const found = await request(t.base).get('/api/admin/users').query({ q: tag }).set(auth).expect(200);
    expect(found.body.total).toBe(3);
    expect(found.body.users.map((u: { id: string }) => u.id).sort()).toEqual([a.user.id, b.user.id, c.user.id].sort());
    expect(found.body.users[0]).toEqual(expect.objectContaining({ email: expect.any(String), verified: false, role: 'participant' }));
    expect(JSON.stringify(found.body)).not.toMatch(/password|hash/i);

    const page1 = await request(t.base).get('/api/admin/users').query({ q: tag, limit: 2 }).set(auth).expect(200);
    const page2 = await request(t.base).get('/api/admin/users').query({ q: tag, limit: 2, offset: 2 }).set(auth).expect(200);
    expect(page1.body).toMatchObject({ total: 3, limit: 2, offset: 0 });
    expect(page1.body.users).toHaveLength(2);
    expect(page2.body.users).toHaveLength(1);
    expect(new Set([...page1.body.users, ...page2.body.users].map((u: { id: string }) => u.id)).size).toBe(3);

    // wildcards are searched for literally
    const pct = await request(t.base).get('/api/admin/users').query({ q: '%' }).set(auth).expect(200);
    expect(pct.body.total).toBe(0);
    const unverified = await request(t.base).get('/api/admin/users').query({ q: tag, verified: 'false' }).set(auth).expect(200);
    expect(unverified.body.total).toBe(3);

    const tooMany = await request(t.base).get('/api/admin/users').query({ limit: 101 }).set(auth).expect(400);
    expect(tooMany.body.message).toContain('limit');
    await request(t.base).get('/api/admin/users').query({ offset: -1 }).set(auth).expect(400);
  });

  it('verifies a participant: the badge shows in /me and in the list', async () => {
    const admin = await createUser(t, { role: 'admin' });
    const { token, user } = await register();
    const res = await request(t.base)
      .post(`/api/admin/users/${user.id}/verification`)
      .set('Authorization', `Bearer ${admin.token}`)
      .send({ verified: true })
      .expect(200);
    expect(res.body).toEqual({ ...user, verified: true });
    const me = await request(t.base).get('/api/me').set('Authorization', `Bearer ${token}`).expect(200);
    expect(me.body.verified).toBe(true);
    await request(t.base).post(`/api/admin/users/${user.id}/verification`).set('Authorization', `Bearer ${admin.token}`).send({ verified: false }).expect(200);
    expect((await request(t.base).get('/api/me').set('Authorization', `Bearer ${token}`)).body.verified).toBe(false);
    const bad = await request(t.base).post(`/api/admin/users/${user.id}/verification`).set('Authorization', `Bearer ${admin.token}`).send({ verified: 'yes' }).expect(400);
    expect(bad.body.message).toContain('verified');
  });

  it('moves a verified participant into the default (verified-only) tally, live', async () => {
    const admin = await createUser(t, { role: 'admin' });
    const { token, user } = await register({ stakeholderGroup: 'government' });
    const slug = 'ai-governance-action-plan';
    const tally = async () =>
      (await request(t.base).get(`/api/consultations/${slug}/items/11/tally`).expect(200)).body.byGroup.government.support as number;
    await request(t.base).put(`/api/consultations/${slug}/items/11/position`).set('Authorization', `Bearer ${token}`).send({ stance: 'support' }).expect(200);
    const before = await tally();

    const viewer = await connectLive(t);
    try {
      await emitAck(viewer, 'subscribe', { consultation: slug, item: 11 });
      const seen = record(viewer, ['tally.updated']);
      await request(t.base).post(`/api/admin/users/${user.id}/verification`).set('Authorization', `Bearer ${admin.token}`).send({ verified: true }).expect(200);
      expect(await tally()).toBe(before + 1);
      await waitFor(() => seen.events.length === 1, 5000, 'tally.updated after verification');
      expect(seen.events[0]!.payload.tally).toMatchObject({ target: { item: 11, clause: null }, byGroup: { government: { support: before + 1 } } });

      // a participant who moves to another group loses the badge, and the count goes with it
      await request(t.base).patch('/api/me').set('Authorization', `Bearer ${token}`).send({ stakeholderGroup: 'industry' }).expect(200);
      expect(await tally()).toBe(before);
      await waitFor(() => seen.events.length === 2, 5000, 'tally.updated after the group change');
      // a new name alone moves no count and publishes nothing
      await request(t.base).patch('/api/me').set('Authorization', `Bearer ${token}`).send({ displayName: 'Still here' }).expect(200);
      await new Promise((r) => setTimeout(r, 200));
      expect(seen.events).toHaveLength(2);
    } finally {
      viewer.close();
    }
  });

  it('sets a role that takes effect at once, on the token already held', async () => {
    const admin = await createUser(t, { role: 'admin' });
    const { token, user } = await register();
    await request(t.base).get('/api/admin/users').set('Authorization', `Bearer ${token}`).expect(403);
    const res = await request(t.base).patch(`/api/admin/users/${user.id}`).set('Authorization', `Bearer ${admin.token}`).send({ role: 'moderator' }).expect(200);
    expect(res.body.role).toBe('moderator');
    expect((await request(t.base).get('/api/me').set('Authorization', `Bearer ${token}`)).body.role).toBe('moderator');
    await request(t.base).patch(`/api/admin/users/${user.id}`).set('Authorization', `Bearer ${admin.token}`).send({ role: 'admin' }).expect(200);
    await request(t.base).get('/api/admin/users').set('Authorization', `Bearer ${token}`).expect(200);
    const bad = await request(t.base).patch(`/api/admin/users/${user.id}`).set('Authorization', `Bearer ${admin.token}`).send({ role: 'owner' }).expect(400);
    expect(bad.body.message).toContain('role');
    await request(t.base).patch(`/api/admin/users/${user.id}`).set('Authorization', `Bearer ${admin.token}`).send({ role: 'admin', verified: true }).expect(400);
  });

  it('answers 400 for a malformed id and 404 for an unknown one, never 500', async () => {
    const admin = await createUser(t, { role: 'admin' });
    const auth = { Authorization: `Bearer ${admin.token}` };
    for (const id of ['not-a-uuid', '1', "'; DROP TABLE users; --", '00000000-0000-0000-0000-00000000000g']) {
      const res = await request(t.base).post(`/api/admin/users/${encodeURIComponent(id)}/verification`).set(auth).send({ verified: true }).expect(400);
      expect(res.body.message).toContain('id');
      await request(t.base).patch(`/api/admin/users/${encodeURIComponent(id)}`).set(auth).send({ role: 'moderator' }).expect(400);
    }
    const unknown = '7d8a6c1e-2f1b-4c3d-9e8f-0a1b2c3d4e5f';
    await request(t.base).post(`/api/admin/users/${unknown}/verification`).set(auth).send({ verified: true }).expect(404);
    await request(t.base).patch(`/api/admin/users/${unknown}`).set(auth).send({ role: 'moderator' }).expect(404);
  });
});

describe('the last administrator', () => {
  it('cannot be demoted (409); with a second administrator, can', async () => {
    // this describe owns the admin set: start from none
    await t.db.query(`UPDATE users SET role = 'participant' WHERE role = 'admin'`);
    const admin = await createUser(t, { role: 'admin' });
    const res = await request(t.base).patch(`/api/admin/users/${admin.id}`).set('Authorization', `Bearer ${admin.token}`).send({ role: 'participant' }).expect(409);
    expect(res.body).toEqual(errorBody(409, expect.stringMatching(/last administrator/), {}, 'Conflict'));
    await request(t.base).patch(`/api/admin/users/${admin.id}`).set('Authorization', `Bearer ${admin.token}`).send({ role: 'admin' }).expect(200);

    const second = await createUser(t, { role: 'admin' });
    await request(t.base).patch(`/api/admin/users/${admin.id}`).set('Authorization', `Bearer ${admin.token}`).send({ role: 'moderator' }).expect(200);
    await request(t.base).get('/api/admin/users').set('Authorization', `Bearer ${admin.token}`).expect(403);
    await request(t.base).patch(`/api/admin/users/${second.id}`).set('Authorization', `Bearer ${second.token}`).send({ role: 'participant' }).expect(409);
  });

  it('survives two administrators demoting each other at once', async () => {
    await t.db.query(`UPDATE users SET role = 'participant' WHERE role = 'admin'`);
    const a = await createUser(t, { role: 'admin' });
    const b = await createUser(t, { role: 'admin' });
    const results = await Promise.all([
      request(t.base).patch(`/api/admin/users/${b.id}`).set('Authorization', `Bearer ${a.token}`).send({ role: 'participant' }),
      request(t.base).patch(`/api/admin/users/${a.id}`).set('Authorization', `Bearer ${b.token}`).send({ role: 'participant' }),
    ]);
    const { rows } = await t.db.query(`SELECT count(*)::int AS n FROM users WHERE role = 'admin'`);
    expect(rows[0].n).toBe(1);
    expect(results.map((r) => r.status).sort()).toEqual(expect.arrayContaining([200]));
    for (const r of results) expect([200, 403, 409]).toContain(r.status);
  });
});
