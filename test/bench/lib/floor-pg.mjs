// The write floor: bare `pg` writing the rows a comment writes, in the transaction shape the forum
// uses, at the same concurrency, against the same PostgreSQL. No HTTP, no Nest, no auth, no rate
// limit, no checks. The forum's shape (realtime/consultation-writes.ts) is a group commit: the
// writes to one consultation that queue while a transaction commits go together in the next one
// (the counter row locked first, a savepoint per write: comment insert, then the outbox append in
// one statement). The other variants write one comment per transaction, to show where the limit
// of that simpler shape comes from.
import pg from 'pg';
import { performance } from 'node:perf_hooks';
import { summarize } from './stats.mjs';

const INSERT_COMMENT = `
  WITH next AS (SELECT nextval(pg_get_serial_sequence('comments', 'id')) AS id),
       ins AS (
         INSERT INTO comments (id, consultation_id, item_id, item_number, clause_key, quote, parent_id, root_id, depth, author_id, body)
         SELECT next.id, $1, $2, $3, NULL, NULL, NULL, next.id, 0, $4, $5 FROM next
         RETURNING *)
  SELECT c.id, c.item_number, c.body, c.status, c.created_at, u.id AS author_id, u.display_name, u.stakeholder_group, u.organization, u.verified
    FROM ins c JOIN users u ON u.id = c.author_id`;

const APPEND = `
  WITH counter AS (UPDATE consultations SET last_seq = last_seq + 1 WHERE id = $1 RETURNING last_seq)
  INSERT INTO events (consultation_id, seq, item_number, type, payload)
  SELECT $1, counter.last_seq, $2, 'comment.created', jsonb_build_object('seq', counter.last_seq) || $3::jsonb FROM counter
  RETURNING seq`;

function commentPayload(r) {
  return {
    comment: {
      id: Number(r.id), itemNumber: r.item_number, clauseKey: null, quote: null, parentId: null, depth: 0, body: r.body,
      author: { id: r.author_id, displayName: r.display_name, stakeholderGroup: r.stakeholder_group, organization: r.organization, verified: r.verified },
      status: r.status, hiddenReason: null, createdAt: r.created_at.toISOString(), editedAt: null,
    },
  };
}

const BODY = 'Floor write: a comment of ordinary length, written by a bare pg client.';

/**
 * The forum's shape: `connections` concurrent writers hand their comment to one committer (as the
 * API process does per consultation), which carries every write queued meanwhile (at most 64) in
 * one transaction.
 */
async function groupCommitInserts({ url, connections, seconds, consultationId, itemId, itemNumber, authorIds, snapshot }) {
  const writer = new pg.Client({ connectionString: url });
  await writer.connect();
  const queue = [];
  let running = false;
  let batches = 0;
  const drain = async () => {
    running = true;
    while (queue.length > 0) {
      const batch = queue.splice(0, 64);
      try {
        await writer.query('BEGIN');
        await writer.query(`SELECT 1 FROM consultations WHERE id = $1 FOR NO KEY UPDATE`, [consultationId]);
        for (const [i, job] of batch.entries()) {
          if (batch.length > 1) await writer.query(i > 0 ? 'RELEASE SAVEPOINT write; SAVEPOINT write' : 'SAVEPOINT write');
          const { rows } = await writer.query(INSERT_COMMENT, [consultationId, itemId, itemNumber, job.author, BODY]);
          await writer.query(APPEND, [consultationId, itemNumber, JSON.stringify(commentPayload(rows[0]))]);
        }
        await writer.query('COMMIT');
        batches += 1;
        for (const job of batch) job.resolve();
      } catch (err) {
        await writer.query('ROLLBACK').catch(() => undefined);
        for (const job of batch) job.reject(err);
      }
    }
    running = false;
  };
  const submit = (author) =>
    new Promise((resolve, reject) => {
      queue.push({ author, resolve, reject });
      if (!running) void drain();
    });
  const lat = [];
  let ok = 0;
  let errors = 0;
  const started = performance.now();
  const until = started + seconds * 1000;
  await Promise.all(
    Array.from({ length: connections }, async (_, k) => {
      while (performance.now() < until) {
        const t0 = performance.now();
        try {
          await submit(authorIds[k % authorIds.length]);
          ok += 1;
          lat.push(performance.now() - t0);
        } catch {
          errors += 1;
        }
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  const cpuEnd = snapshot?.();
  await writer.end();
  const l = summarize(lat);
  return { variant: 'group-commit', connections, seconds: elapsed, ok, rate: ok / elapsed, latency: { p50: l.p50, p99: l.p99, max: l.max, mean: l.mean }, errors, meanBatch: batches ? ok / batches : null, cpuEnd };
}

/**
 * variant: 'group-commit' the forum's shape (the default: this is the floor)
 *          'per-comment'  one comment per transaction: insert, counter update, event insert, commit
 *          'async-commit' the same with synchronous_commit = off: what the WAL flush at commit costs
 *          'no-counter'   seq from a plain sequence, no per-consultation counter row: what serialising
 *                         a consultation's writes on that row costs (use a consultation nobody watches)
 *          'no-hot-rows'  'no-counter' with the comments' count trigger switched off as well (the
 *                         caller disables it): every comment of an item also updates one row of
 *                         comment_counts, locked until commit — the second serialisation point
 */
/** `snapshot`, when given, is taken before the connections close (a backend's CPU is hard to see once it exits). */
export async function bareInserts({ url, connections, seconds, consultationId, itemId, itemNumber, authorIds, variant = 'group-commit', snapshot }) {
  if (variant === 'group-commit') return groupCommitInserts({ url, connections, seconds, consultationId, itemId, itemNumber, authorIds, snapshot });
  const clients = [];
  for (let k = 0; k < connections; k++) {
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    if (variant === 'async-commit') await c.query(`SET synchronous_commit = off`);
    clients.push(c);
  }
  const ownSeq = variant === 'no-counter' || variant === 'no-hot-rows';
  if (ownSeq) await clients[0].query(`CREATE SEQUENCE IF NOT EXISTS bench_floor_seq START 1000000000`);
  const nextSeq =
    ownSeq
      ? `SELECT nextval('bench_floor_seq') AS last_seq`
      : `UPDATE consultations SET last_seq = last_seq + 1 WHERE id = $1 RETURNING last_seq`;
  const lat = [];
  let ok = 0;
  let errors = 0;
  const started = performance.now();
  const until = started + seconds * 1000;
  await Promise.all(
    clients.map(async (c, k) => {
      const author = authorIds[k % authorIds.length];
      while (performance.now() < until) {
        const t0 = performance.now();
        try {
          await c.query('BEGIN');
          const { rows } = await c.query(INSERT_COMMENT, [consultationId, itemId, itemNumber, author, BODY]);
          const r = rows[0];
          const { rows: s } = await c.query(nextSeq, ownSeq ? [] : [consultationId]);
          const seq = Number(s[0].last_seq);
          const payload = {
            seq,
            comment: {
              id: Number(r.id), itemNumber: r.item_number, clauseKey: null, quote: null, parentId: null, depth: 0, body: r.body,
              author: { id: r.author_id, displayName: r.display_name, stakeholderGroup: r.stakeholder_group, organization: r.organization, verified: r.verified },
              status: r.status, hiddenReason: null, createdAt: r.created_at.toISOString(), editedAt: null,
            },
          };
          await c.query(`INSERT INTO events (consultation_id, seq, item_number, type, payload) VALUES ($1, $2, $3, $4, $5)`, [consultationId, seq, itemNumber, 'comment.created', JSON.stringify(payload)]);
          await c.query('COMMIT');
          ok += 1;
          lat.push(performance.now() - t0);
        } catch {
          errors += 1;
          await c.query('ROLLBACK').catch(() => undefined);
        }
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  const cpuEnd = snapshot?.();
  await Promise.all(clients.map((c) => c.end()));
  const l = summarize(lat);
  return { variant, connections, seconds: elapsed, ok, rate: ok / elapsed, latency: { p50: l.p50, p99: l.p99, max: l.max, mean: l.mean }, errors, cpuEnd };
}
