import { readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { problems } from './startup-problem.js';

/** Whether a process with that pid exists (EPERM: it does, under another user). */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** On Linux, whether that pid runs the forum's main.js (a pid reused by something else does not hold the directory). */
function looksLikeForum(pid: number): boolean {
  try {
    const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    return /main\.js/.test(cmd);
  } catch {
    return process.platform !== 'linux';
  }
}

/**
 * One running forum per DATA_DIR (it owns the embedded PostgreSQL there): `DATA_DIR/forum.pid`,
 * created exclusively; a file left by a process that is gone is taken over. Throws the one-line
 * StartupProblem when another forum holds it. Returns the release function.
 */
export function lockDataDir(dataDir: string): () => void {
  const file = path.join(dataDir, 'forum.pid');
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      writeFileSync(file, `${process.pid}\n`, { flag: 'wx', mode: 0o644 });
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        try {
          if (Number(readFileSync(file, 'utf8').trim()) === process.pid) unlinkSync(file);
        } catch {
          // already gone
        }
      };
      process.once('exit', release);
      return release;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    let holder = 0;
    try {
      holder = Number(readFileSync(file, 'utf8').trim());
    } catch {
      continue; // removed in between
    }
    if (holder && holder !== process.pid && alive(holder) && looksLikeForum(holder)) throw problems.dataDirHeld(dataDir, holder);
    try {
      unlinkSync(file); // stale: its process is gone
    } catch {
      // someone else cleaned it
    }
  }
  throw problems.dataDirHeld(dataDir, 0);
}
