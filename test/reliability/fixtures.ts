import type pg from 'pg';
import request from 'supertest';
import { createUser, type TestApp, type TestUser } from '../support/app.js';
import { SLUG } from './support.js';

export interface TableState {
  rows: number;
  hash: string;
}

/** Row count and a content hash of every table of the forum (ordered by row text, so independent of physical order). */
export async function snapshotTables(db: pg.Pool | pg.Client, exclude: string[] = []): Promise<Record<string, TableState>> {
  const { rows: tables } = await db.query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = 'public' AND c.relkind = 'r' AND c.relname <> 'migrations' ORDER BY c.relname`,
  );
  const out: Record<string, TableState> = {};
  for (const { name } of tables) {
    if (exclude.includes(name)) continue;
    const { rows } = await db.query<{ n: number; h: string }>(
      `SELECT count(*)::int AS n, md5(coalesce(string_agg(t::text, E'\\n' ORDER BY t::text), '')) AS h FROM public."${name}" t`,
    );
    out[name] = { rows: rows[0]!.n, hash: rows[0]!.h };
  }
  return out;
}

export interface Cast {
  admin: TestUser;
  moderator: TestUser;
  participants: TestUser[];
}

const GROUPS = ['government', 'industry', 'academia', 'civil_society'];
const STANCES = ['support', 'support_with_amendments', 'oppose', 'abstain'];

/**
 * A consultation that has lived a little, through the API: comments on items and clauses, replies,
 * edits, a deletion, positions taken, changed and withdrawn, flags, hides and a restore, a lock,
 * a suspension. Deterministic for a given `seed`.
 */
export async function populate(t: TestApp, seed = 1): Promise<Cast> {
  let x = seed;
  const rnd = (n: number) => {
    x = (x * 1103515245 + 12345) % 2147483648;
    return x % n;
  };
  const admin = await createUser(t, { role: 'admin', group: 'government' });
  const moderator = await createUser(t, { role: 'moderator', group: 'academia' });
  const participants: TestUser[] = [];
  for (let i = 0; i < 12; i++) participants.push(await createUser(t, { group: GROUPS[i % 4], verified: i % 5 !== 0, organization: `Org ${i}` }));
  const api = request(t.base);
  const as = (u: TestUser) => ({ Authorization: `Bearer ${u.token}` });
  const ok = (res: request.Response, status: number, what: string) => {
    if (res.status !== status) throw new Error(`${what}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  };
  const clauses = (await t.db.query<{ key: string; number: number }>(
    `SELECT cl.key, i.number FROM clauses cl JOIN items i ON i.id = cl.item_id JOIN consultations c ON c.id = i.consultation_id WHERE c.slug = $1 ORDER BY i.number, cl.position`,
    [SLUG],
  )).rows;

  const comments: { id: number; author: TestUser; item: number }[] = [];
  for (let i = 0; i < 30; i++) {
    const author = participants[rnd(participants.length)]!;
    const cl = clauses[rnd(clauses.length)]!;
    const onClause = rnd(2) === 0;
    const parent = comments.length > 3 && rnd(3) === 0 ? comments[rnd(comments.length)]! : null;
    const item = parent ? parent.item : cl.number;
    const body = { body: `Comment ${i} — 评论 ${i}: **markdown** <b>and</b> 'quotes' ${'x'.repeat(rnd(50))}`, ...(parent ? { parentId: parent.id } : onClause ? { clauseKey: cl.key } : {}) };
    const c = ok(await api.post(`/api/consultations/${SLUG}/items/${item}/comments`).set(as(author)).send(body), 201, 'comment');
    comments.push({ id: c.id, author, item });
  }
  for (let i = 0; i < 6; i++) {
    const c = comments[rnd(comments.length)]!;
    ok(await api.patch(`/api/comments/${c.id}`).set(as(c.author)).send({ body: `Edited ${i}: second thoughts` }), 200, 'edit');
  }
  const gone = comments[7]!;
  ok(await api.delete(`/api/comments/${gone.id}`).set(as(gone.author)), 204, 'delete');

  for (const p of participants) {
    for (let item = 1; item <= 6; item++) {
      if (rnd(4) === 0) continue;
      ok(await api.put(`/api/consultations/${SLUG}/items/${item}/position`).set(as(p)).send({ stance: STANCES[rnd(4)], reason: rnd(2) ? `because ${item}` : null }), 200, 'position');
    }
    const cl = clauses[rnd(clauses.length)]!;
    ok(await api.put(`/api/consultations/${SLUG}/items/${cl.number}/position`).set(as(p)).send({ stance: STANCES[rnd(4)], clauseKey: cl.key }), 200, 'clause position');
  }
  for (let i = 0; i < 4; i++) {
    const p = participants[i]!;
    ok(await api.put(`/api/consultations/${SLUG}/items/2/position`).set(as(p)).send({ stance: 'oppose', reason: 'changed my mind' }), 200, 'change');
  }
  await api.delete(`/api/consultations/${SLUG}/items/3/position`).set(as(participants[1]!));

  const flagged = comments.slice(10, 14);
  for (const [i, c] of flagged.entries()) {
    const by = participants.find((p) => p !== c.author)!;
    ok(await api.post(`/api/comments/${c.id}/flags`).set(as(by)).send({ reason: ['spam', 'abuse', 'off_topic', 'other'][i], note: `flag ${i}` }), 201, 'flag');
  }
  ok(await api.post(`/api/moderation/comments/${flagged[0]!.id}/hide`).set(as(moderator)).send({ reason: 'spam, plainly' }), 200, 'hide');
  ok(await api.post(`/api/moderation/comments/${flagged[1]!.id}/hide`).set(as(moderator)).send({ reason: 'abusive' }), 200, 'hide');
  ok(await api.post(`/api/moderation/comments/${flagged[1]!.id}/restore`).set(as(admin)).send({ reason: 'on review, fair comment' }), 200, 'restore');
  ok(await api.post(`/api/moderation/consultations/${SLUG}/items/9/lock`).set(as(moderator)).send({ locked: true, reason: 'cooling off' }), 200, 'lock');
  const until = new Date(Date.now() + 7 * 86400_000).toISOString();
  ok(await api.post(`/api/moderation/users/${participants[11]!.id}/suspend`).set(as(moderator)).send({ until, reason: 'repeated spam' }), 200, 'suspend');
  return { admin, moderator, participants };
}

/** What the API answers about the consultation: the document, every thread, tallies, logs, the export. */
export async function apiAnswers(base: string, cast: Cast): Promise<Record<string, unknown>> {
  const api = request(base);
  const out: Record<string, unknown> = {};
  const get = async (path: string, user?: TestUser) => {
    const res = await (user ? api.get(path).set('Authorization', `Bearer ${user.token}`) : api.get(path));
    // The moment of an export is not part of what was backed up.
    const body = JSON.parse(JSON.stringify(res.body).replace(/"exportedAt":"[^"]*"/g, '"exportedAt":"(now)"'));
    out[path] = { status: res.status, body };
  };
  await get(`/api/consultations`);
  await get(`/api/consultations/${SLUG}`);
  for (let n = 0; n <= 13; n++) await get(`/api/consultations/${SLUG}/items/${n}/comments?limit=100`);
  await get(`/api/consultations/${SLUG}/tally`);
  await get(`/api/consultations/${SLUG}/tally?verified=any`);
  await get(`/api/consultations/${SLUG}/moderation-log`);
  await get(`/api/consultations/${SLUG}/export?format=json`);
  await get(`/api/moderation/log`, cast.moderator);
  await get(`/api/moderation/queue`, cast.moderator);
  await get(`/api/me`, cast.participants[0]);
  return out;
}
