import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../../apps/api/src/database/embedded-postgres.js';
import { clusterOf, groupAlive, postgresProcessesFor, postmasterPid, sleep, spawnForum, stopForum, until, waitHealthy, type Forum } from './support.js';

/**
 * The forum as `npm start` runs it, on its embedded PostgreSQL: a PostgreSQL killed under it is
 * started again (and the log says so); Ctrl-C in a terminal (SIGINT to the whole process group)
 * drains like SIGTERM and leaves no PostgreSQL behind; /api/health names nothing of the database
 * but its state; the command-line tools reach the same database with the same kept password.
 */

const SLUG = 'ai-governance-action-plan';
const BACKUP_JS = path.resolve('apps/api/dist/apps/api/src/cli/backup.js');
const dirs: string[] = [];
const forums: Forum[] = [];
const servers: EmbeddedDatabase[] = [];
afterAll(async () => {
  for (const f of forums) await stopForum(f, 'SIGKILL');
  for (const s of servers) await s.stop().catch(() => undefined);
  for (const d of dirs) {
    try {
      const cluster = clusterOf(d);
      if (cluster !== path.join(d, 'pg')) rmSync(cluster, { recursive: true, force: true });
    } catch {
      // no cluster
    }
    rmSync(d, { recursive: true, force: true });
  }
});

function tempDir(prefix: string): string {
  const d = mkdtempSync(path.join(os.tmpdir(), prefix));
  dirs.push(d);
  return d;
}

async function participant(base: string): Promise<string> {
  const res = await fetch(`${base}/api/auth/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: `ops-${randomBytes(4).toString('hex')}@example.org`, password: 'a-long-enough-password', displayName: 'Ops tester', stakeholderGroup: 'academia' }),
  });
  expect(res.status, await res.clone().text()).toBe(201);
  return ((await res.json()) as { accessToken: string }).accessToken;
}

async function comment(base: string, token: string, body: string): Promise<number> {
  const res = await fetch(`${base}/api/consultations/${SLUG}/items/1/comments`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ body }),
    signal: AbortSignal.timeout(10_000),
  });
  return res.status;
}

/** A POST whose body arrives in two halves: the server has the request in hand, waiting for the rest. */
function slowPost(base: string, token: string, body: string): { sendRest(): void; done: Promise<number> } {
  const payload = Buffer.from(JSON.stringify({ body }));
  const half = Math.floor(payload.length / 2);
  const req = http.request(new URL(`/api/consultations/${SLUG}/items/2/comments`, base), {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'content-length': payload.length, authorization: `Bearer ${token}`, connection: 'close' },
  });
  const done = new Promise<number>((resolve) => {
    req.on('response', (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode!));
    });
    req.on('error', () => resolve(-1));
  });
  req.write(payload.subarray(0, half));
  return { sendRest: () => req.end(payload.subarray(half)), done };
}

const env = (dataDir: string) => ({ DATA_DIR: dataDir, WRITE_RATE_PER_MINUTE: '100000', AUTH_RATE_PER_MINUTE: '100000' });

describe('npm start on its embedded PostgreSQL', () => {
  it('starts PostgreSQL again when it is killed under the running forum, says so, and takes writes again within seconds', async () => {
    const dataDir = tempDir('forum-ops-crash-');
    const forum = await spawnForum(env(dataDir));
    forums.push(forum);
    await waitHealthy(forum);
    const token = await participant(forum.base);
    expect(await comment(forum.base, token, 'before the crash')).toBe(201);

    // A command-line tool while the forum runs: it uses the forum's PostgreSQL with the kept password.
    const live = execFileSync(process.execPath, [BACKUP_JS, path.join(dataDir, 'while-running.backup')], { env: { ...process.env, DATA_DIR: dataDir }, encoding: 'utf8' });
    expect(live).toMatch(/^backed up \d+ rows of \d+ tables/m);

    const killed = postmasterPid(dataDir)!;
    expect(killed).toBeGreaterThan(0);
    process.kill(killed, 'SIGKILL');
    const killedAt = Date.now();

    await until('/api/health back to ok', async () => (await fetch(`${forum.base}/api/health`, { signal: AbortSignal.timeout(3000) })).status === 200, 15_000);
    await until('a write accepted again', async () => (await comment(forum.base, token, `after the crash ${Date.now()}`)) === 201, 15_000 - (Date.now() - killedAt));
    const restarted = postmasterPid(dataDir)!;
    expect(restarted).not.toBe(killed);
    expect(forum.output()).toContain('embedded PostgreSQL stopped unexpectedly; restarting it');
    expect(forum.output()).toContain('embedded PostgreSQL restarted');
    expect(forum.child.exitCode).toBeNull();

    expect(await stopForum(forum)).toBe(0);
    expect(groupAlive(restarted)).toBe(false);
    expect(postgresProcessesFor(clusterOf(dataDir))).toEqual([]);
  });

  it('drains on Ctrl-C (SIGINT to the whole process group) like SIGTERM: the write in flight is stored, PostgreSQL stops after it, none is left', async () => {
    const dataDir = tempDir('forum-ops-sigint-');
    // As a shell runs `npm start`: the forum leads a process group, and Ctrl-C signals that group.
    const forum = await spawnForum({ ...env(dataDir), LOG_LEVEL: 'debug' }, { detached: true });
    forums.push(forum);
    await waitHealthy(forum);
    const token = await participant(forum.base);
    const postmaster = postmasterPid(dataDir)!;
    expect(groupAlive(postmaster)).toBe(true);

    const inFlight = slowPost(forum.base, token, 'written while Ctrl-C was pressed');
    await sleep(300);
    process.kill(-forum.child.pid!, 'SIGINT');
    await sleep(500);
    inFlight.sendRest();
    expect(await inFlight.done).toBe(201); // PostgreSQL was still up: only the forum got the SIGINT
    const { code, signal } = await forum.exited;
    expect({ code, signal }).toEqual({ code: 0, signal: null });
    const out = forum.output();
    expect(out).toContain('"signal":"SIGINT"');
    expect(out).toContain('shutting down: draining requests and sockets');
    expect(out).toMatch(/"msg":"stopped"/);
    // PostgreSQL stopped after the drain, by the forum, cleanly: a fast shutdown, not a crash.
    expect(out.indexOf('shutting down')).toBeLessThan(out.lastIndexOf('database system is shut down'));
    expect(out).not.toMatch(/terminating connection due to administrator command[\s\S]*requests drained/);
    expect(groupAlive(postmaster)).toBe(false);
    expect(postgresProcessesFor(clusterOf(dataDir))).toEqual([]);
    expect(existsSync(path.join(dataDir, 'pg', 'postmaster.pid'))).toBe(false);

    // Stopped: a command-line tool starts the same cluster for itself with the kept password, and stops it.
    const file = path.join(dataDir, 'after.backup');
    const out2 = execFileSync(process.execPath, [BACKUP_JS, file], { env: { ...process.env, DATA_DIR: dataDir, EMBEDDED_PG_PORT: '0' }, encoding: 'utf8' });
    expect(out2).toMatch(/^backed up \d+ rows of \d+ tables/m);
    expect(statSync(file).size).toBeGreaterThan(0);
    expect(postgresProcessesFor(clusterOf(dataDir))).toEqual([]);
  });
});

describe('/api/health', () => {
  it('says "database unavailable" and nothing of hosts, ports, users or the driver', async () => {
    const pgDir = tempDir('forum-ops-health-pg-');
    const db = await startEmbeddedPostgres({ dataDir: pgDir, port: 0 });
    servers.push(db);
    const forum = await spawnForum({ ...env(tempDir('forum-ops-health-')), DATABASE_URL: db.url });
    forums.push(forum);
    await waitHealthy(forum);
    await db.stop();
    const res = await until(
      '503 from /api/health',
      async () => {
        const r = await fetch(`${forum.base}/api/health`, { signal: AbortSignal.timeout(5000) });
        return r.status === 503 ? r : null;
      },
      15_000,
    );
    const text = await res.text();
    expect(JSON.parse(text)).toEqual({ status: 'unavailable', database: { status: 'down', reason: 'database unavailable' } });
    for (const leak of ['127.0.0.1', 'localhost', String(db.port), 'postgres', 'ECONNREFUSED', 'connect', 'password']) expect(text).not.toContain(leak);
    expect(await stopForum(forum)).toBe(0);
  });
});
