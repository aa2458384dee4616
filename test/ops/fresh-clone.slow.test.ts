import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, cpSync, existsSync, lstatSync, mkdirSync, mkdtempSync, realpathSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../../apps/api/src/database/embedded-postgres.js';
import { groupAlive, postmasterPid, postgresProcessesFor, sleep } from './support.js';

/**
 * The README's first command where a newcomer runs it, as root (which this machine is): a fresh
 * clone of this repository at HEAD in a private 0700 folder (a `mktemp -d`), and one in a path
 * with spaces and Chinese characters; `npm ci`, `npm start`, the forum answers on a free PORT,
 * Ctrl-C stops it and its PostgreSQL. node_modules is copied from this checkout (a copy, not a
 * link: PostgreSQL's binaries must really sit in the closed folder) unless FRESH_CLONE_NPM_CI=1,
 * which runs a real `npm ci` in each clone.
 */

const ROOT = process.cwd();
const SLUG = 'ai-governance-action-plan';
const realNpmCi = process.env.FRESH_CLONE_NPM_CI === '1';
const cleanup: string[] = [];
const clusters: string[] = [];
afterAll(() => {
  for (const c of clusters) rmSync(c, { recursive: true, force: true });
  for (const d of cleanup) rmSync(d, { recursive: true, force: true });
});

/** A child environment without what the test runner put there (NODE_ENV=test, VITEST_*). */
function newcomerEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^(VITEST|NODE_ENV$|TEST_|DATA_DIR$|DATABASE_URL$|PORT$|EMBEDDED_PG_PORT$)/.test(k)) env[k] = v;
  return { ...env, ...extra };
}

function cloneInto(dir: string): void {
  execFileSync('git', ['clone', '--quiet', ROOT, dir], { stdio: 'pipe' });
  if (realNpmCi) {
    execFileSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: dir, stdio: 'pipe', env: newcomerEnv({}) });
  } else {
    cpSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'), { recursive: true, verbatimSymlinks: true });
  }
}

/** `npm start` in the clone, as a shell runs it (a process group of its own), until it serves the plan. */
async function npmStart(dir: string): Promise<{ pid: number; output: () => string; exited: Promise<number | null>; base: string }> {
  const port = await freePort();
  let out = '';
  const child = spawn('npm', ['start'], { cwd: dir, env: newcomerEnv({ PORT: String(port), LOG_LEVEL: 'info' }), stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  const base = `http://127.0.0.1:${port}`;
  const end = Date.now() + 600_000; // the build of a fresh clone included
  for (;;) {
    if (child.exitCode !== null) throw new Error(`npm start exited (${child.exitCode}):\n${out}`);
    try {
      const res = await fetch(`${base}/api/consultations`, { signal: AbortSignal.timeout(3000) });
      if (res.status === 200) break;
    } catch {
      // building, or not listening yet
    }
    if (Date.now() > end) {
      process.kill(-child.pid!, 'SIGKILL');
      throw new Error(`npm start did not serve within 10 min:\n${out}`);
    }
    await sleep(500);
  }
  return { pid: child.pid!, output: () => out, exited, base };
}

async function runsThere(dir: string): Promise<{ cluster: string }> {
  cloneInto(dir);
  const forum = await npmStart(dir);
  try {
    const list = (await (await fetch(`${forum.base}/api/consultations`)).json()) as { slug: string }[];
    expect(list.map((c) => c.slug)).toContain(SLUG);
    const dataDir = path.join(dir, '.data');
    const cluster = realpathSync(path.join(dataDir, 'pg'));
    clusters.push(cluster);
    expect(statSync(path.join(dataDir, 'pg-password')).mode & 0o777).toBe(0o600);
    const postmaster = postmasterPid(dataDir)!;
    expect(groupAlive(postmaster)).toBe(true);
    // Ctrl-C: the forum drains and stops its PostgreSQL; npm ends with it.
    process.kill(-forum.pid, 'SIGINT');
    const timer = setTimeout(() => process.kill(-forum.pid, 'SIGKILL'), 60_000);
    await forum.exited;
    clearTimeout(timer);
    expect(forum.output()).toMatch(/"msg":"stopped"/);
    expect(forum.output()).not.toMatch(/^\s+at /m);
    expect(groupAlive(postmaster)).toBe(false);
    expect(postgresProcessesFor(cluster)).toEqual([]);
    return { cluster };
  } finally {
    try {
      process.kill(-forum.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

describe('a fresh clone, npm ci && npm start, as root', () => {
  it('works from a private 0700 folder (mktemp -d): PostgreSQL runs from where its user can reach it', async () => {
    const closed = mkdtempSync(path.join(os.tmpdir(), 'forum-clone-'));
    cleanup.push(closed);
    expect(statSync(closed).mode & 0o777).toBe(0o700);
    const dir = path.join(closed, 'consultation-forum');
    const { cluster } = await runsThere(dir);
    if (process.getuid?.() === 0) {
      // The postgres user cannot enter the clone: its cluster lives outside, DATA_DIR/pg points there.
      expect(lstatSync(path.join(dir, '.data', 'pg')).isSymbolicLink()).toBe(true);
      expect(cluster.startsWith(closed)).toBe(false);
    }
  });

  it('works from a path with spaces and Chinese characters', async () => {
    const base = mkdtempSync(path.join(os.tmpdir(), 'forum-clone-'));
    cleanup.push(base);
    chmodSync(base, 0o755);
    const parent = path.join(base, '李梅');
    mkdirSync(parent, { mode: 0o755 });
    const dir = path.join(parent, '协商 论坛');
    await runsThere(dir);
    expect(existsSync(path.join(dir, '.data', 'jwt-secret'))).toBe(true);
  });
});
