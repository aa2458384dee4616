import { JwtService } from '@nestjs/jwt';
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import pg from 'pg';
import { io, type Socket } from 'socket.io-client';
import { freePort } from '../../apps/api/src/database/embedded-postgres.js';
import { createTestDatabase, emitAck, record, waitFor } from '../support/app.js';
import { startServer, type ServerProcess } from '../support/process.js';

/**
 * Two API processes on one database and one Redis, as behind a load balancer: live events written
 * through one reach the viewers of the other (through the outbox and each process's relay), replay
 * by `since` answers the same on both, and presence counts the viewers of both (the Redis adapter).
 */
const SLUG = 'ai-governance-action-plan';
const ITEM = 13;
const JWT_SECRET = randomBytes(32).toString('hex');

let redis: ChildProcess;
let redisUrl: string;
let db: pg.Pool;
let a: ServerProcess;
let b: ServerProcess;
const sockets: Socket[] = [];

function redisServerBinary(): string {
  try {
    return execFileSync('which', ['redis-server'], { encoding: 'utf8' }).trim();
  } catch {
    throw new Error('redis-server is not installed (Debian: apt-get install redis-server; .ci/run installs it)');
  }
}

async function startRedis(): Promise<{ child: ChildProcess; url: string }> {
  const port = await freePort();
  const child = spawn(redisServerBinary(), ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--protected-mode', 'yes'], {
    stdio: 'ignore',
  });
  const started = Date.now();
  for (;;) {
    if (child.exitCode !== null) throw new Error(`redis-server exited (${child.exitCode})`);
    const pong = await new Promise<boolean>((resolve) => {
      const s = net.connect({ port, host: '127.0.0.1' }, () => s.write('PING\r\n'));
      s.once('data', (d) => {
        s.destroy();
        resolve(d.toString().startsWith('+PONG'));
      });
      s.once('error', () => resolve(false));
    });
    if (pong) return { child, url: `redis://127.0.0.1:${port}` };
    if (Date.now() - started > 10_000) throw new Error('redis-server did not answer within 10 s');
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function stop(server: ServerProcess | undefined): Promise<void> {
  if (!server || server.child.exitCode !== null) return;
  server.child.kill('SIGTERM');
  const timer = setTimeout(() => server.child.kill('SIGKILL'), 15_000);
  await server.exited;
  clearTimeout(timer);
}

function viewer(server: ServerProcess): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = io(`${server.base}/live`, { transports: ['websocket'], reconnection: false, forceNew: true });
    sockets.push(s);
    s.once('connect', () => resolve(s));
    s.once('connect_error', reject);
  });
}

async function participant(): Promise<string> {
  const { rows } = await db.query(
    `INSERT INTO users (email, password_hash, display_name, stakeholder_group, organization, country, verified, role)
     VALUES ($1, 'not-a-real-hash', 'Scale-out participant', 'academia', 'Test Org', 'CH', true, 'participant') RETURNING id`,
    [`scale-${randomBytes(5).toString('hex')}@example.org`],
  );
  const session = await db.query(
    `INSERT INTO refresh_tokens (user_id, family_id, token_hash, expires_at) VALUES ($1, gen_random_uuid(), $2, now() + interval '1 day') RETURNING family_id`,
    [rows[0].id, randomBytes(32).toString('hex')],
  );
  return new JwtService({ secret: JWT_SECRET }).sign({ sub: rows[0].id, role: 'participant', sid: session.rows[0].family_id }, { algorithm: 'HS256', expiresIn: 600 });
}

async function postComment(server: ServerProcess, token: string, body: string): Promise<{ id: number }> {
  const res = await fetch(`${server.base}/api/consultations/${SLUG}/items/${ITEM}/comments`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ body }),
  });
  expect(res.status).toBe(201);
  return (await res.json()) as { id: number };
}

beforeAll(async () => {
  ({ child: redis, url: redisUrl } = await startRedis());
  const databaseUrl = await createTestDatabase();
  const env = { DATABASE_URL: databaseUrl, REDIS_URL: redisUrl, JWT_SECRET, LOG_LEVEL: 'warn', WRITE_RATE_PER_MINUTE: '100000' };
  // One after the other, as a rolling start does: the first applies the migrations and seeds.
  a = await startServer(env);
  b = await startServer(env);
  db = new pg.Pool({ connectionString: databaseUrl, max: 2 });
}, 240_000);

afterAll(async () => {
  for (const s of sockets) s.close();
  await Promise.all([stop(a), stop(b)]);
  await db?.end();
  redis?.kill('SIGTERM');
}, 60_000);

describe('two API processes on one database and one Redis', () => {
  it('delivers to a viewer on process A a comment posted through process B, in seq order and gap-free', async () => {
    const token = await participant();
    const onA = await viewer(a);
    const got = record(onA, ['comment.created']);
    const ack = await emitAck<{ ok: boolean; seq: number }>(onA, 'subscribe', { consultation: SLUG, item: ITEM });
    expect(ack.ok).toBe(true);

    const first = await postComment(b, token, 'Posted through process B');
    const second = await postComment(a, token, 'Posted through process A');
    await waitFor(() => got.events.length === 2, 10_000, 'both comments on A');
    expect(got.events.map((e) => e.payload.comment.id)).toEqual([first.id, second.id]);
    expect(got.events.map((e) => e.payload.seq)).toEqual([ack.seq + 1, ack.seq + 2]);
    expect(got.events[0]!.payload.comment.body).toBe('Posted through process B');
  });

  it('replays by `since` the same missed events on either process', async () => {
    const token = await participant();
    const before = await viewer(a);
    const ack = await emitAck<{ ok: boolean; seq: number }>(before, 'subscribe', { consultation: SLUG, item: ITEM });
    before.close();

    const missed = [];
    for (let i = 0; i < 4; i++) missed.push((await postComment(i % 2 === 0 ? a : b, token, `Missed ${i}`)).id);

    for (const server of [a, b]) {
      const again = await viewer(server);
      const got = record(again, ['comment.created']);
      const ack2 = await emitAck<{ ok: boolean; seq: number }>(again, 'subscribe', { consultation: SLUG, item: ITEM, since: ack.seq });
      expect(ack2.ok).toBe(true);
      await waitFor(() => got.events.length >= 4, 10_000, `replay on ${server === a ? 'A' : 'B'}`);
      await new Promise((r) => setTimeout(r, 200));
      expect(got.events.map((e) => e.payload.comment.id)).toEqual(missed);
      expect(got.events.map((e) => e.payload.seq)).toEqual([1, 2, 3, 4].map((k) => ack.seq + k));
      again.close();
    }
  });

  it('counts the viewers of both processes in presence', async () => {
    const item = 7;
    const a1 = await viewer(a);
    const a2 = await viewer(a);
    const b1 = await viewer(b);
    const seenOnA = record(a1, ['presence']);
    const seenOnB = record(b1, ['presence']);
    for (const s of [a1, a2, b1]) await emitAck(s, 'subscribe', { consultation: SLUG, item });
    await waitFor(() => seenOnA.events.at(-1)?.payload.viewers === 3 && seenOnB.events.at(-1)?.payload.viewers === 3, 10_000, 'presence of 3 on both');
    expect(seenOnB.events.at(-1)!.payload).toEqual({ item, viewers: 3 });
    // Each viewer hears the count from its own process only: once, not once per process.
    await new Promise((r) => setTimeout(r, 1500));
    expect(seenOnA.events.filter((e) => e.payload.viewers === 3)).toHaveLength(1);
    expect(seenOnB.events.filter((e) => e.payload.viewers === 3)).toHaveLength(1);

    b1.close();
    await waitFor(() => seenOnA.events.at(-1)?.payload.viewers === 2, 10_000, 'presence of 2 after a viewer of B left');
    a2.close();
    await waitFor(() => seenOnA.events.at(-1)?.payload.viewers === 1, 10_000, 'presence of 1');
  });
});
