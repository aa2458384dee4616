// The one table: every measure, its floor beneath it, the ratio to the floor and the issue's target.

const ms = (v) => (v === null || v === undefined ? '–' : v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2));
const rate = (v) => (v === null || v === undefined ? '–' : v >= 100 ? v.toFixed(0) : v.toFixed(1));
const pct = (v) => (v === null || v === undefined ? '–' : `${(v * 100).toFixed(1)}%`);
const cpuMs = (v) => (v === null || v === undefined ? '' : v.toFixed(2));
const x = (v) => (v === null || v === undefined || !Number.isFinite(v) ? '–' : `${v >= 10 ? v.toFixed(0) : v.toFixed(2)}×`);

const COLS = [
  ['measure', 42, 'l'],
  ['p50 ms', 8],
  ['p99 ms', 8],
  ['max ms', 8],
  ['rate/s', 8],
  ['errors', 7],
  ['all got all', 11],
  ['vs floor', 12],
  ['cpu srv', 8],
  ['cpu pg', 7],
  ['target', 28, 'l'],
];

function line(cells) {
  return COLS.map(([, w, align], i) => {
    const s = String(cells[i] ?? '');
    return align === 'l' ? s.padEnd(w) : s.padStart(w);
  }).join(' ');
}

export function tableLines(r) {
  const m = r.machine;
  const out = [];
  out.push(
    `Consultation forum benchmark ${r.startedAt.slice(0, 16).replace('T', ' ')} UTC — ${m.cpus} × ${m.cpuModel}, ${m.memGiB} GiB RAM, Node ${m.node}, PostgreSQL ${m.postgres}; load average ${m.loadAtStart[0]} at start, ${m.loadAtEnd?.[0] ?? '?'} at end${r.config.quick ? ' (QUICK RUN)' : ''}`,
  );
  out.push(line(COLS.map(([h]) => h)));
  out.push(line(COLS.map(([, w]) => '-'.repeat(w))));
  const cpuCols = (o) => [cpuMs(o?.cpu?.serverMs), cpuMs(o?.cpu?.pgMs)];
  const row = (...c) => {
    // the last argument of a row is the measured object whose CPU per operation goes in the cpu columns
    const o = c.pop();
    out.push(line([...c.slice(0, 8), ...cpuCols(o), c[8]]));
  };

  for (const l of r.measures.live ?? []) {
    const target = l.viewers >= 1000 ? 'p99 ≤ 50 ms, all get all' : l.viewers >= 100 ? 'p99 ≤ 20 ms, all get all' : '';
    const a = l.app;
    const f = l.floor;
    if (a) {
      row(`live delivery, ${l.viewers} viewers`, ms(a.latency.p50), ms(a.latency.p99), ms(a.latency.max), '', a.missing + a.postErrors, pct(a.completeFraction), `p99 ${x(a.latency.p99 / f.latency.p99)}`, target, a);
    } else row(`live delivery, ${l.viewers} viewers`, '', '', '', '', '', '', '', 'not measured (no comment route)', null);
    row(`  floor: bare socket.io`, ms(f.latency.p50), ms(f.latency.p99), ms(f.latency.max), '', f.missing + f.postErrors, pct(f.completeFraction), '', '', f);
  }
  const so = r.measures.scaleOut;
  if (so?.latency) {
    const f = (r.measures.live ?? []).find((l) => l.viewers === so.viewers)?.floor;
    row(`  the same on 2 API processes + Redis`, ms(so.latency.p50), ms(so.latency.p99), ms(so.latency.max), '', so.missing + so.postErrors, pct(so.completeFraction), f ? `p99 ${x(so.latency.p99 / f.latency.p99)}` : '', `other process p99 ${ms(so.latencyByServer?.[1]?.p99)}`, so);
  }
  for (const w of r.measures.writes ?? []) {
    const a = w.app;
    const f = w.floor;
    const target = w.connections === 50 ? '≥ 1000/s, p99 ≤ 150, 0 err, ≥ 0.4× floor' : '';
    if (a) row(`comment writes, concurrency ${w.connections}`, ms(a.latency.p50), ms(a.latency.p99), ms(a.latency.max), rate(a.rate), a.errors, '', `rate ${x(a.rate / f.rate)}`, target, a);
    else row(`comment writes, concurrency ${w.connections}`, '', '', '', '', '', '', '', 'not measured (no comment route)', null);
    row(`  floor: bare pg, group commit`, ms(f.latency.p50), ms(f.latency.p99), ms(f.latency.max), rate(f.rate), f.errors, '', '', '', f);
  }
  const VARIANT = {
    'per-comment': '  bare pg, 1 transaction per comment',
    'async-commit': '    the same, no WAL flush at commit',
    'no-counter': '    the same, no seq counter row',
    'no-hot-rows': '    the same, nor comment_counts row',
  };
  for (const v of r.measures.writeFloorVariants ?? []) {
    row(VARIANT[v.variant] ?? v.variant, ms(v.latency.p50), ms(v.latency.p99), ms(v.latency.max), rate(v.rate), v.errors, '', '', v.variant === 'per-comment' ? 'c. 50: the shape without batching' : 'where its limit comes from', v);
  }
  const read = (label, p, target) => {
    if (!p) return;
    if (p.app) row(label, ms(p.app.latency.p50), ms(p.app.latency.p99), ms(p.app.latency.max), rate(p.app.rate), p.app.errors, '', `rate ${x(p.app.rate / p.floor.rate)}`, target, p.app);
    else row(label, '', '', '', '', '', '', '', p.note ?? 'not measured', null);
    if (p.floor) row(`  floor: bare http + pg`, ms(p.floor.latency.p50), ms(p.floor.latency.p99), ms(p.floor.latency.max), rate(p.floor.rate), p.floor.errors, '', '', '', p.floor);
  };
  read(`thread first page (50), concurrency 50`, r.measures.thread, '≥ 3000/s');
  for (const t of r.measures.tally ?? []) read(`tally read, ${t.positions.toLocaleString('en')} positions, c. 50`, t, '≥ 5000/s, same at 1k and 1M');
  const web = r.measures.web;
  if (web) {
    row(`web first load JS, gzipped`, '', '', '', '', '', '', '', `≤ 200 KB: ${(web.gzipBytes / 1024).toFixed(1)} KB, ${web.files.length} files`, null);
    out.push(`  (${(web.bytes / 1024).toFixed(0)} KB before gzip; the forum's server sends it ${web.servedEncoding === 'identity' ? 'uncompressed' : `as ${web.servedEncoding}`})`);
  } else if (r.measures.web === null) out.push('web first load JS: apps/web/dist/index.html missing (build the web client)');
  out.push(`live delivery: latency from sending the POST to each viewer receiving comment.created. Writes and reads: autocannon, rate counts 2xx only.`);
  out.push(`cpu srv / cpu pg: CPU milliseconds per operation (per comment for live delivery) of the server process (the API, or the floor's) and of PostgreSQL.`);
  return out;
}

export function printTable(r) {
  console.log(tableLines(r).join('\n'));
}
