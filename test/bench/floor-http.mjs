// The read floor: node:http and a bare `pg` pool (the API's default size) answering the same reads
// with the same SQL and the same JSON shape, without Nest, Express, guards, validation or logging.
// argv: JSON {url, consultationId, threadItem, tallyItem, poolSize}
//   GET /thread  the first page (50) of the thread, authors joined, as the discussion repository reads it
//   GET /tally   the item's verified tally from the kept counts
import http from 'node:http';
import pg from 'pg';

const cfg = JSON.parse(process.argv[2]);
const db = new pg.Pool({ connectionString: cfg.url, max: cfg.poolSize ?? 20 });
const GROUPS = ['government', 'industry', 'academia', 'civil_society'];
const STANCES = ['support', 'support_with_amendments', 'oppose', 'abstain'];

const PAGE = `SELECT c.id, c.consultation_id, c.item_id, c.item_number, c.clause_key, c.quote, c.parent_id, c.root_id, c.depth,
  c.author_id, c.body, c.status, c.hidden_reason, c.created_at, c.edited_at,
  u.display_name AS author_display_name, u.stakeholder_group AS author_stakeholder_group,
  u.organization AS author_organization, u.verified AS author_verified
  FROM comments c JOIN users u ON u.id = c.author_id
 WHERE c.consultation_id = $1 AND c.item_number = $2 AND c.id > $3
 ORDER BY c.id LIMIT $4`;

async function thread() {
  const { rows } = await db.query(PAGE, [cfg.consultationId, cfg.threadItem, 0, 51]);
  const page = rows.slice(0, 50).map((r) => ({
    id: Number(r.id), itemNumber: r.item_number, clauseKey: r.clause_key, quote: r.quote, parentId: r.parent_id === null ? null : Number(r.parent_id),
    depth: r.depth, body: r.status === 'visible' ? r.body : null,
    author: { id: r.author_id, displayName: r.author_display_name, stakeholderGroup: r.author_stakeholder_group, organization: r.author_organization, verified: r.author_verified },
    status: r.status, hiddenReason: r.hidden_reason, createdAt: r.created_at.toISOString(), editedAt: r.edited_at ? r.edited_at.toISOString() : null,
  }));
  return { comments: page, nextCursor: rows.length > 50 ? Buffer.from(String(page[49].id)).toString('base64url') : null };
}

async function tally() {
  const { rows } = await db.query(
    `SELECT stakeholder_group, stance, n FROM tally_counts WHERE consultation_id = $1 AND item_number = $2 AND clause_key = '' AND verified`,
    [cfg.consultationId, cfg.tallyItem],
  );
  const byGroup = {};
  for (const g of GROUPS) byGroup[g] = { support: 0, support_with_amendments: 0, oppose: 0, abstain: 0, total: 0, supportRatio: null };
  let participants = 0;
  for (const r of rows) {
    byGroup[r.stakeholder_group][r.stance] += r.n;
    byGroup[r.stakeholder_group].total += r.n;
    participants += r.n;
  }
  for (const g of GROUPS) {
    const t = byGroup[g];
    const deciding = t.total - t.abstain;
    t.supportRatio = deciding > 0 ? (t.support + t.support_with_amendments) / deciding : null;
  }
  void STANCES;
  return { target: { item: cfg.tallyItem, clause: null }, byGroup, participants };
}

const routes = { '/thread': thread, '/tally': tally };
const server = http.createServer((req, res) => {
  const route = routes[req.url];
  if (!route) return res.writeHead(404).end();
  route().then(
    (out) => res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(out)),
    (err) => res.writeHead(500).end(String(err.message)),
  );
});
server.listen(0, '127.0.0.1', () => process.send?.({ kind: 'listening', port: server.address().port }));
process.on('disconnect', () => process.exit(0));
