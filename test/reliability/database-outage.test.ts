import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../../apps/api/src/database/embedded-postgres.js';
import { insertUsers, postmasterPid, sleep, spawnApi, stopApi, SLUG, type ApiProcess, type SeededUser } from './support.js';

/**
 * PostgreSQL goes away in the middle of a write load, twice: a clean stop (fast shutdown, as an
 * operator or a failover does) and a crash (immediate shutdown: no checkpoint, recovery from the
 * WAL on restart). The API must answer 503 quickly, say why on /api/health, serve again within
 * 5 s of the database's return, and every write it acknowledged must be in the database.
 */

interface Outcome {
  worker: number;
  n: number;
  body: string;
  status: number | 'hang' | 'network';
  ms: number;
  at: number;
  id?: number;
  error?: string;
}

const WORKERS = 16;
const secret = randomBytes(32).toString('hex');
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'forum-outage-'));
let pgServer: EmbeddedDatabase | null = null;
let api: ApiProcess | null = null;
let db: pg.Pool;

async function startPg(port: number): Promise<EmbeddedDatabase> {
  return startEmbeddedPostgres({ dataDir, port });
}

afterAll(async () => {
  await stopApi(api);
  if (process.env.RELIABILITY_DUMP && api) writeFileSync(process.env.RELIABILITY_DUMP, api.output());
  await db?.end().catch(() => undefined);
  await pgServer?.stop().catch(() => undefined);
  rmSync(dataDir, { recursive: true, force: true });
});

async function post(user: SeededUser, worker: number, n: number): Promise<Outcome> {
  const body = `outage write ${worker}-${n} ${randomBytes(4).toString('hex')}`;
  const started = Date.now();
  try {
    const res = await fetch(`${api!.base}/api/consultations/${SLUG}/items/${1 + (n % 13)}/comments`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${user.token}` },
      body: JSON.stringify({ body }),
      signal: AbortSignal.timeout(10_000),
    });
    const json = (await res.json().catch(() => null)) as { id?: number; statusCode?: number; message?: string } | null;
    return { worker, n, body, status: res.status, ms: Date.now() - started, at: started, id: res.status === 201 ? json?.id : undefined, error: res.status >= 300 ? json?.message : undefined };
  } catch (err) {
    const hang = (err as Error).name === 'TimeoutError';
    return { worker, n, body, status: hang ? 'hang' : 'network', ms: Date.now() - started, at: started, error: String(err) };
  }
}

describe('PostgreSQL stopped under a write load', () => {
  it('answers 503 quickly, says why, serves again within 5 s of its return and loses no acknowledged write', async () => {
    pgServer = await startPg(0);
    const pgPort = pgServer.port;
    api = await spawnApi({
      DATABASE_URL: pgServer.url,
      JWT_SECRET: secret,
      WRITE_RATE_PER_MINUTE: '1000000',
      AUTH_RATE_PER_MINUTE: '1000000',
      LOG_LEVEL: 'warn',
    });
    db = new pg.Pool({ connectionString: pgServer.url, max: 2 });
    db.on('error', () => undefined); // idle clients die with the server; the pool replaces them
    const users = await insertUsers(db, secret, WORKERS, { prefix: 'outage' });

    const outcomes: Outcome[] = [];
    let running = true;
    const workers = users.map(async (user, w) => {
      for (let n = 0; running; n++) {
        const o = await post(user, w, n);
        outcomes.push(o);
        if (o.status !== 201) await sleep(50); // a client backing off a little, as the Retry-After asks
      }
    });

    const faults: { kind: string; downAt: number; upAt: number; servingAt: number | null; health: { status: number; body: any; ms: number }[] }[] = [];
    const outage = async (kind: 'fast' | 'immediate') => {
      await sleep(1500);
      const before = outcomes.filter((o) => o.status === 201).length;
      expect(before, `writes succeed before the ${kind} stop`).toBeGreaterThan(0);
      const downAt = Date.now();
      if (kind === 'fast') {
        await pgServer!.stop();
      } else {
        // A crash: every server process quits at once, nothing is flushed but the WAL.
        const pid = postmasterPid(path.join(dataDir, 'pg'))!;
        process.kill(pid, 'SIGQUIT');
        for (let i = 0; i < 100; i++) {
          try {
            process.kill(pid, 0);
          } catch {
            break;
          }
          await sleep(50);
        }
      }
      pgServer = null;
      const health: { status: number; body: any; ms: number }[] = [];
      const downUntil = Date.now() + 3000;
      while (Date.now() < downUntil) {
        const t0 = Date.now();
        const res = await fetch(`${api!.base}/api/health`, { signal: AbortSignal.timeout(10_000) });
        health.push({ status: res.status, body: await res.json(), ms: Date.now() - t0 });
        await sleep(250);
      }
      pgServer = await startPg(pgPort);
      expect(pgServer.port).toBe(pgPort);
      const upAt = Date.now();
      let servingAt: number | null = null;
      const deadline = upAt + 10_000;
      while (Date.now() < deadline && servingAt === null) {
        const ok = outcomes.find((o) => o.status === 201 && o.at >= upAt);
        if (ok) servingAt = ok.at + ok.ms;
        else await sleep(20);
      }
      faults.push({ kind, downAt, upAt, servingAt, health });
    };

    try {
      await outage('fast');
      await outage('immediate');
      await sleep(1500);
    } finally {
      running = false;
      await Promise.all(workers);
    }

    const statuses = new Map<string, number>();
    for (const o of outcomes) statuses.set(String(o.status), (statuses.get(String(o.status)) ?? 0) + 1);
    const summary = Object.fromEntries(statuses);
    // Only two answers are legitimate: stored, or "unavailable, try again".
    const odd = outcomes.filter((o) => o.status !== 201 && o.status !== 503);
    expect(odd.slice(0, 5), `answers other than 201/503: ${JSON.stringify(summary)}`).toEqual([]);
    const refused = outcomes.filter((o) => o.status === 503);
    expect(refused.length, 'some writes met the outage').toBeGreaterThan(0);
    expect(refused.every((o) => o.error && !/at \w+ \(|\.ts:\d+|\.js:\d+/.test(o.error)), 'no stack trace in a 503').toBe(true);
    // Quickly: no request waits longer than the pool's connection timeout plus a margin.
    const slowest = Math.max(...outcomes.map((o) => o.ms));
    expect(slowest, 'slowest answer (ms)').toBeLessThan(4000);

    for (const f of faults) {
      expect(f.health.length).toBeGreaterThan(3);
      expect(f.health.every((h) => h.status === 503), `health while ${f.kind}-stopped: ${JSON.stringify(f.health.map((h) => h.status))}`).toBe(true);
      for (const h of f.health) {
        expect(h.body.status).toBe('unavailable');
        expect(h.body.database.status).toBe('down');
        expect(typeof h.body.database.reason).toBe('string');
        expect(h.body.database.reason.length).toBeGreaterThan(0);
        expect(h.ms).toBeLessThan(3000);
      }
      expect(f.servingAt, `${f.kind}: a write succeeded after the database came back`).not.toBeNull();
      expect(f.servingAt! - f.upAt, `${f.kind}: serving again (ms after the database's return)`).toBeLessThan(5000);
    }
    const health = await fetch(`${api.base}/api/health`);
    expect(health.status).toBe(200);

    // Nothing acknowledged is lost: every 201 is in the database with its body, once.
    const acked = outcomes.filter((o) => o.status === 201);
    expect(acked.every((o) => typeof o.id === 'number')).toBe(true);
    const { rows } = await db.query(`SELECT id, body FROM comments WHERE id = ANY($1::bigint[])`, [acked.map((o) => o.id)]);
    const stored = new Map(rows.map((r: { id: string; body: string }) => [Number(r.id), r.body]));
    const lost = acked.filter((o) => stored.get(o.id!) !== o.body);
    expect(lost, 'acknowledged writes missing from the database').toEqual([]);
    // ...and the outbox kept up: one comment.created per stored comment, seq gap-free.
    const seq = await db.query(
      `SELECT count(*)::int AS n, min(seq)::int AS lo, max(seq)::int AS hi FROM events e JOIN consultations c ON c.id = e.consultation_id WHERE c.slug = $1`,
      [SLUG],
    );
    expect(seq.rows[0].hi - seq.rows[0].lo + 1).toBe(seq.rows[0].n);
    // The server never logged an unhandled error or crashed.
    expect(api.child.exitCode).toBeNull();
    expect(api.output()).not.toMatch(/unhandled|uncaught/i);

    // The figures for the README.
    console.log(`FIGURE: outage: ${WORKERS} concurrent writers, PostgreSQL stopped twice (fast, immediate)`);
    console.log(`FIGURE: outage: ${outcomes.length} writes answered ${JSON.stringify(summary)} (asserted: only 201 or 503, some 503)`);
    console.log(`FIGURE: outage: slowest answer ${slowest} ms (asserted: under 4000 ms)`);
    console.log(`FIGURE: outage: /api/health answered 503 'unavailable' within 3 s during each stop (asserted)`);
    for (const f of faults) console.log(`FIGURE: outage: ${f.kind} stop: writes accepted again ${f.servingAt! - f.upAt} ms after PostgreSQL came back (asserted: under 5000 ms)`);
    console.log(`FIGURE: outage: ${acked.length} writes acknowledged, ${lost.length} lost (asserted: 0 lost)`);
    console.log(
      `[reliability] outage: ${outcomes.length} writes (${JSON.stringify(summary)}), slowest ${slowest} ms, ` +
        faults.map((f) => `${f.kind} stop: serving ${f.servingAt! - f.upAt} ms after restart`).join('; ') +
        `; ${acked.length} acknowledged, ${lost.length} lost`,
    );
  }, 120_000);
});
