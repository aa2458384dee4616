// Starts the production build of the API as its own process, as `npm start` does, and stops it.
import { spawn } from 'node:child_process';
import { createWriteStream, existsSync, readFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';

export const MAIN_JS = path.resolve(process.env.BENCH_MAIN_JS ?? 'apps/api/dist/apps/api/src/main.js');

export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/**
 * Spawns main.js with `env` and waits for /api/health. Output goes to `logFile` (the bench
 * keeps nothing of it in memory). Resolves with { child, base, port, stop() }.
 */
export async function startApi(env, { logFile, timeoutMs = 120_000, nodeArgs = [] } = {}) {
  if (!existsSync(MAIN_JS)) throw new Error(`${MAIN_JS} is missing: build first (npm run build)`);
  const port = Number(env.PORT ?? (await freePort()));
  const child = spawn(process.execPath, [...nodeArgs, MAIN_JS], {
    env: { ...process.env, NODE_ENV: 'production', LOG_LEVEL: 'info', ...env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const log = logFile ? createWriteStream(logFile, { flags: 'a' }) : null;
  let tail = '';
  const keep = (d) => {
    log?.write(d);
    tail = (tail + d).slice(-8000);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
  const base = `http://127.0.0.1:${port}`;
  const started = Date.now();
  for (;;) {
    if (child.exitCode !== null) throw new Error(`API exited early (${child.exitCode}):\n${tail}`);
    try {
      const res = await fetch(`${base}/api/health`);
      if (res.status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() - started > timeoutMs) {
      child.kill('SIGKILL');
      throw new Error(`API not healthy within ${timeoutMs} ms:\n${tail}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    child,
    base,
    port,
    tail: () => tail,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), 20_000);
      await exited;
      clearTimeout(t);
      log?.end();
    },
  };
}

/** The port of the embedded PostgreSQL that main.js started in DATA_DIR (line 4 of postmaster.pid). */
export async function embeddedPgUrl(dataDir, timeoutMs = 10_000) {
  const pidFile = path.join(dataDir, 'pg', 'postmaster.pid');
  const started = Date.now();
  while (!existsSync(pidFile)) {
    if (Date.now() - started > timeoutMs) throw new Error(`no ${pidFile}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  const port = Number(readFileSync(pidFile, 'utf8').split('\n')[3]);
  // The superuser's password is generated at the first start and kept in DATA_DIR/pg-password.
  const password = readFileSync(path.join(dataDir, 'pg-password'), 'utf8').trim();
  return `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/forum`;
}
