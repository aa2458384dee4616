import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { PasswordHasher } from '../../apps/api/src/modules/participants/password-hasher.js';
import { createUser, startTestApp, type TestApp, type TestUser, registeredRoutes } from '../support/app.js';
import { SLUG } from './support.js';
import { errorBody } from '../support/errors.js';

/**
 * The authorisation matrix: every route the running app registered × every kind of caller →
 * the status the contract promises, each request valid in every other way (so that the answer
 * is about who asks, not what). A route without an entry here fails the test: a new route needs
 * a deliberate line in this table.
 */

type Role = 'guest' | 'participant' | 'suspended' | 'moderator' | 'admin';
const ROLES: Role[] = ['guest', 'participant', 'suspended', 'moderator', 'admin'];

interface Call {
  path: string;
  body?: unknown;
  cookie?: string;
}

interface Entry {
  /** The status each caller must get, in the order of ROLES. */
  expect: [guest: number, participant: number, suspended: number, moderator: number, admin: number];
  /** A request that is valid but for who sends it; may create what it acts on. */
  call: (role: Role, me: TestUser | null) => Promise<Call>;
}

let t: TestApp;
const users = {} as Record<Exclude<Role, 'guest'>, TestUser>;
let writer: TestUser;
let flagger: TestUser;
const auth = (u: TestUser | null) => (u ? { Authorization: `Bearer ${u.token}` } : {});

async function asUnsuspended<T>(u: TestUser, fn: () => Promise<T>): Promise<T> {
  const { rows } = await t.db.query(`SELECT suspended_until FROM users WHERE id = $1`, [u.id]);
  await t.db.query(`UPDATE users SET suspended_until = NULL WHERE id = $1`, [u.id]);
  try {
    return await fn();
  } finally {
    await t.db.query(`UPDATE users SET suspended_until = $2 WHERE id = $1`, [u.id, rows[0].suspended_until]);
  }
}

/** A comment by `author` (the caller, when it has an account), written through the API. */
async function comment(author: TestUser | null = writer, item = 4): Promise<number> {
  const u = author ?? writer;
  const res = await asUnsuspended(u, () => request(t.base).post(`/api/consultations/${SLUG}/items/${item}/comments`).set(auth(u)).send({ body: `matrix ${randomBytes(3).toString('hex')}` }));
  if (res.status !== 201) throw new Error(`setup comment: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.id;
}

async function hiddenComment(): Promise<number> {
  const id = await comment();
  await request(t.base).post(`/api/moderation/comments/${id}/hide`).set(auth(users.admin)).send({ reason: 'setup' }).expect(200);
  return id;
}

async function flaggedComment(): Promise<number> {
  const id = await comment();
  await request(t.base).post(`/api/comments/${id}/flags`).set(auth(flagger)).send({ reason: 'spam' }).expect(201);
  return id;
}

async function registered(): Promise<{ cookie: string; email: string; password: string }> {
  const email = `m-${randomBytes(5).toString('hex')}@example.org`;
  const password = 'matrix-password-123';
  const res = await request(t.base).post('/api/auth/register').send({ email, password, displayName: 'Matrix', stakeholderGroup: 'industry' });
  if (res.status !== 201) throw new Error(`setup register: ${res.status}`);
  const cookie = ([] as string[]).concat(res.headers['set-cookie']).find((c) => c.startsWith('forum_refresh='))!.split(';')[0]!;
  return { cookie, email, password };
}

const PUBLIC: Entry['expect'] = [200, 200, 200, 200, 200];
const SIGNED_IN: Entry['expect'] = [401, 200, 200, 200, 200];
const MODERATORS: Entry['expect'] = [401, 403, 403, 200, 200];
const ADMINS: Entry['expect'] = [401, 403, 403, 403, 200];
const fixed = (path: string, body?: unknown) => async (): Promise<Call> => ({ path, body });

const MATRIX: Record<string, Entry> = {
  'GET /api/health': { expect: PUBLIC, call: fixed('/api/health') },
  'GET /api/docs': { expect: PUBLIC, call: fixed('/api/docs') },
  'GET /api/docs/': { expect: PUBLIC, call: fixed('/api/docs/') },
  'GET /api/docs-json': { expect: PUBLIC, call: fixed('/api/docs-json') },
  'GET /api/docs-yaml': { expect: PUBLIC, call: fixed('/api/docs-yaml') },

  // accounts
  'POST /api/auth/register': {
    expect: [201, 201, 201, 201, 201],
    call: async () => ({ path: '/api/auth/register', body: { email: `r-${randomBytes(5).toString('hex')}@example.org`, password: 'register-password-1', displayName: 'R', stakeholderGroup: 'academia' } }),
  },
  'POST /api/auth/login': {
    expect: [200, 200, 200, 200, 200],
    call: async () => {
      const r = await registered();
      return { path: '/api/auth/login', body: { email: r.email, password: r.password } };
    },
  },
  'POST /api/auth/refresh': { expect: [200, 200, 200, 200, 200], call: async () => ({ path: '/api/auth/refresh', cookie: (await registered()).cookie }) },
  'POST /api/auth/logout': { expect: [204, 204, 204, 204, 204], call: async () => ({ path: '/api/auth/logout', cookie: (await registered()).cookie }) },
  'GET /api/me': { expect: SIGNED_IN, call: fixed('/api/me') },
  'GET /api/auth/options': { expect: PUBLIC, call: fixed('/api/auth/options') },
  // A reset link is the credential: whoever holds one (signed in or not) sets the password once.
  'POST /api/auth/password-reset': {
    expect: [204, 204, 204, 204, 204],
    call: async () => {
      const link = await request(t.base).post(`/api/admin/users/${(await createUser(t)).id}/password-reset`).set(auth(users.admin)).expect(201);
      return { path: '/api/auth/password-reset', body: { token: /#token=(.+)$/.exec(link.body.url)![1], password: 'matrix-reset-password' } };
    },
  },
  // Without SMTP_URL (as here) the forum mails nothing: 404 for everyone.
  'POST /api/auth/password-reset/request': { expect: [404, 404, 404, 404, 404], call: fixed('/api/auth/password-reset/request', { email: 'someone@example.org' }) },
  // Anyone signed in, a suspended participant too (it is their account's safety, not a contribution).
  'POST /api/me/password': {
    expect: [401, 204, 204, 204, 204],
    call: async (_role, me) => {
      if (me) await t.db.query(`UPDATE users SET password_hash = $2 WHERE id = $1`, [me.id, await t.app.get(PasswordHasher).hash('matrix-current-password')]);
      return { path: '/api/me/password', body: { current: 'matrix-current-password', next: 'matrix-next-password' } };
    },
  },
  'POST /api/admin/users/:id/password-reset': { expect: [401, 403, 403, 403, 201], call: async () => ({ path: `/api/admin/users/${(await createUser(t)).id}/password-reset` }) },
  // A suspended participant keeps a read-only profile.
  'PATCH /api/me': { expect: [401, 200, 403, 200, 200], call: fixed('/api/me', { organization: 'Matrix Institute' }) },
  'GET /api/me/notifications': { expect: SIGNED_IN, call: fixed('/api/me/notifications') },
  'POST /api/me/notifications/read': { expect: SIGNED_IN, call: fixed('/api/me/notifications/read', {}) },
  'GET /api/admin/users': { expect: ADMINS, call: fixed('/api/admin/users?q=matrix') },
  'POST /api/admin/users/:id/verification': {
    expect: ADMINS,
    call: async () => ({ path: `/api/admin/users/${(await createUser(t, { verified: false })).id}/verification`, body: { verified: true } }),
  },
  'PATCH /api/admin/users/:id': {
    expect: ADMINS,
    call: async () => ({ path: `/api/admin/users/${(await createUser(t)).id}`, body: { role: 'moderator' } }),
  },

  // documents
  'GET /api/consultations': { expect: PUBLIC, call: fixed('/api/consultations') },
  'GET /api/consultations/:slug': { expect: PUBLIC, call: fixed(`/api/consultations/${SLUG}`) },
  'POST /api/admin/consultations': {
    expect: [401, 403, 403, 403, 201],
    call: async () => ({
      path: '/api/admin/consultations',
      body: { slug: `matrix-${randomBytes(4).toString('hex')}`, markdownEn: '# Matrix\n\n## 1. One\nThe first clause.\n', status: 'draft' },
    }),
  },
  'PATCH /api/admin/consultations/:slug': { expect: ADMINS, call: fixed(`/api/admin/consultations/${SLUG}`, { status: 'open' }) },

  // discussion
  'GET /api/consultations/:slug/items/:n/comments': { expect: PUBLIC, call: fixed(`/api/consultations/${SLUG}/items/4/comments`) },
  'POST /api/consultations/:slug/items/:n/comments': { expect: [401, 201, 403, 201, 201], call: fixed(`/api/consultations/${SLUG}/items/4/comments`, { body: 'a comment' }) },
  // Only the author edits or deletes; each caller acts on a comment of their own.
  'PATCH /api/comments/:id': { expect: [401, 200, 403, 200, 200], call: async (_r, me) => ({ path: `/api/comments/${await comment(me)}`, body: { body: 'edited' } }) },
  'DELETE /api/comments/:id': { expect: [401, 204, 403, 204, 204], call: async (_r, me) => ({ path: `/api/comments/${await comment(me)}` }) },
  'GET /api/comments/:id/revisions': { expect: PUBLIC, call: async () => ({ path: `/api/comments/${await comment()}/revisions` }) },
  'POST /api/comments/:id/flags': { expect: [401, 201, 403, 201, 201], call: async () => ({ path: `/api/comments/${await comment()}/flags`, body: { reason: 'off_topic' } }) },

  // positions and tallies
  'PUT /api/consultations/:slug/items/:n/position': { expect: [401, 200, 403, 200, 200], call: fixed(`/api/consultations/${SLUG}/items/5/position`, { stance: 'support' }) },
  'DELETE /api/consultations/:slug/items/:n/position': {
    expect: [401, 204, 403, 204, 204],
    call: async (_r, me) => {
      if (me) await asUnsuspended(me, () => request(t.base).put(`/api/consultations/${SLUG}/items/6/position`).set(auth(me)).send({ stance: 'oppose' }).expect(200));
      return { path: `/api/consultations/${SLUG}/items/6/position` };
    },
  },
  'GET /api/consultations/:slug/positions/mine': { expect: SIGNED_IN, call: fixed(`/api/consultations/${SLUG}/positions/mine`) },
  'GET /api/consultations/:slug/items/:n/tally': { expect: PUBLIC, call: fixed(`/api/consultations/${SLUG}/items/5/tally`) },
  'GET /api/consultations/:slug/tally': { expect: PUBLIC, call: fixed(`/api/consultations/${SLUG}/tally`) },
  'GET /api/admin/consultations/:slug/tally-check': { expect: ADMINS, call: fixed(`/api/admin/consultations/${SLUG}/tally-check`) },
  'GET /api/consultations/:slug/export': { expect: PUBLIC, call: fixed(`/api/consultations/${SLUG}/export?format=csv`) },

  // moderation
  'GET /api/moderation/queue': { expect: MODERATORS, call: fixed('/api/moderation/queue') },
  'GET /api/moderation/log': { expect: MODERATORS, call: fixed('/api/moderation/log') },
  'GET /api/moderation/comments/:id': { expect: MODERATORS, call: async () => ({ path: `/api/moderation/comments/${await flaggedComment()}` }) },
  'POST /api/moderation/comments/:id/hide': { expect: MODERATORS, call: async () => ({ path: `/api/moderation/comments/${await flaggedComment()}/hide`, body: { reason: 'spam' } }) },
  'POST /api/moderation/comments/:id/restore': { expect: MODERATORS, call: async () => ({ path: `/api/moderation/comments/${await hiddenComment()}/restore`, body: { reason: 'fair' } }) },
  'POST /api/moderation/comments/:id/dismiss': { expect: MODERATORS, call: async () => ({ path: `/api/moderation/comments/${await flaggedComment()}/dismiss`, body: { reason: 'no problem' } }) },
  'POST /api/moderation/consultations/:slug/items/:n/lock': {
    expect: MODERATORS,
    call: async () => {
      const { rows } = await t.db.query(`SELECT i.locked FROM items i JOIN consultations c ON c.id = i.consultation_id WHERE c.slug = $1 AND i.number = 10`, [SLUG]);
      return { path: `/api/moderation/consultations/${SLUG}/items/10/lock`, body: { locked: !rows[0].locked, reason: 'a change of state' } };
    },
  },
  'POST /api/moderation/users/:id/suspend': {
    expect: MODERATORS,
    call: async () => ({ path: `/api/moderation/users/${(await createUser(t)).id}/suspend`, body: { until: new Date(Date.now() + 86400_000).toISOString(), reason: 'matrix' } }),
  },
  'GET /api/consultations/:slug/moderation-log': { expect: PUBLIC, call: fixed(`/api/consultations/${SLUG}/moderation-log`) },
};


/**
 * Swagger UI's static files (their names change with its version): no authorisation dimension,
 * so every caller must get the same answer, and never a 5xx.
 */
const DOCS_ASSET = /^GET \/api\/docs\/.+/;
function entryFor(route: string): Entry | 'same-for-all' | undefined {
  return MATRIX[route] ?? (DOCS_ASSET.test(route) ? 'same-for-all' : undefined);
}


beforeAll(async () => {
  t = await startTestApp();
  users.participant = await createUser(t, { group: 'industry' });
  users.suspended = await createUser(t, { group: 'academia' });
  users.moderator = await createUser(t, { role: 'moderator', group: 'government' });
  users.admin = await createUser(t, { role: 'admin', group: 'civil_society' });
  writer = await createUser(t, { group: 'government' });
  flagger = await createUser(t, { group: 'academia' });
  await t.db.query(`UPDATE users SET suspended_until = now() + interval '30 days' WHERE id = $1`, [users.suspended.id]);
});
afterAll(async () => t?.close());

describe('the authorisation matrix', () => {
  it('has exactly one entry per registered route', () => {
    const routes = registeredRoutes(t);
    expect(routes.length).toBeGreaterThan(40);
    expect(routes.filter((r) => !entryFor(r)), 'routes without an entry in the matrix').toEqual([]);
    expect(Object.keys(MATRIX).filter((k) => !routes.includes(k)), 'entries for routes that no longer exist').toEqual([]);
  });

  it('answers every caller of every route as the contract says', async () => {
    const wrong: string[] = [];
    let cases = 0;
    for (const route of registeredRoutes(t)) {
      const found = entryFor(route);
      if (!found) continue;
      const [method, path] = route.split(' ') as [string, string];
      if (found === 'same-for-all') {
        const statuses = [];
        for (const role of ROLES) statuses.push((await request(t.base).get(path).set(auth(role === 'guest' ? null : users[role]))).status);
        cases += ROLES.length;
        if (new Set(statuses).size !== 1 || statuses[0]! >= 500) wrong.push(`${route}: ${statuses.join(', ')} (expected one answer for all)`);
        continue;
      }
      const entry = found;
      for (const [i, role] of ROLES.entries()) {
        const me = role === 'guest' ? null : users[role];
        const c = await entry.call(role, me);
        let r = request(t.base)[method.toLowerCase() as 'get'](c.path).set(auth(me));
        if (c.cookie) r = r.set('Cookie', c.cookie);
        const res = c.body !== undefined ? await r.send(c.body as object) : await r;
        cases += 1;
        if (res.status !== entry.expect[i]) wrong.push(`${route} as ${role}: ${res.status} (expected ${entry.expect[i]}) ${JSON.stringify(res.body).slice(0, 160)}`);
        if (res.status >= 400) {
          // Refusals in the contract's shape, naming nothing internal.
          expect(res.body, `${route} as ${role}`).toEqual(errorBody(res.status, expect.any(String), expect.any(Object)));
        }
      }
    }
    expect(wrong).toEqual([]);
    console.log(`[reliability] authorisation matrix: ${registeredRoutes(t).length} routes × ${ROLES.length} callers = ${cases} cases, all as expected`);
    console.log(`FIGURE: authorisation matrix: ${registeredRoutes(t).length} registered routes (asserted: more than 40, each with an entry, no entry without a route) × ${ROLES.length} callers`);
    console.log(`FIGURE: authorisation matrix: ${cases} of ${cases} cases gave the expected status (asserted: every case)`);
  });
});
