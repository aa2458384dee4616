// CPU time of the processes under test, from /proc (Linux): milliseconds of user + system time of
// the API process and of PostgreSQL (the postmaster, its live backends and the children it reaped).
// On a machine shared with other work, CPU per operation is steadier than operations per second.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';

let tickMs = 10;
try {
  tickMs = 1000 / Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
} catch {
  // keep 100 Hz
}

function stat(pid) {
  try {
    const s = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = s.slice(s.lastIndexOf(')') + 2).split(' ');
    // fields after "(comm)": state=0 ppid=1 ... utime=11 stime=12 cutime=13 cstime=14
    return { ppid: Number(f[1]), own: Number(f[11]) + Number(f[12]), children: Number(f[13]) + Number(f[14]) };
  } catch {
    return null;
  }
}

/** CPU ms so far of the server process (the API or a floor) and of the PostgreSQL whose postmaster is `pgPid`. */
export function cpuSnapshot(serverPid, pgPid) {
  if (!existsSync('/proc/self/stat')) return null;
  const server = serverPid ? stat(serverPid) : null;
  const pm = stat(pgPid);
  let pg = pm ? pm.own + pm.children : 0;
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    const s = stat(d);
    if (s && s.ppid === pgPid) pg += s.own;
  }
  return { server: server ? server.own * tickMs : 0, pg: pg * tickMs, self: (process.cpuUsage().user + process.cpuUsage().system) / 1000, at: Date.now() };
}

/** CPU ms per operation between two snapshots. */
export function cpuPer(before, after, ops) {
  if (!before || !after || !ops) return null;
  const r = (k) => Math.round(((after[k] - before[k]) / ops) * 1000) / 1000;
  const secs = (after.at - before.at) / 1000;
  return { serverMs: r('server'), pgMs: r('pg'), loadGenMs: r('self'), serverCores: Math.round(((after.server - before.server) / 1000 / secs) * 100) / 100, pgCores: Math.round(((after.pg - before.pg) / 1000 / secs) * 100) / 100 };
}

/** Resident memory of a process in MiB (Linux), or null. */
export function rssMiB(pid) {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Math.round(Number(m[1]) / 102.4) / 10 : null;
  } catch {
    return null;
  }
}
