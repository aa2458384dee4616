import type { INestApplication } from '@nestjs/common';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { pino } from 'pino';
import request from 'supertest';
import { createApp } from '../../apps/api/src/app.factory.js';
import { createLogger } from '../../apps/api/src/common/logging/logger.js';
import { AppConfig } from '../../apps/api/src/config/app-config.js';
import { createTestDatabase } from '../support/app.js';

/**
 * No password, hash or token in any log line: the app runs at the most verbose level with its
 * own redaction rules, writing into memory, while accounts go through every auth route.
 */

const lines: string[] = [];
let app: INestApplication;
let base: string;
let db: pg.Pool;

beforeAll(async () => {
  const databaseUrl = await createTestDatabase();
  const config = new AppConfig({
    NODE_ENV: 'test',
    JWT_SECRET: 'a test secret that is long enough for HS256',
    LOG_LEVEL: 'trace',
    DATA_DIR: '/nonexistent-test-data-dir',
    ADMIN_EMAIL: 'logged-admin@example.org',
    ADMIN_PASSWORD: 'admin password never logged',
  });
  // the app's own logger, with its redaction rules, writing into memory instead of stdout
  const logger = createLogger('trace');
  (logger as unknown as Record<symbol, unknown>)[pino.symbols.streamSym] = {
    write(chunk: string) {
      lines.push(...chunk.split('\n').filter(Boolean));
    },
  };
  app = await createApp(config, databaseUrl, logger);
  await app.listen(0, '127.0.0.1');
  base = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
  db = new pg.Pool({ connectionString: databaseUrl, max: 2 });
});
afterAll(async () => {
  await app?.close();
  await db?.end();
});

it('writes no password, hash or token into the log', async () => {
  const password = 'participant secret 12345';
  const reg = await request(base)
    .post('/api/auth/register')
    .send({ email: 'logged@example.org', password, displayName: 'Logged', stakeholderGroup: 'academia' })
    .expect(201);
  const cookie = String(reg.headers['set-cookie']).split(';')[0]!;
  await request(base).post('/api/auth/login').send({ email: 'logged@example.org', password: 'wrong but secret 999' }).expect(401);
  const login = await request(base).post('/api/auth/login').send({ email: 'logged@example.org', password }).expect(200);
  await request(base).post('/api/auth/register').send({ email: 'logged@example.org', password, displayName: 'Again', stakeholderGroup: 'academia' }).expect(409);
  await request(base).post('/api/auth/register').send({ email: 'x@example.org', password: 'tiny', displayName: 'X', stakeholderGroup: 'academia' }).expect(400);
  const refreshed = await request(base).post('/api/auth/refresh').set('Cookie', cookie).expect(200);
  await request(base).post('/api/auth/refresh').set('Cookie', cookie).expect(401); // reuse: logged as a warning
  await request(base).get('/api/me').set('Authorization', `Bearer ${login.body.accessToken}`).expect(200);
  await request(base).post('/api/auth/logout').set('Cookie', String(login.headers['set-cookie']).split(';')[0]!).expect(204);

  // passwords after sign-up: a change, a reset link issued by the administrator and used twice
  const again = await request(base).post('/api/auth/login').send({ email: 'logged@example.org', password }).expect(200);
  const device = ([] as string[]).concat(again.headers['set-cookie']).find((c) => c.startsWith('forum_device='))!.split(';')[0]!;
  await request(base).post('/api/me/password').set('Authorization', `Bearer ${again.body.accessToken}`).send({ current: 'wrong current secret 77', next: 'changed secret 4567' }).expect(400);
  await request(base).post('/api/me/password').set('Authorization', `Bearer ${again.body.accessToken}`).send({ current: password, next: 'changed secret 4567' }).expect(204);
  const admin = await request(base).post('/api/auth/login').send({ email: 'logged-admin@example.org', password: 'admin password never logged' }).expect(200);
  const link = await request(base).post(`/api/admin/users/${again.body.user.id}/password-reset`).set('Authorization', `Bearer ${admin.body.accessToken}`).expect(201);
  const resetToken = /#token=(.+)$/.exec(link.body.url)![1]!;
  await request(base).post('/api/auth/password-reset').send({ token: resetToken, password: 'reset secret 891011' }).expect(204);
  await request(base).post('/api/auth/password-reset').send({ token: resetToken, password: 'reset secret 891011' }).expect(400);

  const { rows } = await db.query(`SELECT password_hash FROM users`);
  const secrets = [
    password,
    'wrong but secret 999',
    'tiny',
    'admin password never logged',
    ...rows.map((r) => r.password_hash as string),
    reg.body.accessToken,
    login.body.accessToken,
    refreshed.body.accessToken,
    cookie.split('=')[1]!,
    again.body.accessToken,
    admin.body.accessToken,
    device.slice('forum_device='.length),
    decodeURIComponent(device.slice('forum_device='.length)),
    'wrong current secret 77',
    'changed secret 4567',
    'reset secret 891011',
    resetToken,
    link.body.url,
  ];
  const log = lines.join('\n');
  expect(lines.length).toBeGreaterThan(5);
  expect(log).toContain('/api/auth/login'); // the requests were logged at all
  expect(log).toMatch(/refresh token reused/);
  expect(log).toMatch(/changed their password/);
  expect(log).toMatch(/issued a password-reset link for user/);
  expect(log).toMatch(/set a new password with a one-time link/);
  for (const s of secrets) expect(log).not.toContain(s);
  expect(log).not.toMatch(/\$argon2/);
});
