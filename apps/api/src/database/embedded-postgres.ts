import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes, createHash } from 'node:crypto';
import {
  chmodSync,
  chownSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readFileSync,
  readlinkSync,
  renameSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import pg from 'pg';
import { alive } from './data-dir-lock.js';
import { enterableBy, postgresBinaries, sharedRoots, type PostgresBinaries } from './postgres-binaries.js';
import { isNoSpace, problems, StartupProblem } from './startup-problem.js';

export interface EmbeddedDatabase {
  url: string;
  port: number;
  /** The cluster's directory: DATA_DIR/pg, or where the symlink DATA_DIR/pg points (see clusterDirFor). */
  dataDir: string;
  /** The postmaster's pid now (a new one after a restart), null while none runs. */
  pid(): number | null;
  stop(): Promise<void>;
}

/** What the supervisor of a started postmaster reports (npm start logs each). */
export interface SupervisionEvents {
  onCrash(info: { pid: number; code: number | null; signal: NodeJS.Signals | null }): void;
  onRestart(info: { pid: number; attempts: number; ms: number }): void;
  onRestartFailed(info: { attempt: number; reason: string }): void;
}

const DB_NAME = 'forum';
const SUPERUSER = 'postgres';
const READY = 'database system is ready to accept connections';

/** The superuser's password, generated at the cluster's first start and kept here (0600). */
export const passwordFileOf = (dataDir: string) => path.join(path.resolve(dataDir), 'pg-password');

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

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** A deadline that does not keep the process alive on its own. */
const deadline = (ms: number) => new Promise<void>((r) => setTimeout(r, ms).unref());

/** Whether any process is left in the process group `pgid` (a postmaster's backends outlive a SIGKILL of it for a moment). */
function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function waitFor(cond: () => boolean, timeoutMs: number): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) return false;
    await sleep(50);
  }
  return true;
}

/** The postmaster already serving a cluster directory, if one is alive (pid and port from postmaster.pid). */
function runningPostmaster(clusterDir: string): { pid: number; port: number } | null {
  const pidFile = path.join(clusterDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return null;
  const lines = readFileSync(pidFile, 'utf8').split('\n');
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  if (!pid || !port) return null;
  return alive(pid) ? { pid, port } : null;
}

/** The connection string of the embedded PostgreSQL running for DATA_DIR (tests and the bench read it). */
export function embeddedDatabaseUrl(dataDir: string, database = DB_NAME): string | null {
  const running = runningPostmaster(path.join(path.resolve(dataDir), 'pg'));
  const file = passwordFileOf(dataDir);
  if (!running || !existsSync(file)) return null;
  return urlFor(running.port, readFileSync(file, 'utf8').trim(), database);
}

const urlFor = (port: number, password: string, database = DB_NAME) =>
  `postgres://${SUPERUSER}:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`;

/**
 * Where the cluster of DATA_DIR lives, made ready for the user PostgreSQL runs as. Normally
 * `DATA_DIR/pg`. As root, PostgreSQL runs as the `postgres` user, who must enter every folder on
 * the way: DATA_DIR gets o+x (its secrets are 0600), and when a folder above it is closed (root's
 * home, a `mktemp -d` folder) the cluster goes to a folder that user owns under
 * /var/lib/consultation-forum/clusters, with `DATA_DIR/pg` a symlink to it.
 */
function prepareClusterDir(dataDir: string, runAs: PostgresBinaries['runAs']): string {
  const link = path.join(dataDir, 'pg');
  const st = lstatSync(link, { throwIfNoEntry: false });
  if (st?.isSymbolicLink()) {
    const target = path.resolve(dataDir, readlinkSync(link));
    if (!existsSync(target)) makeOwnedDir(target, runAs);
    return target;
  }
  if (runAs) chmodSync(dataDir, (statSync(dataDir).mode & 0o7777) | 0o011);
  if (st?.isDirectory()) {
    if (runAs && !enterableBy(dataDir, runAs)) {
      if (existsSync(path.join(link, 'PG_VERSION'))) {
        throw new StartupProblem(
          `PostgreSQL runs as the system user postgres, who cannot enter a folder above ${link}: open the way (chmod o+x on each folder above it) or move DATA_DIR to a folder it can enter.`,
        );
      }
      rmSync(link, { recursive: true, force: true }); // an empty or unfinished cluster: start it where it can run
    } else {
      if (runAs) chownSync(link, runAs.uid, runAs.gid);
      return link;
    }
  }
  if (!runAs || enterableBy(dataDir, runAs)) {
    makeOwnedDir(link, runAs);
    return link;
  }
  const real = (() => {
    try {
      return path.resolve(dataDir);
    } catch {
      return dataDir;
    }
  })();
  const name = `${path.basename(path.dirname(real)).replace(/[^\w.-]+/g, '_').slice(0, 40) || 'forum'}-${createHash('sha256').update(real).digest('hex').slice(0, 12)}`;
  for (const root of sharedRoots()) {
    const clusters = path.join(root, 'clusters');
    try {
      mkdirSync(clusters, { recursive: true, mode: 0o755 });
      chmodSync(root, 0o755);
      chmodSync(clusters, 0o755);
      const target = path.join(clusters, name);
      makeOwnedDir(target, runAs);
      if (!enterableBy(target, runAs)) continue;
      symlinkSync(target, link);
      return target;
    } catch (err) {
      if (isNoSpace(err)) throw err;
      // try the next place
    }
  }
  throw new StartupProblem(
    `PostgreSQL runs as the system user postgres, who cannot enter a folder above ${dataDir}, and no other place could hold its cluster: set DATA_DIR to a folder it can enter (e.g. /var/lib/consultation-forum/data) or start the forum as a regular user.`,
  );
}

function makeOwnedDir(dir: string, runAs: PostgresBinaries['runAs']): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
  if (runAs) chownSync(dir, runAs.uid, runAs.gid);
}

/** Runs a program as PostgreSQL's user, resolving with its output or rejecting with it. */
function run(file: string, args: string[], runAs: PostgresBinaries['runAs'], onLog?: (l: string) => void): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { ...(runAs ? { uid: runAs.uid, gid: runAs.gid } : {}), env: { ...process.env, LC_ALL: 'C', LC_MESSAGES: 'C' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    const take = (d: Buffer) => {
      out += d;
      onLog?.(String(d).trimEnd());
    };
    child.stdout!.on('data', take);
    child.stderr!.on('data', take);
    child.once('error', reject);
    child.once('close', (code) => (code === 0 ? resolve(out) : reject(Object.assign(new Error(out || `${path.basename(file)} exited with ${code}`), { output: out }))));
  });
}

/** The one line for a PostgreSQL program that failed, from what it printed. */
function explain(output: string, ctx: { clusterDir: string; dataDir: string; port: number; what: string }): StartupProblem {
  if (isNoSpace(output)) return problems.noSpace(ctx.dataDir);
  if (/lock file "postmaster\.pid" already exists/.test(output)) {
    return new StartupProblem(`Another PostgreSQL is running on ${ctx.clusterDir}: stop it (or the forum that started it) first, or set DATA_DIR to another directory.`);
  }
  const incompatible = /database files are incompatible with server[\s\S]*?version (\d+)[^\n]*version (\d+)/.exec(output);
  if (incompatible) return problems.otherMajor(ctx.clusterDir, incompatible[1]!, incompatible[2]!);
  if (/could not bind|Address already in use/.test(output)) {
    return new StartupProblem(`Port ${ctx.port} of the embedded PostgreSQL is taken: set EMBEDDED_PG_PORT to a free port (or 0 for any).`);
  }
  if (/Permission denied/.test(output)) {
    return new StartupProblem(`PostgreSQL may not use ${ctx.clusterDir} (permission denied): give its user that folder, or set DATA_DIR to a folder it can use.`);
  }
  const fatal = output.split('\n').find((l) => /FATAL|error:|ERROR/.test(l))?.replace(/^.*?(FATAL|error|ERROR):\s*/, '').trim();
  return new StartupProblem(`The embedded PostgreSQL could not ${ctx.what}${fatal ? ` (${fatal})` : ''}: see the lines above with LOG_LEVEL=debug, or set DATABASE_URL to a PostgreSQL server.`);
}

/** A postmaster this process started, in a process group of its own (Ctrl-C in a terminal reaches the forum only). */
class Postmaster {
  child: ChildProcess | null = null;
  stopping = false;
  private restarting: Promise<void> | null = null;

  constructor(
    private readonly bins: PostgresBinaries,
    private readonly clusterDir: string,
    private readonly dataDir: string,
    readonly port: number,
    private readonly onLog?: (line: string) => void,
    private readonly events?: SupervisionEvents,
  ) {}

  /** Spawns the postmaster and resolves once it accepts connections. */
  start(): Promise<void> {
    const args = [
      '-D', this.clusterDir,
      '-p', String(this.port),
      '-c', 'listen_addresses=127.0.0.1',
      '-c', 'unix_socket_directories=',
      '-c', 'lc_messages=C',
      '-c', 'max_connections=200',
      '-c', 'shared_buffers=256MB',
    ]; // prettier-ignore
    const child = spawn(this.bins.postgres, args, {
      ...(this.bins.runAs ? { uid: this.bins.runAs.uid, gid: this.bins.runAs.gid } : {}),
      env: { ...process.env, LC_ALL: 'C', LC_MESSAGES: 'C' },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    this.child = child;
    return new Promise<void>((resolve, reject) => {
      let out = '';
      let ready = false;
      const take = (d: Buffer) => {
        const text = String(d);
        if (!ready) out += text;
        for (const line of text.split('\n')) if (line.trim()) this.onLog?.(line);
        if (!ready && out.includes(READY)) {
          ready = true;
          out = '';
          resolve();
        }
      };
      child.stdout!.on('data', take);
      child.stderr!.on('data', take);
      child.once('error', (err) => reject(err));
      child.once('exit', (code, signal) => {
        if (!ready) {
          this.child = null;
          reject(explain(out, { clusterDir: this.clusterDir, dataDir: this.dataDir, port: this.port, what: 'start' }));
          return;
        }
        if (this.child === child) this.child = null;
        if (this.stopping || !this.events) return;
        this.events.onCrash({ pid: child.pid!, code, signal });
        this.restarting ??= this.restart(child.pid!).finally(() => (this.restarting = null));
      });
    });
  }

  /** Restarts after an unexpected exit: the dead postmaster's backends are ended first (they hold its shared memory). */
  private async restart(oldPid: number): Promise<void> {
    const began = Date.now();
    for (let attempt = 1; !this.stopping; attempt++) {
      try {
        process.kill(-oldPid, 'SIGKILL');
      } catch {
        // none left
      }
      await waitFor(() => !groupAlive(oldPid), 3000);
      if (this.stopping) return;
      try {
        await this.start();
        this.events?.onRestart({ pid: this.child?.pid ?? 0, attempts: attempt, ms: Date.now() - began });
        return;
      } catch (err) {
        this.events?.onRestartFailed({ attempt, reason: err instanceof Error ? err.message : String(err) });
        await sleep(Math.min(250 * 2 ** attempt, 5000));
      }
    }
  }

  pid(): number | null {
    return this.child?.pid ?? null;
  }

  /** Fast shutdown (SIGINT: sessions ended, a checkpoint written); escalated if it does not finish. */
  async stop(): Promise<void> {
    this.stopping = true;
    await this.restarting?.catch(() => undefined);
    const child = this.child;
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise<void>((r) => child.once('exit', () => r()));
      child.kill('SIGINT');
      const clean = await Promise.race([exited.then(() => true), deadline(30_000).then(() => false)]);
      if (!clean) {
        child.kill('SIGQUIT');
        await Promise.race([exited, deadline(5000)]);
      }
    }
    if (child?.pid && groupAlive(child.pid)) {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // gone
      }
    }
    // Its output pipes would otherwise keep this process alive after the postmaster is gone.
    child?.stdout?.destroy();
    child?.stderr?.destroy();
    this.child = null;
  }
}

/** Connects as the superuser with the kept password; a cluster from before it (postgres/postgres) gets a generated one now. */
async function settlePassword(dataDir: string, clusterDir: string, port: number): Promise<string> {
  const file = passwordFileOf(dataDir);
  const pending = `${file}.new`;
  const kept = existsSync(file) ? readFileSync(file, 'utf8').trim() : null;
  const candidates = [kept, existsSync(pending) ? readFileSync(pending, 'utf8').trim() : null, 'postgres'].filter((p): p is string => !!p);
  for (const password of [...new Set(candidates)]) {
    const client = new pg.Client({ host: '127.0.0.1', port, user: SUPERUSER, password, database: 'postgres', connectionTimeoutMillis: 10_000 });
    client.on('error', () => undefined);
    try {
      await client.connect();
    } catch (err) {
      await client.end().catch(() => undefined);
      if ((err as { code?: string }).code === '28P01') continue; // wrong password: try the next one
      throw err;
    }
    try {
      let current = password;
      if (password !== kept) {
        current = randomBytes(24).toString('base64url');
        writeFileSync(pending, `${current}\n`, { mode: 0o600 });
        await client.query(`SET password_encryption = 'scram-sha-256'`);
        await client.query(`ALTER ROLE ${SUPERUSER} PASSWORD ${client.escapeLiteral(current)}`);
        renameSync(pending, file);
        chmodSync(file, 0o600);
        // The clusters of before allowed the password in clear over TCP: ask for SCRAM from now on.
        const hba = path.join(clusterDir, 'pg_hba.conf');
        const text = readFileSync(hba, 'utf8');
        const scram = text.replace(/^(\s*(?:local|host)\b[^#\n]*?)\s(password|md5)\s*$/gm, '$1 scram-sha-256');
        if (scram !== text) {
          writeFileSync(hba, scram);
          await client.query('SELECT pg_reload_conf()');
        }
      }
      const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [DB_NAME]);
      if (!rowCount) await client.query(`CREATE DATABASE ${client.escapeIdentifier(DB_NAME)}`);
      return current;
    } finally {
      await client.end().catch(() => undefined);
    }
  }
  throw new StartupProblem(
    `The embedded PostgreSQL in ${clusterDir} refuses the password kept in ${file}: put its superuser's password in that file, or move the cluster away to start afresh.`,
  );
}

/**
 * Starts a real PostgreSQL whose cluster lives in `<dataDir>/pg`, initialised on first use and
 * reused afterwards, so data survives restarts. The superuser's password is generated at the
 * first start and kept in `<dataDir>/pg-password` (0600). The postmaster runs in its own process
 * group and, with `supervise`, is started again whenever it dies while the forum runs.
 */
export async function startEmbeddedPostgres(opts: {
  dataDir: string;
  port: number;
  onLog?: (line: string) => void;
  /**
   * When a postmaster already serves this directory (a server left behind by a process that was
   * killed, or the running forum when a command-line tool starts): 'own' stops it and starts one
   * of its own (npm start holds DATA_DIR's lock, so no forum is using it); 'borrow' uses it and
   * leaves it running.
   */
  whenRunning?: 'own' | 'borrow';
  /** Restart the postmaster when it dies (npm start), reporting through these. */
  supervise?: SupervisionEvents;
}): Promise<EmbeddedDatabase> {
  const dataDir = path.resolve(opts.dataDir);
  mkdirSync(dataDir, { recursive: true });
  const bins = await postgresBinaries();
  // A cluster of another major version is told before anything is touched.
  const versionFile = path.join(dataDir, 'pg', 'PG_VERSION');
  if (existsSync(versionFile)) {
    const found = readFileSync(versionFile, 'utf8').trim();
    if (found !== bins.major) throw problems.otherMajor(path.join(dataDir, 'pg'), found, bins.major);
  }
  const clusterDir = prepareClusterDir(dataDir, bins.runAs);

  const running = runningPostmaster(clusterDir);
  if (running && opts.whenRunning === 'borrow') {
    const password = await settlePassword(dataDir, clusterDir, running.port);
    return { url: urlFor(running.port, password), port: running.port, dataDir: clusterDir, pid: () => running.pid, stop: async () => undefined };
  }
  if (running) {
    opts.onLog?.(`stopping the PostgreSQL (pid ${running.pid}) left running on ${clusterDir} by an earlier process`);
    process.kill(running.pid, 'SIGINT');
    if (!(await waitFor(() => !alive(running.pid), 30_000))) {
      process.kill(running.pid, 'SIGQUIT');
      await waitFor(() => !alive(running.pid), 5000);
    }
  }

  if (!existsSync(path.join(clusterDir, 'PG_VERSION'))) await initialise(bins, dataDir, clusterDir, opts.onLog);

  let port = opts.port || (await freePort());
  if (opts.port && (await portInUse(port))) port = await freePort();
  let postmaster = new Postmaster(bins, clusterDir, dataDir, port, opts.onLog, opts.supervise);
  for (let attempt = 1; ; attempt++) {
    try {
      await postmaster.start();
      break;
    } catch (err) {
      // Someone took the free port between the check and the start: another one.
      if (attempt < 3 && err instanceof StartupProblem && /EMBEDDED_PG_PORT/.test(err.message)) {
        postmaster = new Postmaster(bins, clusterDir, dataDir, await freePort(), opts.onLog, opts.supervise);
        continue;
      }
      throw err;
    }
  }
  // A process that ends without stop() (an uncaught error) still asks its PostgreSQL to shut down.
  const onExit = () => {
    const pid = postmaster.pid();
    if (pid && !postmaster.stopping) {
      try {
        process.kill(pid, 'SIGINT');
      } catch {
        // gone
      }
    }
  };
  process.once('exit', onExit);
  let password: string;
  try {
    password = await settlePassword(dataDir, clusterDir, postmaster.port);
  } catch (err) {
    await postmaster.stop();
    throw err;
  }
  let stopped: Promise<void> | null = null;
  return {
    url: urlFor(postmaster.port, password),
    port: postmaster.port,
    dataDir: clusterDir,
    pid: () => postmaster.pid(),
    stop() {
      stopped ??= postmaster.stop().finally(() => process.removeListener('exit', onExit));
      return stopped;
    },
  };
}

/** initdb, as PostgreSQL's user, with the generated password (kept in DATA_DIR first, so a failed init reuses it). */
async function initialise(bins: PostgresBinaries, dataDir: string, clusterDir: string, onLog?: (l: string) => void): Promise<void> {
  const file = passwordFileOf(dataDir);
  if (!existsSync(file)) writeFileSync(file, `${randomBytes(24).toString('base64url')}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  const password = readFileSync(file, 'utf8').trim();
  // initdb reads the password from a file its user can read: a private folder beside the cluster.
  const scratch = `${clusterDir}.init-${process.pid}`;
  rmSync(scratch, { recursive: true, force: true });
  makeOwnedDir(scratch, bins.runAs);
  const pwfile = path.join(scratch, 'pw');
  try {
    writeFileSync(pwfile, `${password}\n`, { mode: 0o600 });
    if (bins.runAs) chownSync(pwfile, bins.runAs.uid, bins.runAs.gid);
    await run(
      bins.initdb,
      [`--pgdata=${clusterDir}`, '--auth=scram-sha-256', `--username=${SUPERUSER}`, `--pwfile=${pwfile}`, '--encoding=UTF8', '--locale=C', '--lc-messages=C'],
      bins.runAs,
      onLog,
    );
  } catch (err) {
    if (isNoSpace(err)) throw problems.noSpace(dataDir);
    const output = (err as { output?: string }).output;
    if (output !== undefined) throw explain(output, { clusterDir, dataDir, port: 0, what: 'create its cluster' });
    throw err;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
