import { accessSync, constants, existsSync } from 'node:fs';
import path from 'node:path';

/**
 * Something that stops the forum from starting, said in one plain sentence with its remedy. main.ts
 * prints the message alone (no stack trace) and exits with code 1.
 */
export class StartupProblem extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StartupProblem';
  }
}

const NO_SPACE = /No space left on device|ENOSPC|could not extend file|Disk quota exceeded|EDQUOT/i;

/** True when an error (or PostgreSQL's output) says the disk is full. */
export function isNoSpace(errOrText: unknown): boolean {
  if (errOrText && typeof errOrText === 'object' && 'code' in errOrText) {
    const code = (errOrText as { code?: unknown }).code;
    if (code === 'ENOSPC' || code === 'EDQUOT') return true;
  }
  const text = errOrText instanceof Error ? errOrText.message : String(errOrText ?? '');
  return NO_SPACE.test(text);
}

export const problems = {
  noSpace: (dir: string) =>
    new StartupProblem(`No space left on the disk of ${dir}: free some space there (the database needs about 100 MB) or set DATA_DIR to a disk with room.`),
  notWritable: (dir: string, code: string) =>
    new StartupProblem(`DATA_DIR ${dir} is not writable (${code}): make it writable for this user or set DATA_DIR to a directory that is.`),
  portTaken: (port: number, host: string) =>
    new StartupProblem(`Port ${port} on ${host} is already in use: stop what is listening there or set PORT to a free port.`),
  dataDirHeld: (dir: string, pid: number) =>
    new StartupProblem(`DATA_DIR ${dir} is in use by another running forum (pid ${pid}): stop that one first, or set DATA_DIR to another directory.`),
  otherMajor: (clusterDir: string, found: string, ours: string) =>
    new StartupProblem(
      `${clusterDir} holds a PostgreSQL ${found} cluster but this forum runs PostgreSQL ${ours}: upgrade it with PostgreSQL ${ours}'s pg_upgrade, or move it away (or set DATA_DIR to a new directory) to start afresh.`,
    ),
};

/** Why a directory cannot be written: the code of its nearest existing folder (EROFS, EACCES), or null when it can. */
export function unwritableBecause(dir: string): string | null {
  let d = path.resolve(dir);
  while (!existsSync(d) && path.dirname(d) !== d) d = path.dirname(d);
  try {
    accessSync(d, constants.W_OK | constants.X_OK);
    return null;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code ?? 'EACCES';
  }
}

/** The one line for an error met while starting, where its errno names a cause a person can fix. */
export function startupLine(err: unknown, ctx: { dataDir?: string; port?: number; host?: string }): string {
  if (err instanceof StartupProblem) return err.message;
  const e = err as NodeJS.ErrnoException;
  const where = e?.path ?? ctx.dataDir ?? '';
  if (isNoSpace(err) && ctx.dataDir) return problems.noSpace(ctx.dataDir).message;
  if (['EACCES', 'EROFS', 'EPERM', 'ENOENT'].includes(e?.code ?? '') && e.syscall !== 'listen' && ctx.dataDir && path.resolve(where).startsWith(path.resolve(ctx.dataDir))) {
    const why = e.code === 'ENOENT' ? unwritableBecause(ctx.dataDir) : e.code!;
    if (why) return problems.notWritable(ctx.dataDir, why).message;
  }
  if (e?.code === 'EADDRINUSE' && ctx.port !== undefined) return problems.portTaken(ctx.port, ctx.host ?? '0.0.0.0').message;
  if ((e?.code === 'EACCES' || e?.code === 'EADDRNOTAVAIL') && e.syscall === 'listen' && ctx.port !== undefined) {
    return `The forum may not listen on ${ctx.host ?? '0.0.0.0'}:${ctx.port} (${e.code}): set PORT to a port above 1023 or HOST to an address of this machine.`;
  }
  const message = (err instanceof Error ? err.message : String(err)).split('\n')[0]!.trim();
  return `The forum could not start: ${message}`;
}
