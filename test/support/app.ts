import type { INestApplication } from '@nestjs/common';
import { randomBytes, randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { io, type Socket } from 'socket.io-client';
import { inject } from 'vitest';
import { createApp } from '../../apps/api/src/app.factory.js';
import { TokenService } from '../../apps/api/src/common/auth/token.service.js';
import { createLogger } from '../../apps/api/src/common/logging/logger.js';
import { AppConfig } from '../../apps/api/src/config/app-config.js';

export interface TestApp {
  app: INestApplication;
  /** http://127.0.0.1:port */
  base: string;
  /** A pool on the test's own database, for checking what the app stored. */
  db: pg.Pool;
  databaseUrl: string;
  close(): Promise<void>;
}

/** A fresh database on the run's PostgreSQL. */
export async function createTestDatabase(): Promise<string> {
  const adminUrl = inject('pgAdminUrl');
  const name = `t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const u = new URL(adminUrl);
  u.pathname = `/${name}`;
  return u.toString();
}

/** One secret per test process: passport keeps one 'jwt' strategy per process, as in production. */
const JWT_SECRET = randomBytes(32).toString('hex');

/** The real application on its own fresh database, listening on a free port. */
export async function startTestApp(env: Record<string, string> = {}): Promise<TestApp> {
  const databaseUrl = env.DATABASE_URL ?? (await createTestDatabase());
  const config = new AppConfig({
    NODE_ENV: 'test',
    JWT_SECRET,
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    DATA_DIR: '/nonexistent-test-data-dir',
    WRITE_RATE_PER_MINUTE: '100000',
    AUTH_RATE_PER_MINUTE: '100000',
    EXPORT_RATE_PER_MINUTE: '100000',
    ...env,
  });
  const app = await createApp(config, databaseUrl, createLogger(config.env.LOG_LEVEL));
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as AddressInfo;
  const db = new pg.Pool({ connectionString: databaseUrl, max: 4 });
  return {
    app,
    base: `http://127.0.0.1:${port}`,
    db,
    databaseUrl,
    async close() {
      await app.close();
      await db.end();
    },
  };
}

export interface TestUser {
  id: string;
  token: string;
  email: string;
}

let userCounter = 0;

/**
 * A participant written straight into the database with a valid access token, for tests whose
 * subject is not sign-up itself (the participants suite covers registration through HTTP).
 */
export async function createUser(
  t: TestApp,
  opts: { group?: string; role?: string; verified?: boolean; displayName?: string; organization?: string } = {},
): Promise<TestUser> {
  userCounter += 1;
  const email = `user${userCounter}-${randomBytes(4).toString('hex')}@example.org`;
  const { rows } = await t.db.query(
    `INSERT INTO users (email, password_hash, display_name, stakeholder_group, organization, country, verified, role)
     VALUES ($1, 'not-a-real-hash', $2, $3, $4, 'CH', $5, $6) RETURNING id`,
    [email, opts.displayName ?? `User ${userCounter}`, opts.group ?? 'academia', opts.organization ?? 'Test Org', opts.verified ?? true, opts.role ?? 'participant'],
  );
  const id: string = rows[0].id;
  // an access token names its session (a refresh-token family), which must be live
  const sessionId = randomUUID();
  await t.db.query(`INSERT INTO refresh_tokens (user_id, family_id, token_hash, expires_at) VALUES ($1, $2, $3, now() + interval '30 days')`, [
    id,
    sessionId,
    randomBytes(32).toString('hex'),
  ]);
  const token = t.app.get(TokenService).issueAccessToken({ id, role: (opts.role ?? 'participant') as 'participant', sessionId });
  return { id, token, email };
}

/** A socket.io client on the live namespace; resolves once connected. */
export function connectLive(t: TestApp, token?: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = io(`${t.base}/live`, { auth: token ? { token } : {}, transports: ['websocket'], reconnection: false, forceNew: true });
    s.once('connect', () => resolve(s));
    s.once('connect_error', (err) => {
      s.close();
      reject(err);
    });
  });
}

export function emitAck<T>(s: Socket, event: string, payload: unknown): Promise<T> {
  return s.timeout(5000).emitWithAck(event, payload) as Promise<T>;
}

/** Collects every event of the given names a socket receives, in order. */
export function record(s: Socket, names: string[]): { events: { name: string; payload: any }[] } {
  const out = { events: [] as { name: string; payload: any }[] };
  for (const name of names) s.on(name, (payload: unknown) => out.events.push({ name, payload }));
  return out;
}

export async function waitFor(cond: () => boolean | Promise<boolean>, timeoutMs = 5000, what = 'condition'): Promise<void> {
  const start = Date.now();
  while (!(await cond())) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Every `METHOD /path` on the app's Express router (Nest controllers and everything else), sorted; the web client's `/` left out. */
export function registeredRoutes(t: TestApp): string[] {
  const methods = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']);
  const express = t.app.getHttpAdapter().getInstance() as { router: { stack: { route?: { path: string | string[]; methods: Record<string, boolean> } }[] } };
  const out = new Set<string>();
  for (const layer of express.router.stack) {
    if (!layer.route) continue;
    for (const p of [layer.route.path].flat()) {
      if (p === '/') continue;
      for (const [m, on] of Object.entries(layer.route.methods)) if (on && methods.has(m.toUpperCase())) out.add(`${m.toUpperCase()} ${p}`);
    }
  }
  return [...out].sort();
}
