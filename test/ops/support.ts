import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { freePort } from '../../apps/api/src/database/embedded-postgres.js';
import { MAIN_JS } from '../support/process.js';

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface Forum {
  child: ChildProcess;
  base: string;
  port: number;
  stdout: () => string;
  stderr: () => string;
  output: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** `node main.js` (what `npm start` runs after its build), optionally as the leader of a process group of its own, as a shell runs it. */
export async function spawnForum(env: Record<string, string>, opts: { detached?: boolean; cwd?: string; main?: string; node?: string } = {}): Promise<Forum> {
  const main = opts.main ?? MAIN_JS;
  if (!existsSync(main)) throw new Error(`${main} is missing: build first (npm test builds it)`);
  const port = Number(env.PORT ?? (await freePort()));
  let out = '';
  let err = '';
  let all = '';
  const child = spawn(opts.node ?? process.execPath, [main], {
    cwd: opts.cwd,
    env: { ...process.env, NODE_ENV: 'production', LOG_LEVEL: 'info', EMBEDDED_PG_PORT: '0', ...env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: opts.detached ?? false,
  });
  child.stdout!.on('data', (d) => ((out += d), (all += d)));
  child.stderr!.on('data', (d) => ((err += d), (all += d)));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  return { child, base: `http://127.0.0.1:${port}`, port, stdout: () => out, stderr: () => err, output: () => all, exited };
}

export async function waitHealthy(f: Forum, timeoutMs = 90_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    if (f.child.exitCode !== null || f.child.signalCode !== null) throw new Error(`the forum exited early (${f.child.exitCode}):\n${f.output()}`);
    try {
      const res = await fetch(`${f.base}/api/health`, { signal: AbortSignal.timeout(3000) });
      if (res.status === 200) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > end) throw new Error(`the forum was not healthy within ${timeoutMs} ms:\n${f.output()}`);
    await sleep(200);
  }
}

export async function stopForum(f: Forum | null | undefined, signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> {
  if (!f) return null;
  if (f.child.exitCode === null && f.child.signalCode === null) {
    f.child.kill(signal);
    const t = setTimeout(() => f.child.kill('SIGKILL'), 30_000);
    const { code } = await f.exited;
    clearTimeout(t);
    return code;
  }
  return f.child.exitCode;
}

/** The cluster directory of a DATA_DIR (DATA_DIR/pg, or where that symlink points). */
export function clusterOf(dataDir: string): string {
  return realpathSync(path.join(dataDir, 'pg'));
}

export function postmasterPid(dataDir: string): number | null {
  const file = path.join(dataDir, 'pg', 'postmaster.pid');
  if (!existsSync(file)) return null;
  return Number(readFileSync(file, 'utf8').split('\n')[0]) || null;
}

/** PostgreSQL processes (postmaster and backends) whose command line names this cluster directory. */
export function postgresProcessesFor(clusterDir: string): string[] {
  try {
    return execFileSync('pgrep', ['-af', `postgres.*-D ${clusterDir}( |$)`], { encoding: 'utf8' }).trim().split('\n').filter(Boolean);
  } catch {
    return []; // pgrep exits 1 when nothing matches
  }
}

/** The lines of a start-up failure on stderr: exactly one, without a stack trace. */
export function failureLines(f: Forum): string[] {
  return f.stderr().split('\n').filter((l) => l.trim());
}

/** Whether any process is left in the process group led by `pid` (a postmaster and its backends). */
export function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export async function until<T>(what: string, fn: () => Promise<T | null | undefined | false>, timeoutMs: number): Promise<T> {
  const end = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > end) throw new Error(`${what}: not within ${timeoutMs} ms${last ? ` (last error: ${String(last)})` : ''}`);
    await sleep(200);
  }
}
