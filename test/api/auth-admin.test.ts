import type { INestApplication } from '@nestjs/common';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import request from 'supertest';
import { createApp } from '../../apps/api/src/app.factory.js';
import { createLogger } from '../../apps/api/src/common/logging/logger.js';
import { AppConfig } from '../../apps/api/src/config/app-config.js';
import { createTestDatabase, startTestApp, type TestApp } from '../support/app.js';

/**
 * The first administrator, from ADMIN_EMAIL / ADMIN_PASSWORD at start-up: created when no account
 * has the address, and never made out of an existing account (someone may have registered the
 * address first), which is left as it is with a warning in the log.
 */

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

/** The app on an existing database with ADMIN_EMAIL set, its log lines (JSON) captured in memory. */
async function startLogged(databaseUrl: string, adminPassword: string): Promise<{ base: string; lines: { level: number; msg: string; context?: string }[]; app: INestApplication }> {
  const lines: { level: number; msg: string; context?: string }[] = [];
  const config = new AppConfig({
    NODE_ENV: 'test',
    JWT_SECRET: 'a test secret that is long enough for HS256',
    LOG_LEVEL: 'info',
    DATA_DIR: '/nonexistent-test-data-dir',
    ADMIN_EMAIL: EMAIL,
    ADMIN_PASSWORD: adminPassword,
  });
  const logger = createLogger('info');
  (logger as unknown as Record<symbol, unknown>)[pino.symbols.streamSym] = {
    write(chunk: string) {
      for (const l of chunk.split('\n').filter(Boolean)) lines.push(JSON.parse(l));
    },
  };
  const app = await createApp(config, databaseUrl, logger);
  await app.listen(0, '127.0.0.1');
  return { base: `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`, lines, app };
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

  it('keeps its password when a later start names another one; once demoted, a restart does not promote it again', async () => {
    const url = await createTestDatabase();
    const first = await start({ DATABASE_URL: url, ADMIN_EMAIL: EMAIL, ADMIN_PASSWORD: PASSWORD });
    const [before] = await admins(first);
    await first.close();
    running.length = 0;

    const second = await start({ DATABASE_URL: url, ADMIN_EMAIL: EMAIL.toLowerCase(), ADMIN_PASSWORD: 'a different password' });
    expect(await admins(second)).toEqual([before]);
    await request(second.base).post('/api/auth/login').send({ email: EMAIL, password: PASSWORD }).expect(200);
    await request(second.base).post('/api/auth/login').send({ email: EMAIL, password: 'a different password' }).expect(401);

    // demoted by another administrator: the next start leaves it demoted, and says so
    await second.db.query(`UPDATE users SET role = 'participant' WHERE id = $1`, [before!.id]);
    await second.close();
    running.length = 0;
    const third = await startLogged(url, PASSWORD);
    try {
      const login = await request(third.base).post('/api/auth/login').send({ email: EMAIL, password: PASSWORD }).expect(200);
      expect(login.body.user.role).toBe('participant');
      expect(third.lines).toContainEqual(expect.objectContaining({ level: 40, context: 'FirstAdmin', msg: expect.stringMatching(/not promoted/) }));
    } finally {
      await third.app.close();
    }
  });

  it('never promotes an account that already exists under that address: leaves it as it is and warns', async () => {
    const url = await createTestDatabase();
    const plain = await start({ DATABASE_URL: url });
    const reg = await request(plain.base)
      .post('/api/auth/register')
      .send({ email: 'chair@forum.example', password: 'the participant own password', displayName: 'Chair', stakeholderGroup: 'government' })
      .expect(201);
    expect(reg.body.user.role).toBe('participant');
    const { rows: beforeRows } = await plain.db.query(`SELECT * FROM users WHERE id = $1`, [reg.body.user.id]);
    const { rows: countBefore } = await plain.db.query(`SELECT count(*)::int AS n FROM users`);

    const t = await startLogged(url, PASSWORD);
    try {
      const login = await request(t.base).post('/api/auth/login').send({ email: EMAIL, password: 'the participant own password' }).expect(200);
      expect(login.body.user).toMatchObject({ id: reg.body.user.id, role: 'participant', displayName: 'Chair', stakeholderGroup: 'government' });
      await request(t.base).post('/api/auth/login').send({ email: EMAIL, password: PASSWORD }).expect(401);
      await request(t.base).get('/api/admin/users').set('Authorization', `Bearer ${login.body.accessToken}`).expect(403);
      // the row is exactly as it was, and no second account was made
      const { rows: afterRows } = await plain.db.query(`SELECT * FROM users WHERE id = $1`, [reg.body.user.id]);
      expect(afterRows).toEqual(beforeRows);
      const { rows: countAfter } = await plain.db.query(`SELECT count(*)::int AS n FROM users`);
      expect(countAfter).toEqual(countBefore);
      const warning = t.lines.find((l) => l.level === 40 && l.context === 'FirstAdmin');
      expect(warning?.msg).toMatch(new RegExp(`existing account \\(${reg.body.user.id}, role participant\\).*not promoted`));
      expect(warning?.msg).not.toContain(PASSWORD);
    } finally {
      await t.app.close();
    }
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
