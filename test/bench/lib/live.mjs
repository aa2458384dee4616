// Live delivery: V viewers in a child process, N comments posted one at a time, `gapMs` apart
// (start to start), each by a different participant; latency = viewer's receipt time - send time.
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { cpuPer, cpuSnapshot, rssMiB } from './cpu.mjs';
import { sleep, summarize } from './stats.mjs';

const VIEWERS_JS = fileURLToPath(new URL('../viewers.mjs', import.meta.url));

function waitMessage(child, kind, timeoutMs) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`viewers: no '${kind}' within ${timeoutMs} ms`)), timeoutMs);
    const onMsg = (m) => {
      if (m.kind === 'error') {
        clearTimeout(timer);
        child.off('message', onMsg);
        reject(new Error(`viewers: ${m.message}`));
      } else if (m.kind === kind) {
        clearTimeout(timer);
        child.off('message', onMsg);
        resolve(m);
      }
    };
    child.on('message', onMsg);
    child.once('exit', (code) => reject(new Error(`viewers exited (${code}) before '${kind}'`)));
  });
}

/**
 * @param {object} o
 * @param {string} o.base         where the viewers connect (the API or the bare socket.io floor)
 * @param {(i: number, body: string) => Promise<{ok: boolean, status: number}>} o.post  sends comment i
 */
export async function measureLive({ base, viewers, slug, item, comments, gapMs, post, serverPid, pgPid, settleMs = 1500, drainMs = 15_000 }) {
  const tag = `L${viewers}x${Math.random().toString(36).slice(2, 8)}`;
  const rssBefore = serverPid ? rssMiB(serverPid) : null;
  const child = fork(VIEWERS_JS, [JSON.stringify({ base, viewers, slug, item, tag, total: comments })], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  try {
    const ready = await waitMessage(child, 'ready', 180_000);
    await sleep(settleMs); // presence settles; the connection burst is over
    const rssWithViewers = serverPid ? rssMiB(serverPid) : null;

    const cpu0 = cpuSnapshot(serverPid, pgPid);
    const vcpu0 = cpuSnapshot(child.pid, 0);
    const sent = new Float64Array(comments);
    const postMs = [];
    let postErrors = 0;
    const statuses = {};
    for (let i = 0; i < comments; i++) {
      const body = `${tag}#${i}; a live comment from the benchmark, long enough to look like a short remark on the clause.`;
      const t0 = Date.now();
      sent[i] = t0;
      let res;
      try {
        res = await post(i, body);
      } catch (err) {
        res = { ok: false, status: String(err.cause?.code ?? err.message) };
      }
      postMs.push(Date.now() - t0);
      statuses[res.status] = (statuses[res.status] ?? 0) + 1;
      if (!res.ok) postErrors += 1;
      const wait = t0 + gapMs - Date.now();
      if (wait > 0) await sleep(wait);
    }

    const expected = viewers * (comments - postErrors);
    const drainStart = Date.now();
    for (;;) {
      child.send({ cmd: 'progress' });
      const p = await waitMessage(child, 'progress', 10_000);
      if (p.received >= expected || Date.now() - drainStart > drainMs) break;
      await sleep(100);
    }
    const cpu1 = cpuSnapshot(serverPid, pgPid);
    const vcpu1 = cpuSnapshot(child.pid, 0);
    child.send({ cmd: 'report' });
    const rep = await waitMessage(child, 'report', 60_000);

    const lat = [];
    const bases = Array.isArray(base) ? base : [base];
    const perBase = bases.map(() => []);
    let complete = 0;
    let missing = 0;
    rep.recv.forEach((times, v) => {
      let all = true;
      for (let i = 0; i < comments; i++) {
        if (times[i] === 0) {
          all = false;
          missing += 1;
        } else {
          lat.push(times[i] - sent[i]);
          perBase[v % bases.length].push(times[i] - sent[i]);
        }
      }
      if (all) complete += 1;
    });
    return {
      viewers,
      comments,
      gapMs,
      connectMs: ready.connectMs,
      serverRssMiB: { before: rssBefore, withViewers: rssWithViewers },
      latency: summarize(lat),
      latencyByServer: bases.length > 1 ? perBase.map(summarize) : undefined,
      post: summarize(postMs),
      postStatuses: statuses,
      postErrors,
      deliveries: lat.length,
      missing,
      duplicates: rep.duplicates,
      completeFraction: complete / viewers,
      connectedAtEnd: rep.connected,
      presence: rep.presence,
      cpu: cpuPer(cpu0, cpu1, comments),
      viewersCpuMsPerComment: vcpu0 && vcpu1 ? Math.round(vcpu1.server - vcpu0.server) / comments : null,
    };
  } finally {
    child.send?.({ cmd: 'close' });
    await Promise.race([new Promise((r) => child.once('exit', r)), sleep(3000)]);
    if (child.exitCode === null) child.kill('SIGKILL');
  }
}
