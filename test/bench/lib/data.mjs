// The bench's own data, written by SQL in bulk (registering thousands of participants through
// argon2 would measure argon2): participants with one real argon2 hash (so they could sign in),
// a long thread, and positions whose kept counts stay right because the positions triggers run.
import { hash } from '@node-rs/argon2';

const GROUPS = ['government', 'industry', 'academia', 'civil_society'];

export async function consultation(db, slug) {
  const { rows } = await db.query(`SELECT id FROM consultations WHERE slug = $1`, [slug]);
  if (!rows[0]) throw new Error(`no consultation ${slug}`);
  const items = (await db.query(`SELECT id, number FROM items WHERE consultation_id = $1 ORDER BY number`, [rows[0].id])).rows;
  return { id: rows[0].id, items: new Map(items.map((i) => [i.number, i.id])) };
}

/** A consultation of its own for the floors' bare writes, with one item. */
export async function floorConsultation(db) {
  const { rows } = await db.query(
    `INSERT INTO consultations (slug, title_zh, title_en, status) VALUES ('bench-floor', '基准', 'Bench floor', 'open') RETURNING id`,
  );
  const item = await db.query(`INSERT INTO items (consultation_id, number, title_zh, title_en) VALUES ($1, 1, '基准', 'Bench floor') RETURNING id`, [rows[0].id]);
  return { id: rows[0].id, items: new Map([[1, item.rows[0].id]]) };
}

/** `count` verified participants named `<prefix>-<n>@bench.example`, spread over the four groups. */
export async function insertParticipants(db, prefix, from, to) {
  const passwordHash = await hash('bench password 1234', { memoryCost: 19_456, timeCost: 2, parallelism: 1 });
  const { rows } = await db.query(
    `INSERT INTO users (email, password_hash, display_name, stakeholder_group, organization, country, verified, role)
     SELECT $1 || '-' || g || '@bench.example', $2, 'Bench ' || $1 || ' ' || g, ($3::text[])[1 + g % 4], 'Bench Org ' || (g % 97), 'CH', true, 'participant'
       FROM generate_series($4::int, $5::int) g
     RETURNING id`,
    [prefix, passwordHash, GROUPS, from, to],
  );
  return rows.map((r) => r.id);
}

/** A live session (refresh-token family) per participant, as a sign-in makes: the `sid` of their access tokens. */
export async function insertSessions(db, userIds) {
  const { rows } = await db.query(
    `INSERT INTO refresh_tokens (user_id, family_id, token_hash, expires_at)
     SELECT u, gen_random_uuid(), gen_random_uuid()::text || gen_random_uuid()::text, now() + interval '1 day' FROM unnest($1::uuid[]) AS u
     RETURNING user_id, family_id`,
    [userIds],
  );
  const sid = new Map(rows.map((r) => [r.user_id, r.family_id]));
  return userIds.map((id) => sid.get(id));
}

/** `n` top-level comments of about 400 characters on an item, oldest first, by the given authors. */
export async function insertThread(db, c, itemNumber, authorIds, n) {
  const itemId = c.items.get(itemNumber);
  await db.query(
    `WITH ids AS (SELECT nextval(pg_get_serial_sequence('comments', 'id')) AS id, g FROM generate_series(1, $5::int) g)
     INSERT INTO comments (id, consultation_id, item_id, item_number, root_id, author_id, body, created_at)
     SELECT ids.id, $1, $2, $3, ids.id, ($4::uuid[])[1 + g % cardinality($4::uuid[])],
            'Thread comment ' || g || '. ' || repeat('The clause should say who is accountable, and how its effect is reviewed. ', 5),
            now() - make_interval(secs => $5::int - g)
       FROM ids ORDER BY ids.id`,
    [c.id, itemId, itemNumber, authorIds, n],
  );
}

const POSITIONS_FROM_USERS = `
  INSERT INTO positions (consultation_id, item_id, item_number, clause_key, user_id, stakeholder_group, verified, stance)
  SELECT $1, $2, $3, '', u.id, u.stakeholder_group, u.verified,
         (ARRAY['support', 'support', 'support_with_amendments', 'oppose', 'abstain'])[1 + (hashtext(u.id::text) & 2147483647) % 5]
    FROM users u
   WHERE u.email LIKE $4 || '-%@bench.example'
     AND split_part(split_part(u.email, '-', 2), '@', 1)::int BETWEEN $5 AND $6`;

/**
 * Positions on an item (clause '') by the participants `<prefix>-<from..to>`, inserted through
 * the table's own triggers, so tally_counts and coverage are exactly what the API keeps. Fine for
 * thousands; one statement of many more is quadratic (every row updates the same few count rows
 * within one transaction, and each update walks the row's growing version chain).
 */
export async function insertPositions(db, c, itemNumber, prefix, from, to) {
  await db.query(POSITIONS_FROM_USERS, [c.id, c.items.get(itemNumber), itemNumber, prefix, from, to]);
}

/** The counts the triggers keep for an item, computed from the positions themselves. */
const EXPECTED = {
  tally_counts: `SELECT consultation_id, item_number, clause_key, stakeholder_group, verified, stance, count(*)::int AS n
                   FROM positions WHERE consultation_id = $1 AND item_number = $2
                  GROUP BY consultation_id, item_number, clause_key, stakeholder_group, verified, stance`,
  coverage_members: `SELECT consultation_id, item_number, user_id, stakeholder_group, verified, count(*)::int AS n
                       FROM positions WHERE consultation_id = $1 AND item_number = $2
                      GROUP BY consultation_id, item_number, user_id, stakeholder_group, verified`,
  coverage_counts: `SELECT consultation_id, item_number, stakeholder_group, verified, count(*)::int AS n
                      FROM coverage_members WHERE consultation_id = $1 AND item_number = $2
                     GROUP BY consultation_id, item_number, stakeholder_group, verified`,
};

/**
 * Whether the kept counts of an item equal what its positions imply: checked after positions
 * went in through the triggers, it proves the recomputation below matches the triggers' rules.
 */
export async function countsDiffer(db, c, itemNumber) {
  const problems = [];
  for (const [table, sql] of Object.entries(EXPECTED)) {
    const cols = table === 'tally_counts' ? 'clause_key, stakeholder_group, verified, stance, n' : table === 'coverage_members' ? 'user_id, stakeholder_group, verified, n' : 'stakeholder_group, verified, n';
    const { rows } = await db.query(
      `SELECT count(*)::int AS d FROM (
         ((SELECT ${cols} FROM ${table} WHERE consultation_id = $1 AND item_number = $2 AND n > 0) EXCEPT (SELECT ${cols} FROM (${sql}) e))
         UNION ALL
         ((SELECT ${cols} FROM (${sql}) e) EXCEPT (SELECT ${cols} FROM ${table} WHERE consultation_id = $1 AND item_number = $2 AND n > 0))) x`,
      [c.id, itemNumber],
    );
    if (rows[0].d !== 0) problems.push(`${table}: ${rows[0].d} rows differ`);
  }
  return problems;
}

/**
 * A million positions in one go: the rows go in with triggers off (session_replication_role), then
 * the item's kept counts are recomputed from the positions with the same rules (countsDiffer
 * checks those rules against the triggers first). position_history is not written: no read the
 * bench measures uses it.
 */
export async function insertPositionsBulk(db, c, itemNumber, prefix, from, to) {
  const client = await db.connect();
  try {
    await client.query('BEGIN');
    await client.query(`SET LOCAL session_replication_role = replica`);
    await client.query(POSITIONS_FROM_USERS, [c.id, c.items.get(itemNumber), itemNumber, prefix, from, to]);
    for (const table of ['tally_counts', 'coverage_members', 'coverage_counts']) {
      await client.query(`DELETE FROM ${table} WHERE consultation_id = $1 AND item_number = $2`, [c.id, itemNumber]);
      await client.query(`INSERT INTO ${table} ${EXPECTED[table]}`, [c.id, itemNumber]);
    }
    await client.query('COMMIT');
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}

export async function analyze(db) {
  await db.query(`VACUUM ANALYZE users, comments, positions, tally_counts, coverage_members, coverage_counts, events`);
}
