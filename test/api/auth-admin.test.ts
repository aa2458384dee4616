import request from 'supertest';
import { AppConfig } from '../../apps/api/src/config/app-config.js';
import { createTestDatabase, startTestApp, type TestApp } from '../support/app.js';

/** The first administrator, from ADMIN_EMAIL / ADMIN_PASSWORD at start-up (created once). */

const EMAIL = 'Chair@Forum.Example';
const PASSWORD = 'first admin password';

const running: TestApp[] = [];
async function start(env: Record<string, string>): Promise<TestApp> {
  const t = await startTestApp(env);
  running.push(t);
  return t;
}
afterEach(async () => {
  while (running.length) await running.pop()!.close();
});

async function admins(t: TestApp) {
  const { rows } = await t.db.query(`SELECT id, email, role, password_hash FROM users WHERE lower(email) = lower($1)`, [EMAIL]);
  return rows as { id: string; email: string; role: string; password_hash: string }[];
}

describe('the first administrator', () => {
  it('is created once, even when two processes start together, and can sign in and administer', async () => {
    const url = await createTestDatabase();
    // migrate first (the race under test is the administrator's creation, not the schema's)
    await (await startTestApp({ DATABASE_URL: url })).close();
    const env = { DATABASE_URL: url, ADMIN_EMAIL: EMAIL, ADMIN_PASSWORD: PASSWORD };
    const [a] = await Promise.all([start(env), start(env)]);
    const rows = await admins(a!);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ email: 'chair@forum.example', role: 'admin' });
    expect(rows[0]!.password_hash).toMatch(/^\$argon2id\$/);

    const login = await request(a!.base).post('/api/auth/login').send({ email: EMAIL, password: PASSWORD }).expect(200);
    expect(login.body.user).toMatchObject({ role: 'admin', displayName: 'Administrator' });
    await request(a!.base).get('/api/admin/users').set('Authorization', `Bearer ${login.body.accessToken}`).expect(200);
  });

  it('keeps its password when a later start names another one, and gets its role back', async () => {
    const url = await createTestDatabase();
    const first = await start({ DATABASE_URL: url, ADMIN_EMAIL: EMAIL, ADMIN_PASSWORD: PASSWORD });
    const [before] = await admins(first);
    await first.db.query(`UPDATE users SET role = 'participant' WHERE id = $1`, [before!.id]);
    await first.close();
    running.length = 0;

    const second = await start({ DATABASE_URL: url, ADMIN_EMAIL: EMAIL.toLowerCase(), ADMIN_PASSWORD: 'a different password' });
    const after = await admins(second);
    expect(after).toHaveLength(1);
    expect(after[0]).toEqual({ ...before, role: 'admin' });
    await request(second.base).post('/api/auth/login').send({ email: EMAIL, password: PASSWORD }).expect(200);
    await request(second.base).post('/api/auth/login').send({ email: EMAIL, password: 'a different password' }).expect(401);
  });

  it('promotes an account that already exists under that address, leaving its password', async () => {
    const url = await createTestDatabase();
    const plain = await start({ DATABASE_URL: url });
    const reg = await request(plain.base)
      .post('/api/auth/register')
      .send({ email: 'chair@forum.example', password: 'the participant own password', displayName: 'Chair', stakeholderGroup: 'government' })
      .expect(201);
    expect(reg.body.user.role).toBe('participant');
    await plain.close();
    running.length = 0;

    const t = await start({ DATABASE_URL: url, ADMIN_EMAIL: EMAIL, ADMIN_PASSWORD: PASSWORD });
    const login = await request(t.base).post('/api/auth/login').send({ email: EMAIL, password: 'the participant own password' }).expect(200);
    expect(login.body.user).toMatchObject({ id: reg.body.user.id, role: 'admin', displayName: 'Chair', stakeholderGroup: 'government' });
    await request(t.base).post('/api/auth/login').send({ email: EMAIL, password: PASSWORD }).expect(401);
  });

  it('is not created without ADMIN_EMAIL', async () => {
    const t = await start({});
    const { rows } = await t.db.query(`SELECT count(*)::int AS n FROM users WHERE role = 'admin'`);
    expect(rows[0].n).toBe(0);
  });

  it('refuses to start with a short ADMIN_PASSWORD or a malformed ADMIN_EMAIL, without echoing them', () => {
    expect(() => new AppConfig({ ADMIN_EMAIL: EMAIL, ADMIN_PASSWORD: 'short1', JWT_SECRET: 'x'.repeat(32) })).toThrow(/ADMIN_PASSWORD: must have at least 10 characters/);
    try {
      new AppConfig({ ADMIN_EMAIL: EMAIL, ADMIN_PASSWORD: 'short1', JWT_SECRET: 'x'.repeat(32) });
    } catch (err) {
      expect(String(err)).not.toContain('short1');
    }
    expect(() => new AppConfig({ ADMIN_EMAIL: 'not an address', JWT_SECRET: 'x'.repeat(32) })).toThrow(/ADMIN_EMAIL/);
    expect(new AppConfig({ ADMIN_EMAIL: '', ADMIN_PASSWORD: '', JWT_SECRET: 'x'.repeat(32) }).env.ADMIN_EMAIL).toBeUndefined();
  });
});
