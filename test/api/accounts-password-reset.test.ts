import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import request from 'supertest';
import { AppConfig } from '../../apps/api/src/config/app-config.js';
import { createUser, startTestApp, waitFor, type TestApp, type TestUser } from '../support/app.js';

/**
 * One-time password-reset links: issued by an administrator (the forum sends no mail by
 * default), or, with SMTP_URL set, mailed on request — tested against a local SMTP sink.
 */

const PASSWORD = 'reset test password 1';
let n = 0;

async function account(t: TestApp, address = '198.18.0.1') {
  n += 1;
  const email = `reset${n}.${Date.now()}@example.org`;
  const res = await request(t.base).post('/api/auth/register').set('X-Forwarded-For', address).send({ email, password: PASSWORD, displayName: `Reset ${n}`, stakeholderGroup: 'civil_society' }).expect(201);
  const cookie = ([] as string[]).concat(res.headers['set-cookie']).find((c) => c.startsWith('forum_refresh='))!.split(';')[0]!;
  return { email, id: res.body.user.id as string, token: res.body.accessToken as string, cookie };
}

const tokenOf = (url: string) => /#token=([A-Za-z0-9_-]{43})$/.exec(url)![1]!;
const signIn = (t: TestApp, email: string, password: string) => request(t.base).post('/api/auth/login').send({ email, password });

describe('reset links issued by an administrator', () => {
  let t: TestApp;
  let admin: TestUser;
  beforeAll(async () => {
    t = await startTestApp({ TRUST_PROXY: 'loopback' });
    admin = await createUser(t, { role: 'admin' });
  });
  afterAll(async () => {
    await t?.close();
  });
  const issue = (id: string, who: TestUser = admin) => request(t.base).post(`/api/admin/users/${id}/password-reset`).set('Authorization', `Bearer ${who.token}`).send();

  it('gives a one-time link to the web page, valid a day, of which only a hash is kept', async () => {
    const p = await account(t);
    const res = await issue(p.id).expect(201);
    expect(res.body).toEqual({ url: expect.stringMatching(new RegExp(`^${t.base}/reset-password#token=[A-Za-z0-9_-]{43}$`)), expiresAt: expect.any(String) });
    const hours = (Date.parse(res.body.expiresAt) - Date.now()) / 3_600_000;
    expect(hours).toBeGreaterThan(23.9);
    expect(hours).toBeLessThanOrEqual(24);
    expect(res.headers['cache-control']).toMatch(/no-store/);
    const { rows } = await t.db.query(`SELECT token_hash, issued_by FROM password_resets WHERE user_id = $1`, [p.id]);
    expect(rows).toEqual([{ token_hash: expect.stringMatching(/^[0-9a-f]{64}$/), issued_by: admin.id }]);
    expect(JSON.stringify(rows)).not.toContain(tokenOf(res.body.url));
  });

  it('sets the password once, and signs out every session of the account', async () => {
    const p = await account(t);
    const other = await signIn(t, p.email, PASSWORD).expect(200);
    const token = tokenOf((await issue(p.id).expect(201)).body.url);
    await request(t.base).post('/api/auth/password-reset').send({ token, password: 'the password after reset' }).expect(204);
    await request(t.base).get('/api/me').set('Authorization', `Bearer ${p.token}`).expect(401);
    await request(t.base).get('/api/me').set('Authorization', `Bearer ${other.body.accessToken}`).expect(401);
    await request(t.base).post('/api/auth/refresh').set('Cookie', p.cookie).expect(401);
    await signIn(t, p.email, PASSWORD).expect(401);
    await signIn(t, p.email, 'the password after reset').expect(200);
    // the second use: refused, clearly, and the password stays
    const again = await request(t.base).post('/api/auth/password-reset').send({ token, password: 'someone else wants in' }).expect(400);
    expect(again.body.message).toMatch(/^token: this reset link has already been used/);
    await signIn(t, p.email, 'someone else wants in').expect(401);
  });

  it('lets one of two simultaneous uses of a link through', async () => {
    const p = await account(t);
    const token = tokenOf((await issue(p.id).expect(201)).body.url);
    const results = await Promise.all(['first racer password', 'second racer password'].map((password) => request(t.base).post('/api/auth/password-reset').send({ token, password })));
    expect(results.map((r) => r.status).sort()).toEqual([204, 400]);
  });

  it('refuses an expired link, and an older link once a newer one is issued', async () => {
    const p = await account(t);
    const old = tokenOf((await issue(p.id).expect(201)).body.url);
    const fresh = tokenOf((await issue(p.id).expect(201)).body.url);
    expect((await request(t.base).post('/api/auth/password-reset').send({ token: old, password: 'never set by this' }).expect(400)).body.message).toMatch(/^token: this reset link is not valid/);
    await t.db.query(`UPDATE password_resets SET expires_at = now() - interval '1 second' WHERE user_id = $1`, [p.id]);
    expect((await request(t.base).post('/api/auth/password-reset').send({ token: fresh, password: 'never set by this' }).expect(400)).body.message).toMatch(/^token: this reset link has expired/);
    await signIn(t, p.email, PASSWORD).expect(200);
  });

  it('names bad input with 400: a malformed or unknown token, a short password, an unknown field', async () => {
    const post = (body: unknown) => request(t.base).post('/api/auth/password-reset').send(body as object);
    expect((await post({ token: 'short', password: 'long enough password' }).expect(400)).body.message).toMatch(/token/);
    expect((await post({ token: 'A'.repeat(43), password: 'long enough password' }).expect(400)).body.message).toMatch(/^token: this reset link is not valid/);
    expect((await post({ token: 'A'.repeat(43), password: 'short' }).expect(400)).body.message).toMatch(/password: must have at least 10/);
    expect((await post({ token: 'A'.repeat(43), password: 'long enough password', userId: admin.id }).expect(400)).body.message).toMatch(/userId/);
    expect((await post({}).expect(400)).body.message).toMatch(/token/);
  });

  it('is for administrators only; an unknown or malformed id is 404 or 400', async () => {
    const p = await account(t);
    const moderator = await createUser(t, { role: 'moderator' });
    await request(t.base).post(`/api/admin/users/${p.id}/password-reset`).expect(401);
    await issue(p.id, moderator).expect(403);
    await request(t.base).post(`/api/admin/users/${p.id}/password-reset`).set('Authorization', `Bearer ${p.token}`).expect(403);
    await issue('00000000-0000-4000-8000-000000000000').expect(404);
    await issue('not-a-uuid').expect(400);
  });

  it('has no e-mail route without SMTP_URL: 404 saying so, and the sign-in page is told', async () => {
    expect((await request(t.base).get('/api/auth/options').expect(200)).body).toEqual({ passwordResetByEmail: false });
    const res = await request(t.base).post('/api/auth/password-reset/request').send({ email: 'someone@example.org' }).expect(404);
    expect(res.body.message).toMatch(/not available.*ask an administrator/);
  });

  it('points the link at PUBLIC_URL when it is set', async () => {
    const other = await startTestApp({ PUBLIC_URL: 'https://forum.example.org/' });
    try {
      const a = await createUser(other, { role: 'admin' });
      const p = await createUser(other);
      const res = await request(other.base).post(`/api/admin/users/${p.id}/password-reset`).set('Authorization', `Bearer ${a.token}`).set('Host', 'evil.example').expect(201);
      expect(res.body.url).toMatch(/^https:\/\/forum\.example\.org\/reset-password#token=/);
    } finally {
      await other.close();
    }
  });
});

/** A local SMTP sink: every message it receives, its recipients and its decoded text. */
async function smtpSink() {
  const mails: { to: string[]; text: string }[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        mails.push({ to: session.envelope.rcptTo.map((r) => r.address), text: decodeMail(Buffer.concat(chunks).toString('utf8')) });
        callback();
      });
    },
  });
  server.listen(0, '127.0.0.1');
  await once(server.server, 'listening');
  const port = (server.server.address() as AddressInfo).port;
  return { mails, url: `smtp://127.0.0.1:${port}`, close: () => new Promise<void>((r) => server.close(() => r())) };
}

/** The body of a single-part text mail, decoded from quoted-printable or base64. */
function decodeMail(raw: string): string {
  const [head = '', ...rest] = raw.split(/\r?\n\r?\n/);
  const body = rest.join('\n\n');
  const encoding = /content-transfer-encoding:\s*(\S+)/i.exec(head)?.[1]?.toLowerCase();
  if (encoding === 'base64') return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  if (encoding === 'quoted-printable') {
    const bytes = body.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/gi, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
    return Buffer.from(bytes, 'latin1').toString('utf8');
  }
  return body;
}

describe('reset links by e-mail (SMTP_URL set)', () => {
  let t: TestApp;
  let sink: Awaited<ReturnType<typeof smtpSink>>;
  beforeAll(async () => {
    sink = await smtpSink();
    t = await startTestApp({ SMTP_URL: sink.url, PUBLIC_URL: 'https://forum.example.org', MAIL_FROM: 'Forum <forum@example.org>', AUTH_RATE_PER_MINUTE: '5', TRUST_PROXY: 'loopback' });
  });
  afterAll(async () => {
    await t?.close();
    await sink?.close();
  });
  const ask = (email: string, address: string) => request(t.base).post('/api/auth/password-reset/request').set('X-Forwarded-For', address).send({ email });

  it('tells the sign-in page that mail is available', async () => {
    expect((await request(t.base).get('/api/auth/options').expect(200)).body).toEqual({ passwordResetByEmail: true });
  });

  it('mails a one-time link to the account’s address, which sets the password once', async () => {
    const p = await account(t, '198.18.1.1');
    const before = sink.mails.length;
    await ask(p.email.toUpperCase(), '198.18.1.2').expect(202);
    await waitFor(() => sink.mails.length > before, 10_000, 'the reset mail');
    const mail = sink.mails.at(-1)!;
    expect(mail.to).toEqual([p.email]);
    const url = /https:\/\/forum\.example\.org\/reset-password#token=[A-Za-z0-9_-]{43}/.exec(mail.text)?.[0];
    expect(url, mail.text).toBeDefined();
    expect(mail.text).toContain('重置');
    expect(mail.text).toContain('Reset');
    const token = tokenOf(url!);
    await request(t.base).post('/api/auth/password-reset').send({ token, password: 'mailed link password' }).expect(204);
    await request(t.base).get('/api/me').set('Authorization', `Bearer ${p.token}`).expect(401);
    await signIn(t, p.email, 'mailed link password').expect(200);
    await request(t.base).post('/api/auth/password-reset').send({ token, password: 'second use password' }).expect(400);
    const { rows } = await t.db.query(`SELECT issued_by, expires_at <= now() + interval '1 hour' AS within_hour FROM password_resets WHERE user_id = $1`, [p.id]);
    expect(rows).toEqual([{ issued_by: null, within_hour: true }]);
  });

  it('answers 202 alike for an address without an account, and sends nothing', async () => {
    const before = sink.mails.length;
    const res = await ask('nobody-here@example.org', '198.18.2.1').expect(202);
    expect(res.text).toBe('');
    await new Promise((r) => setTimeout(r, 300));
    expect(sink.mails.length).toBe(before);
  });

  it('is limited per address (429), and sends at most three mails an hour to one account', async () => {
    const address = '198.18.3.1';
    for (let i = 0; i < 5; i++) await ask(`flood${i}@example.org`, address).expect(202);
    const refused = await ask('flood@example.org', address);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1);

    const p = await account(t, '198.18.3.2');
    const before = sink.mails.filter((m) => m.to.includes(p.email)).length;
    for (let i = 0; i < 5; i++) await ask(p.email, `198.18.4.${i + 1}`).expect(202);
    await waitFor(() => sink.mails.filter((m) => m.to.includes(p.email)).length >= before + 3, 10_000, 'three mails');
    await new Promise((r) => setTimeout(r, 500));
    expect(sink.mails.filter((m) => m.to.includes(p.email)).length).toBe(before + 3);
  });

  it('names a malformed address with 400', async () => {
    expect((await ask('not an address', '198.18.5.1').expect(400)).body.message).toMatch(/email/);
  });
});

describe('the mail settings', () => {
  const base = { JWT_SECRET: 'x'.repeat(32) };
  it('need PUBLIC_URL with SMTP_URL, accept only smtp(s) URLs, and read empty as unset, without echoing a value', () => {
    expect(() => new AppConfig({ ...base, SMTP_URL: 'smtp://user:hunter2@mail.example.org:587' })).toThrow(/PUBLIC_URL: is required with SMTP_URL/);
    try {
      new AppConfig({ ...base, SMTP_URL: 'http://user:hunter2@mail.example.org' });
      expect.unreachable();
    } catch (err) {
      expect(String(err)).toMatch(/SMTP_URL: must start with smtp/);
      expect(String(err)).not.toContain('hunter2');
    }
    expect(() => new AppConfig({ ...base, SMTP_URL: 'smtp://mail.example.org', PUBLIC_URL: 'ftp://x' })).toThrow(/PUBLIC_URL/);
    const c = new AppConfig({ ...base, SMTP_URL: '', PUBLIC_URL: '' });
    expect(c.env.SMTP_URL).toBeUndefined();
    expect(c.env.PUBLIC_URL).toBeUndefined();
    expect(new AppConfig({ ...base, SMTP_URL: 'smtps://mail.example.org:465', PUBLIC_URL: 'https://forum.example.org' }).env.SMTP_URL).toBe('smtps://mail.example.org:465');
  });
});
