// A child process holding V socket.io viewers of one item (websocket transport, like a browser
// after the upgrade). Each viewer timestamps every comment.created it receives with Date.now();
// the bench recorded each POST's send time with Date.now() on the same machine, so the difference
// is the delivery latency. Commands and reports travel over the IPC channel.
//
// argv: JSON {base, viewers, slug, item, tag, total}
//   base:  a URL, or several (viewer v connects to base[v % n], as behind a load balancer)
//   tag:   the marker in the comment body this run looks for ("<tag>#<index>;")
//   total: how many comments the run will post
import { io } from 'socket.io-client';

const cfg = JSON.parse(process.argv[2]);
const { viewers: V, slug, item, tag, total } = cfg;
const bases = Array.isArray(cfg.base) ? cfg.base : [cfg.base];

const sockets = [];
/** recv[v] = Float64Array(total): receipt time of comment i by viewer v (0 = not received). */
const recv = [];
let duplicates = 0;
let foreign = 0;
let received = 0;
const presence = { events: 0, last: null };
const marker = new RegExp(`${tag}#(\\d+);`);

function connectOne(v) {
  return new Promise((resolve, reject) => {
    const s = io(`${bases[v % bases.length]}/live`, { transports: ['websocket'], reconnection: false, forceNew: true, timeout: 60_000 });
    const times = new Float64Array(total);
    recv[v] = times;
    s.on('comment.created', (payload) => {
      const now = Date.now();
      const m = marker.exec(payload?.comment?.body ?? '');
      if (!m) {
        foreign += 1;
        return;
      }
      const i = Number(m[1]);
      if (times[i] !== 0) duplicates += 1;
      else {
        times[i] = now;
        received += 1;
      }
    });
    s.on('presence', (p) => {
      presence.events += 1;
      presence.last = p?.viewers ?? null;
    });
    s.once('connect', () => {
      s.timeout(60_000).emit('subscribe', { consultation: slug, item }, (err, ack) => {
        if (err || !ack?.ok) return reject(new Error(`subscribe failed: ${err?.message ?? JSON.stringify(ack)}`));
        resolve();
      });
    });
    s.once('connect_error', (err) => reject(new Error(`connect failed: ${err.message}`)));
    sockets.push(s);
  });
}

async function connectAll() {
  const started = Date.now();
  const BATCH = 50;
  for (let v = 0; v < V; v += BATCH) {
    const batch = [];
    for (let k = v; k < Math.min(V, v + BATCH); k++) batch.push(connectOne(k));
    await Promise.all(batch);
  }
  return Date.now() - started;
}

process.on('message', (msg) => {
  if (msg.cmd === 'progress') process.send({ kind: 'progress', received, expected: V * total });
  else if (msg.cmd === 'report') {
    process.send({ kind: 'report', recv: recv.map((t) => Array.from(t)), duplicates, foreign, presence, connected: sockets.filter((s) => s.connected).length });
  } else if (msg.cmd === 'close') {
    for (const s of sockets) s.close();
    setTimeout(() => process.exit(0), 100);
  }
});
process.on('disconnect', () => process.exit(0));

connectAll().then(
  (ms) => process.send({ kind: 'ready', connectMs: ms }),
  (err) => {
    process.send({ kind: 'error', message: err.message });
    setTimeout(() => process.exit(1), 100);
  },
);
