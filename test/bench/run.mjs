// `npm run bench`: the production build of the forum on a fresh embedded PostgreSQL, its own data,
// every measure of issue 7 beside its floor, one table on stdout and the figures as JSON in
// test/bench/results/latest.json. See test/bench/README.md.
//
// Options (environment or flags):
//   --quick                 a short run to check the suite itself (V=100, 5 s loads, 100,000 positions)
//   BENCH_VIEWERS=100,1000  viewer counts for live delivery
//   BENCH_COMMENTS=200      comments posted per live run (50 ms apart: BENCH_GAP_MS)
//   BENCH_WRITE_SECONDS=20  BENCH_READ_SECONDS=10
//   BENCH_POSITIONS=1000000 the large tally
//   BENCH_ONLY=live,writes,thread,tally,web   a subset of the measures (add ",scaleout" or pass
//                          --scale-out for live delivery through two API processes linked by Redis)
//   BENCH_KEEP=1            keep the data directory (its path is printed)
//   BENCH_MAIN_JS=...       another build of main.js
//   BENCH_API_ENV='{"DB_POOL_SIZE":"40"}'  extra environment for the API process
import { execFileSync, fork, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import * as data from './lib/data.mjs';
import { cpuPer, cpuSnapshot } from './lib/cpu.mjs';
import { bareInserts } from './lib/floor-pg.mjs';
import { load } from './lib/http-load.mjs';
import { signAccessToken } from './lib/jwt.mjs';
import { measureLive } from './lib/live.mjs';
import { printTable } from './lib/report.mjs';
import { embeddedPgUrl, freePort, startApi } from './lib/server.mjs';
import { sleep } from './lib/stats.mjs';
import { firstLoadJs } from './lib/web-size.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const quick = process.argv.includes('--quick') || process.env.BENCH_QUICK === '1';
const num = (name, def, quickDef = def) => Number(process.env[name] ?? (quick ? quickDef : def));
const cfg = {
  quick,
  viewers: (process.env.BENCH_VIEWERS ?? (quick ? '100' : '100,1000')).split(',').map(Number),
  comments: num('BENCH_COMMENTS', 200, 100),
  gapMs: num('BENCH_GAP_MS', 50),
  writeSeconds: num('BENCH_WRITE_SECONDS', 20, 5),
  readSeconds: num('BENCH_READ_SECONDS', 10, 5),
  threadComments: num('BENCH_THREAD_COMMENTS', 10_000),
  smallPositions: 1000,
  largePositions: num('BENCH_POSITIONS', 1_000_000, 100_000),
  writeConcurrency: [10, 50],
  floorVariants: process.env.BENCH_FLOOR_VARIANTS !== '0',
  variantSeconds: num('BENCH_VARIANT_SECONDS', 10, 5),
  readConcurrency: 50,
  only: new Set([...(process.env.BENCH_ONLY ?? 'live,writes,thread,tally,web').split(','), ...(process.argv.includes('--scale-out') ? ['scaleout'] : [])]),
};
const SLUG = 'ai-governance-action-plan';
const ITEM = { live: 1, writes: 2, thread: 3, tally: 4 };

const log = (...a) => console.error(`[bench ${new Date().toISOString().slice(11, 19)}]`, ...a);

async function machine(db) {
  const { rows } = await db.query(`SELECT current_setting('server_version') AS v, current_setting('shared_buffers') AS sb,
    current_setting('synchronous_commit') AS sc, current_setting('max_connections') AS mc`);
  return {
    cpus: os.availableParallelism(),
    cpuModel: os.cpus()[0]?.model ?? 'unknown',
    memGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    postgres: rows[0].v,
    postgresSettings: { shared_buffers: rows[0].sb, synchronous_commit: rows[0].sc, max_connections: rows[0].mc },
    os: `${os.type()} ${os.release()}`,
    loadAtStart: os.loadavg().map((l) => Math.round(l * 100) / 100),
  };
}

function forkFloor(script, args) {
  const child = fork(path.join(here, script), args, { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return new Promise((resolve, reject) => {
    child.once('message', (m) => resolve({ child, port: m.port }));
    child.once('exit', (code) => reject(new Error(`${script} exited (${code})`)));
  });
}

async function main() {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'forum-bench-'));
  const jwtSecret = randomBytes(32).toString('hex');
  const children = [];
  let api = null;
  let db = null;
  const cleanup = async () => {
    for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
    await db?.end().catch(() => undefined);
    await api?.stop().catch(() => undefined);
    if (process.env.BENCH_KEEP === '1') log(`data kept in ${dataDir}`);
    else rmSync(dataDir, { recursive: true, force: true });
  };
  for (const sig of ['SIGINT', 'SIGTERM']) {
    process.once(sig, () => {
      log(`${sig}: stopping`);
      void cleanup().finally(() => process.exit(130));
    });
  }

  const results = { startedAt: new Date().toISOString(), config: { ...cfg, only: [...cfg.only] }, measures: {} };
  try {
    log(`starting the API (production build) on an embedded PostgreSQL in ${dataDir}`);
    const extraEnv = process.env.BENCH_API_ENV ? JSON.parse(process.env.BENCH_API_ENV) : {};
    api = await startApi(
      {
        DATA_DIR: dataDir,
        EMBEDDED_PG_PORT: '0',
        JWT_SECRET: jwtSecret,
        ACCESS_TOKEN_TTL_SECONDS: '21600',
        // The per-participant and per-address limits, raised by configuration: every write still counts against them.
        WRITE_RATE_PER_MINUTE: '100000000',
        AUTH_RATE_PER_MINUTE: '100000000',
        ...extraEnv,
      },
      { logFile: path.join(dataDir, 'api.log') },
    );
    const pgUrl = await embeddedPgUrl(dataDir);
    const pgPid = Number(readFileSync(path.join(dataDir, 'pg', 'postmaster.pid'), 'utf8').split('\n')[0]);
    /** Runs a measure and adds the CPU it cost the server process and PostgreSQL, per operation. */
    const withCpu = async (serverPid, run) => {
      const before = cpuSnapshot(serverPid, pgPid);
      const r = await run(() => cpuSnapshot(serverPid, pgPid));
      if (r) {
        r.cpu = cpuPer(before, r.cpuEnd ?? cpuSnapshot(serverPid, pgPid), r.requests ?? r.ok);
        delete r.cpuEnd;
      }
      return r;
    };
    db = new pg.Pool({ connectionString: pgUrl, max: 4 });
    results.machine = await machine(db);
    results.apiEnv = extraEnv;
    log(`machine: ${results.machine.cpus} × ${results.machine.cpuModel}, ${results.machine.memGiB} GiB, Node ${results.machine.node}, PostgreSQL ${results.machine.postgres}, load ${results.machine.loadAtStart.join(' ')}`);

    const c = await data.consultation(db, SLUG);
    const fc = await data.floorConsultation(db);
    log('preparing participants and the thread');
    const ids = await data.insertParticipants(db, 'p', 1, 400);
    const sids = await data.insertSessions(db, ids);
    const tokens = ids.map((sub, i) => signAccessToken(jwtSecret, { sub, sid: sids[i] }));
    const liveTokens = tokens.slice(0, 200);
    const writeTokens = tokens.slice(200, 300);
    await data.insertThread(db, c, ITEM.thread, ids, cfg.threadComments);
    await data.analyze(db);

    const apiUrl = (p) => `${api.base}/api${p}`;
    const commentsUrl = (item) => apiUrl(`/consultations/${SLUG}/items/${item}/comments`);

    // A check that the routes exist before measuring them, so a missing one reads as such.
    const probe = await fetch(commentsUrl(ITEM.writes), {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${tokens[399]}` },
      body: JSON.stringify({ body: 'probe' }),
    });
    const canComment = probe.status === 201;
    if (!canComment) log(`POST comments answers ${probe.status}: ${await probe.text()} — comment measures skipped`);

    // 1. Live delivery, app and floor, for each V.
    if (cfg.only.has('live')) {
      results.measures.live = [];
      const floor = await forkFloor('floor-io.mjs', ['0']);
      children.push(floor.child);
      const floorBase = `http://127.0.0.1:${floor.port}`;
      for (const V of cfg.viewers) {
        log(`live delivery floor: bare socket.io, ${V} viewers, ${cfg.comments} posts ${cfg.gapMs} ms apart`);
        const f = await measureLive({
          base: floorBase, viewers: V, slug: SLUG, item: ITEM.live, comments: cfg.comments, gapMs: cfg.gapMs, serverPid: floor.child.pid, pgPid,
          post: async (i, body) => {
            const r = await fetch(`${floorBase}/post`, {
              method: 'POST',
              headers: { 'content-type': 'application/json' },
              body: JSON.stringify({ slug: SLUG, item: ITEM.live, comment: floorComment(i, body, ids[i % 200]) }),
            });
            await r.arrayBuffer();
            return { ok: r.status === 201, status: r.status };
          },
        });
        log(`  p50 ${f.latency.p50} p99 ${f.latency.p99} max ${f.latency.max} ms, complete ${(f.completeFraction * 100).toFixed(1)}%`);
        let app = null;
        if (canComment) {
          log(`live delivery: the forum, ${V} viewers`);
          app = await measureLive({
            base: api.base, viewers: V, slug: SLUG, item: ITEM.live, comments: cfg.comments, gapMs: cfg.gapMs, serverPid: api.child.pid, pgPid,
            post: async (i, body) => {
              const r = await fetch(commentsUrl(ITEM.live), {
                method: 'POST',
                headers: { 'content-type': 'application/json', authorization: `Bearer ${liveTokens[i % liveTokens.length]}` },
                body: JSON.stringify({ body }),
              });
              await r.arrayBuffer();
              return { ok: r.status === 201, status: r.status };
            },
          });
          log(`  p50 ${app.latency.p50} p99 ${app.latency.p99} max ${app.latency.max} ms, complete ${(app.completeFraction * 100).toFixed(1)}%`);
        }
        results.measures.live.push({ viewers: V, app, floor: f });
      }
      floor.child.kill();
    }

    // Optional: the same live delivery with the viewers split over two API processes linked by
    // Redis (as behind a load balancer), every comment posted through the first of them.
    if (cfg.only.has('scaleout') && canComment) {
      results.measures.scaleOut = await scaleOut({ pgUrl, jwtSecret, dataDir, children, liveTokens, ids, viewers: Math.max(...cfg.viewers) });
    }

    // 2. Comment writes and the bare INSERT floor at the same concurrency.
    if (cfg.only.has('writes')) {
      results.measures.writes = [];
      for (const conc of cfg.writeConcurrency) {
        log(`write floor: bare pg, the forum's group commit, concurrency ${conc}, ${cfg.writeSeconds} s`);
        const f = await withCpu(0, (snapshot) =>
          bareInserts({
            url: pgUrl, connections: conc, seconds: cfg.writeSeconds, consultationId: fc.id, itemId: fc.items.get(1), itemNumber: 1, authorIds: ids.slice(300, 400), snapshot,
          }),
        );
        log(`  ${f.rate.toFixed(0)}/s p50 ${fmt(f.latency.p50)} p99 ${fmt(f.latency.p99)} ms, ${fmt(f.meanBatch)} writes per transaction`);
        await sleep(1000);
        let app = null;
        if (canComment) {
          log(`comment writes: concurrency ${conc}, ${cfg.writeSeconds} s, one participant per connection`);
          app = await withCpu(api.child.pid, () =>
            load({
              url: commentsUrl(ITEM.writes), method: 'POST', connections: conc, seconds: cfg.writeSeconds, tokens: writeTokens.slice(0, conc),
              body: JSON.stringify({ body: 'A comment written under load: the clause should say who reviews the system and when.' }),
            }),
          );
          log(`  ${app.rate.toFixed(0)}/s p50 ${app.latency.p50} p99 ${app.latency.p99} ms, errors ${app.errors}`);
        }
        results.measures.writes.push({ connections: conc, app, floor: f });
        await sleep(1000);
      }
      // One comment per transaction instead of the group commit, and where that shape's limit comes
      // from: without the WAL flush, without the consultation's counter row, and without both hot
      // rows (the counter and the item's comment count).
      if (cfg.floorVariants) {
        results.measures.writeFloorVariants = [];
        for (const variant of ['per-comment', 'async-commit', 'no-counter', 'no-hot-rows']) {
          log(`write floor variant '${variant}': concurrency 50, ${cfg.variantSeconds} s`);
          const toggle = async (on) => {
            if (variant === 'no-hot-rows') await db.query(`ALTER TABLE comments ${on ? 'ENABLE' : 'DISABLE'} TRIGGER comments_count`);
          };
          try {
            await toggle(false);
            const v = await withCpu(0, (snapshot) =>
              bareInserts({ url: pgUrl, connections: 50, seconds: cfg.variantSeconds, consultationId: fc.id, itemId: fc.items.get(1), itemNumber: 1, authorIds: ids.slice(300, 400), variant, snapshot }),
            );
            log(`  ${v.rate.toFixed(0)}/s p50 ${fmt(v.latency.p50)} p99 ${fmt(v.latency.p99)} ms`);
            results.measures.writeFloorVariants.push(v);
          } catch (err) {
            log(`  skipped: ${err.message}`);
          } finally {
            await toggle(true).catch(() => undefined);
          }
          await sleep(1000);
        }
      }
    }

    // 3. Thread read and 4. tally reads, each beside the bare http + pg floor.
    const needReads = cfg.only.has('thread') || cfg.only.has('tally');
    let floorHttp = null;
    if (needReads) {
      await data.analyze(db);
      floorHttp = await forkFloor('floor-http.mjs', [JSON.stringify({ url: pgUrl, consultationId: c.id, threadItem: ITEM.thread, tallyItem: ITEM.tally, poolSize: Number(extraEnv.DB_POOL_SIZE ?? 20) })]);
      children.push(floorHttp.child);
    }
    const floorUrl = (p) => `http://127.0.0.1:${floorHttp.port}${p}`;
    const readPair = async (name, appUrl, floorPath, check) => {
      const res = await fetch(appUrl);
      const body = await res.text();
      if (res.status !== 200) {
        log(`${name}: GET answers ${res.status} ${body.slice(0, 200)} — skipped`);
        return { app: null, floor: null, note: `GET answered ${res.status}` };
      }
      const problem = check(JSON.parse(body));
      if (problem) log(`${name}: ${problem}`);
      log(`${name} floor: bare http + pg, concurrency ${cfg.readConcurrency}, ${cfg.readSeconds} s`);
      const f = await withCpu(floorHttp.child.pid, () => load({ url: floorUrl(floorPath), connections: cfg.readConcurrency, seconds: cfg.readSeconds }));
      log(`  ${f.rate.toFixed(0)}/s p50 ${f.latency.p50} p99 ${f.latency.p99} ms`);
      await sleep(1000);
      log(`${name}: the forum, concurrency ${cfg.readConcurrency}, ${cfg.readSeconds} s`);
      const app = await withCpu(api.child.pid, () => load({ url: appUrl, connections: cfg.readConcurrency, seconds: cfg.readSeconds }));
      log(`  ${app.rate.toFixed(0)}/s p50 ${app.latency.p50} p99 ${app.latency.p99} ms, errors ${app.errors}`);
      await sleep(1000);
      return { app, floor: f, responseBytes: Buffer.byteLength(body), problem };
    };

    if (cfg.only.has('thread')) {
      results.measures.thread = await readPair('thread first page', `${commentsUrl(ITEM.thread)}?limit=50`, '/thread', (b) =>
        b.comments?.length === 50 && b.nextCursor ? null : `unexpected page: ${b.comments?.length} comments`,
      );
    }

    if (cfg.only.has('tally')) {
      const tallyUrl = apiUrl(`/consultations/${SLUG}/items/${ITEM.tally}/tally`);
      const totalOf = (b) => Object.values(b.byGroup ?? {}).reduce((s, g) => s + (g.total ?? 0), 0);
      log(`preparing ${cfg.smallPositions} positions (through the positions triggers)`);
      await data.insertParticipants(db, 'tally', 1, cfg.smallPositions);
      await data.insertPositions(db, c, ITEM.tally, 'tally', 1, cfg.smallPositions);
      const differ = await data.countsDiffer(db, c, ITEM.tally);
      if (differ.length > 0) throw new Error(`the bench's count rules no longer match the positions triggers: ${differ.join('; ')}`);
      await data.analyze(db);
      const small = await readPair(`tally read at ${cfg.smallPositions} positions`, tallyUrl, '/tally', (b) =>
        totalOf(b) === cfg.smallPositions ? null : `tally totals ${totalOf(b)}, expected ${cfg.smallPositions}`,
      );
      log(`preparing ${cfg.largePositions} positions (bulk: participants, positions, the kept counts recomputed)`);
      const t0 = Date.now();
      for (let from = cfg.smallPositions + 1; from <= cfg.largePositions; from += 250_000) {
        await data.insertParticipants(db, 'tally', from, Math.min(cfg.largePositions, from + 249_999));
      }
      await data.insertPositionsBulk(db, c, ITEM.tally, 'tally', cfg.smallPositions + 1, cfg.largePositions);
      await data.analyze(db);
      // The bulk load's dirty pages written out now, not by a checkpoint in the middle of the measure.
      await db.query('CHECKPOINT');
      await sleep(2000);
      log(`  ${((Date.now() - t0) / 1000).toFixed(0)} s`);
      const large = await readPair(`tally read at ${cfg.largePositions} positions`, tallyUrl, '/tally', (b) =>
        totalOf(b) === cfg.largePositions ? null : `tally totals ${totalOf(b)}, expected ${cfg.largePositions}`,
      );
      results.measures.tally = [
        { positions: cfg.smallPositions, ...small },
        { positions: cfg.largePositions, ...large },
      ];
    }
    floorHttp?.child.kill();

    if (cfg.only.has('web')) {
      const web = firstLoadJs();
      if (web) {
        // What the forum's own server sends for the entry script: compressed or not.
        const entry = web.files[0]?.file;
        const res = entry ? await fetch(`${api.base}${entry}`, { headers: { 'accept-encoding': 'gzip, br' } }) : null;
        web.servedEncoding = res ? (res.headers.get('content-encoding') ?? 'identity') : null;
        if (res) await res.arrayBuffer();
      }
      results.measures.web = web;
    }

    results.finishedAt = new Date().toISOString();
    results.machine.loadAtEnd = os.loadavg().map((l) => Math.round(l * 100) / 100);
    mkdirSync(path.join(here, 'results'), { recursive: true });
    writeFileSync(path.join(here, 'results', 'latest.json'), `${JSON.stringify(results, null, 2)}\n`);
    printTable(results);
    log(`figures written to test/bench/results/latest.json`);
  } catch (err) {
    log(`failed: ${err.stack ?? err}`);
    if (api) log(`API log tail:\n${api.tail().slice(-3000)}`);
    process.exitCode = 1;
  } finally {
    await cleanup();
  }
}

async function scaleOut({ pgUrl, jwtSecret, dataDir, children, liveTokens, viewers }) {
  let redisBin;
  try {
    redisBin = execFileSync('which', ['redis-server'], { encoding: 'utf8' }).trim();
  } catch {
    log('scale-out: no redis-server on this machine — skipped');
    return { note: 'redis-server missing' };
  }
  const port = await freePort();
  const redis = spawn(redisBin, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  children.push(redis);
  await sleep(300);
  const env = {
    DATABASE_URL: pgUrl, REDIS_URL: `redis://127.0.0.1:${port}`, JWT_SECRET: jwtSecret, ACCESS_TOKEN_TTL_SECONDS: '21600',
    WRITE_RATE_PER_MINUTE: '100000000', AUTH_RATE_PER_MINUTE: '100000000', SEED: 'false',
  };
  const procs = [];
  try {
    for (const name of ['b', 'c']) {
      const p = await startApi(env, { logFile: path.join(dataDir, `api-${name}.log`) });
      procs.push(p);
      children.push(p.child);
    }
    log(`scale-out: ${viewers} viewers split over two API processes linked by Redis, posts through the first`);
    const r = await measureLive({
      base: procs.map((p) => p.base), viewers, slug: SLUG, item: ITEM.live, comments: cfg.comments, gapMs: cfg.gapMs, serverPid: procs[0].child.pid, pgPid: 0,
      post: async (i, body) => {
        const res = await fetch(`${procs[0].base}/api/consultations/${SLUG}/items/${ITEM.live}/comments`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${liveTokens[i % liveTokens.length]}` },
          body: JSON.stringify({ body }),
        });
        await res.arrayBuffer();
        return { ok: res.status === 201, status: res.status };
      },
    });
    log(`  p50 ${r.latency.p50} p99 ${r.latency.p99} max ${r.latency.max} ms (writer's process p99 ${r.latencyByServer[0].p99}, other process p99 ${r.latencyByServer[1].p99}), complete ${(r.completeFraction * 100).toFixed(1)}%`);
    return r;
  } finally {
    await Promise.all(procs.map((p) => p.stop()));
    redis.kill('SIGTERM');
  }
}

function floorComment(i, body, authorId) {
  return {
    itemNumber: ITEM.live, clauseKey: null, quote: null, parentId: null, depth: 0, body,
    author: { id: authorId, displayName: `Bench p ${i}`, stakeholderGroup: 'academia', organization: 'Bench Org 1', verified: true },
    status: 'visible', hiddenReason: null, editedAt: null,
  };
}

const fmt = (v) => (v === null || v === undefined ? '–' : v >= 100 ? v.toFixed(0) : v.toFixed(1));

await main();
