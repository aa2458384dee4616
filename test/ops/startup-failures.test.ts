import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { failureLines, spawnForum, stopForum, waitHealthy, type Forum } from './support.js';

/**
 * Whatever stops `npm start` at start-up is one line on stderr with the remedy, and exit code 1:
 * never a stack trace. Each cause is produced for real: a port in use, a DATA_DIR held by a
 * running forum, a read-only DATA_DIR and a full disk (tmpfs mounts), a cluster of another
 * PostgreSQL major version.
 */

const dirs: string[] = [];
const mounts: string[] = [];
const forums: Forum[] = [];
afterAll(async () => {
  for (const f of forums) await stopForum(f, 'SIGKILL');
  for (const m of mounts) {
    try {
      execFileSync('umount', [m], { stdio: 'ignore' });
    } catch {
      // busy or gone
    }
  }
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function tempDir(prefix: string): string {
  const d = mkdtempSync(path.join(os.tmpdir(), prefix));
  dirs.push(d);
  return d;
}

/** A tmpfs of its own (root can mount one here; elsewhere those two tests are skipped, saying so). */
function tmpfs(options: string): string | null {
  const dir = tempDir('forum-ops-mnt-');
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', options, 'tmpfs', dir], { stdio: 'ignore' });
    mounts.push(dir);
    return dir;
  } catch {
    return null;
  }
}
const canMount = process.getuid?.() === 0 && (() => {
  const probe = tmpfs('size=64k');
  if (!probe) return false;
  execFileSync('umount', [probe]);
  mounts.splice(mounts.indexOf(probe), 1);
  return true;
})();

/** Starts the forum expecting it not to: its exit code and its stderr lines. */
async function failedStart(env: Record<string, string>): Promise<{ code: number | null; lines: string[]; output: string }> {
  const forum = await spawnForum(env);
  forums.push(forum);
  const timer = setTimeout(() => forum.child.kill('SIGKILL'), 90_000);
  const { code } = await forum.exited;
  clearTimeout(timer);
  return { code, lines: failureLines(forum), output: forum.output() };
}

function expectOneLine(r: { code: number | null; lines: string[]; output: string }, line: string): void {
  expect(r.lines, r.output).toEqual([line]);
  expect(r.code).toBe(1);
  expect(r.output).not.toMatch(/^\s+at /m); // no stack trace anywhere
}

describe('npm start stops at start-up with one line and exit code 1', () => {
  it('when its port is taken', async () => {
    const holder = net.createServer();
    await new Promise<void>((r) => holder.listen(0, '0.0.0.0', () => r()));
    const port = (holder.address() as net.AddressInfo).port;
    try {
      const r = await failedStart({ PORT: String(port), DATA_DIR: tempDir('forum-ops-port-') });
      expectOneLine(r, `Port ${port} on 0.0.0.0 is already in use: stop what is listening there or set PORT to a free port.`);
    } finally {
      holder.close();
    }
  });

  it('when DATA_DIR is held by another running forum (which keeps serving)', async () => {
    const dataDir = tempDir('forum-ops-held-');
    const first = await spawnForum({ DATA_DIR: dataDir });
    forums.push(first);
    await waitHealthy(first);
    const r = await failedStart({ DATA_DIR: dataDir });
    expectOneLine(r, `DATA_DIR ${dataDir} is in use by another running forum (pid ${first.child.pid}): stop that one first, or set DATA_DIR to another directory.`);
    expect((await fetch(`${first.base}/api/health`)).status).toBe(200);
    expect(await stopForum(first)).toBe(0);
  });

  it('when DATA_DIR is not writable (a read-only file system)', async (ctx) => {
    if (!canMount) return ctx.skip('needs root to mount a read-only tmpfs');
    const ro = tmpfs('ro,size=64k')!;
    const dataDir = path.join(ro, 'data');
    const r = await failedStart({ DATA_DIR: dataDir });
    expectOneLine(r, `DATA_DIR ${dataDir} is not writable (EROFS): make it writable for this user or set DATA_DIR to a directory that is.`);
  });

  it('when DATA_DIR holds a cluster of another PostgreSQL major version', async () => {
    const dataDir = tempDir('forum-ops-major-');
    const cluster = path.join(dataDir, 'pg');
    mkdirSync(path.join(cluster, 'global'), { recursive: true, mode: 0o700 });
    writeFileSync(path.join(cluster, 'PG_VERSION'), '16\n');
    const r = await failedStart({ DATA_DIR: dataDir });
    expectOneLine(
      r,
      `${cluster} holds a PostgreSQL 16 cluster but this forum runs PostgreSQL 18: upgrade it with PostgreSQL 18's pg_upgrade, or move it away (or set DATA_DIR to a new directory) to start afresh.`,
    );
  });

  it('when the disk of DATA_DIR is full', async (ctx) => {
    if (!canMount) return ctx.skip('needs root to mount a small tmpfs');
    const small = tmpfs('size=3m')!;
    const dataDir = path.join(small, 'data');
    const r = await failedStart({ DATA_DIR: dataDir });
    expectOneLine(r, `No space left on the disk of ${dataDir}: free some space there (the database needs about 100 MB) or set DATA_DIR to a disk with room.`);
  });
});
