import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Positions, their history, and the counts a tally is read from.
 *
 * The counts (`tally_counts`, `coverage_counts`) are kept by triggers, in the transaction of the
 * change, so no code path can forget them and reading a tally costs the same at a thousand
 * positions or a million:
 * - a position copies its participant's stakeholder group and verification (BEFORE INSERT, with
 *   the user row share-locked so a concurrent verification change cannot slip between);
 * - inserting, changing or deleting a position moves `tally_counts` and `coverage_members`;
 * - `coverage_members` (positions per participant per item) moves `coverage_counts` when a
 *   participant gets a first position on an item or withdraws the last one;
 * - changing a user's group or verification rewrites the copies on their positions and coverage
 *   rows, whose triggers then move the counts.
 * Every change of a position is also written to `position_history`.
 * `clause_key` is '' for a position on the item itself (so the unique key needs no NULL rules).
 */
export class CreatePositions1764300300000 implements MigrationInterface {
  name = 'CreatePositions1764300300000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE positions (
        id                 bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        consultation_id    uuid NOT NULL REFERENCES consultations(id) ON DELETE CASCADE,
        item_id            uuid NOT NULL REFERENCES items(id) ON DELETE CASCADE,
        item_number        int  NOT NULL,
        clause_key         text NOT NULL DEFAULT '',
        user_id            uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        stakeholder_group  text NOT NULL,
        verified           boolean NOT NULL,
        stance             text NOT NULL CHECK (stance IN ('support', 'support_with_amendments', 'oppose', 'abstain')),
        reason             text CHECK (char_length(reason) <= 2000),
        created_at         timestamptz NOT NULL DEFAULT now(),
        updated_at         timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT positions_one_per_target UNIQUE (item_id, clause_key, user_id)
      )`);
    await q.query(`CREATE INDEX positions_user ON positions (user_id, consultation_id)`);
    await q.query(`CREATE INDEX positions_consultation ON positions (consultation_id, item_number, clause_key)`);

    await q.query(`
      CREATE TABLE position_history (
        id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        -- A log: no foreign keys, so that it keeps what happened whatever is deleted later.
        consultation_id  uuid NOT NULL,
        item_number      int  NOT NULL,
        clause_key       text NOT NULL,
        user_id          uuid NOT NULL,
        stance           text,
        previous_stance  text,
        reason           text,
        action           text NOT NULL CHECK (action IN ('taken', 'changed', 'withdrawn')),
        at               timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX position_history_user ON position_history (user_id, consultation_id, at)`);

    await q.query(`
      CREATE TABLE tally_counts (
        consultation_id    uuid NOT NULL REFERENCES consultations(id) ON DELETE CASCADE,
        item_number        int  NOT NULL,
        clause_key         text NOT NULL,
        stakeholder_group  text NOT NULL,
        verified           boolean NOT NULL,
        stance             text NOT NULL,
        n                  int  NOT NULL CHECK (n >= 0),
        PRIMARY KEY (consultation_id, item_number, clause_key, stakeholder_group, verified, stance)
      )`);
    await q.query(`
      CREATE TABLE coverage_members (
        consultation_id    uuid NOT NULL REFERENCES consultations(id) ON DELETE CASCADE,
        item_number        int  NOT NULL,
        user_id            uuid NOT NULL,
        stakeholder_group  text NOT NULL,
        verified           boolean NOT NULL,
        n                  int  NOT NULL CHECK (n >= 0),
        PRIMARY KEY (consultation_id, item_number, user_id)
      )`);
    await q.query(`CREATE INDEX coverage_members_user ON coverage_members (user_id)`);
    await q.query(`
      CREATE TABLE coverage_counts (
        consultation_id    uuid NOT NULL REFERENCES consultations(id) ON DELETE CASCADE,
        item_number        int  NOT NULL,
        stakeholder_group  text NOT NULL,
        verified           boolean NOT NULL,
        n                  int  NOT NULL CHECK (n >= 0),
        PRIMARY KEY (consultation_id, item_number, stakeholder_group, verified)
      )`);

    // A position carries its participant's group and verification, read under a share lock.
    await q.query(`
      CREATE FUNCTION positions_copy_participant() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        SELECT u.stakeholder_group, u.verified INTO NEW.stakeholder_group, NEW.verified
          FROM users u WHERE u.id = NEW.user_id FOR SHARE;
        IF NOT FOUND THEN
          RAISE EXCEPTION 'no such user %', NEW.user_id USING ERRCODE = 'foreign_key_violation';
        END IF;
        RETURN NEW;
      END $$`);
    await q.query(`
      CREATE TRIGGER positions_copy_participant BEFORE INSERT ON positions
      FOR EACH ROW EXECUTE FUNCTION positions_copy_participant()`);

    await q.query(`
      CREATE FUNCTION tally_counts_add(c uuid, i int, k text, g text, v boolean, s text, d int) RETURNS void LANGUAGE plpgsql AS $$
      BEGIN
        IF d > 0 THEN
          INSERT INTO tally_counts AS t (consultation_id, item_number, clause_key, stakeholder_group, verified, stance, n)
          VALUES (c, i, k, g, v, s, d)
          ON CONFLICT (consultation_id, item_number, clause_key, stakeholder_group, verified, stance) DO UPDATE SET n = t.n + d;
        ELSE
          UPDATE tally_counts SET n = n + d
           WHERE consultation_id = c AND item_number = i AND clause_key = k AND stakeholder_group = g AND verified = v AND stance = s;
        END IF;
      END $$`);

    await q.query(`
      CREATE FUNCTION coverage_members_add(c uuid, i int, u uuid, g text, v boolean, d int) RETURNS void LANGUAGE plpgsql AS $$
      BEGIN
        IF d > 0 THEN
          INSERT INTO coverage_members AS m (consultation_id, item_number, user_id, stakeholder_group, verified, n)
          VALUES (c, i, u, g, v, d)
          ON CONFLICT (consultation_id, item_number, user_id) DO UPDATE SET n = m.n + d;
        ELSE
          UPDATE coverage_members SET n = n + d WHERE consultation_id = c AND item_number = i AND user_id = u;
          DELETE FROM coverage_members WHERE consultation_id = c AND item_number = i AND user_id = u AND n = 0;
        END IF;
      END $$`);

    await q.query(`
      CREATE FUNCTION positions_count() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'INSERT' THEN
          PERFORM tally_counts_add(NEW.consultation_id, NEW.item_number, NEW.clause_key, NEW.stakeholder_group, NEW.verified, NEW.stance, 1);
          PERFORM coverage_members_add(NEW.consultation_id, NEW.item_number, NEW.user_id, NEW.stakeholder_group, NEW.verified, 1);
          INSERT INTO position_history (consultation_id, item_number, clause_key, user_id, stance, previous_stance, reason, action)
          VALUES (NEW.consultation_id, NEW.item_number, NEW.clause_key, NEW.user_id, NEW.stance, NULL, NEW.reason, 'taken');
        ELSIF TG_OP = 'DELETE' THEN
          PERFORM tally_counts_add(OLD.consultation_id, OLD.item_number, OLD.clause_key, OLD.stakeholder_group, OLD.verified, OLD.stance, -1);
          PERFORM coverage_members_add(OLD.consultation_id, OLD.item_number, OLD.user_id, OLD.stakeholder_group, OLD.verified, -1);
          INSERT INTO position_history (consultation_id, item_number, clause_key, user_id, stance, previous_stance, reason, action)
          VALUES (OLD.consultation_id, OLD.item_number, OLD.clause_key, OLD.user_id, NULL, OLD.stance, NULL, 'withdrawn');
        ELSE
          IF (OLD.stance, OLD.stakeholder_group, OLD.verified) IS DISTINCT FROM (NEW.stance, NEW.stakeholder_group, NEW.verified) THEN
            -- Rows are locked in one order (by group, verification, stance) so that two changes never wait on each other.
            IF (OLD.stakeholder_group, OLD.verified, OLD.stance) < (NEW.stakeholder_group, NEW.verified, NEW.stance) THEN
              PERFORM tally_counts_add(OLD.consultation_id, OLD.item_number, OLD.clause_key, OLD.stakeholder_group, OLD.verified, OLD.stance, -1);
              PERFORM tally_counts_add(NEW.consultation_id, NEW.item_number, NEW.clause_key, NEW.stakeholder_group, NEW.verified, NEW.stance, 1);
            ELSE
              PERFORM tally_counts_add(NEW.consultation_id, NEW.item_number, NEW.clause_key, NEW.stakeholder_group, NEW.verified, NEW.stance, 1);
              PERFORM tally_counts_add(OLD.consultation_id, OLD.item_number, OLD.clause_key, OLD.stakeholder_group, OLD.verified, OLD.stance, -1);
            END IF;
          END IF;
          IF (OLD.stance, OLD.reason) IS DISTINCT FROM (NEW.stance, NEW.reason) THEN
            INSERT INTO position_history (consultation_id, item_number, clause_key, user_id, stance, previous_stance, reason, action)
            VALUES (NEW.consultation_id, NEW.item_number, NEW.clause_key, NEW.user_id, NEW.stance, OLD.stance, NEW.reason, 'changed');
          END IF;
        END IF;
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER positions_count AFTER INSERT OR DELETE OR UPDATE ON positions
      FOR EACH ROW EXECUTE FUNCTION positions_count()`);
    // The target and the participant of a position never change: a change of target is a withdrawal and a new position.
    await q.query(`
      CREATE FUNCTION positions_fixed_target() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF (OLD.consultation_id, OLD.item_id, OLD.item_number, OLD.clause_key, OLD.user_id)
           IS DISTINCT FROM (NEW.consultation_id, NEW.item_id, NEW.item_number, NEW.clause_key, NEW.user_id) THEN
          RAISE EXCEPTION 'the target and participant of a position cannot change' USING ERRCODE = 'check_violation';
        END IF;
        RETURN NEW;
      END $$`);
    await q.query(`
      CREATE TRIGGER positions_fixed_target BEFORE UPDATE ON positions
      FOR EACH ROW EXECUTE FUNCTION positions_fixed_target()`);

    await q.query(`
      CREATE FUNCTION coverage_count() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'INSERT' OR (TG_OP = 'UPDATE' AND (OLD.stakeholder_group, OLD.verified) IS DISTINCT FROM (NEW.stakeholder_group, NEW.verified)) THEN
          IF TG_OP = 'UPDATE' THEN
            UPDATE coverage_counts SET n = n - 1
             WHERE consultation_id = OLD.consultation_id AND item_number = OLD.item_number
               AND stakeholder_group = OLD.stakeholder_group AND verified = OLD.verified;
          END IF;
          INSERT INTO coverage_counts AS cc (consultation_id, item_number, stakeholder_group, verified, n)
          VALUES (NEW.consultation_id, NEW.item_number, NEW.stakeholder_group, NEW.verified, 1)
          ON CONFLICT (consultation_id, item_number, stakeholder_group, verified) DO UPDATE SET n = cc.n + 1;
        ELSIF TG_OP = 'DELETE' THEN
          UPDATE coverage_counts SET n = n - 1
           WHERE consultation_id = OLD.consultation_id AND item_number = OLD.item_number
             AND stakeholder_group = OLD.stakeholder_group AND verified = OLD.verified;
        END IF;
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER coverage_count AFTER INSERT OR DELETE OR UPDATE OF stakeholder_group, verified ON coverage_members
      FOR EACH ROW EXECUTE FUNCTION coverage_count()`);

    // An administrator verifies a participant or corrects their group: their positions move with them.
    await q.query(`
      CREATE FUNCTION users_move_positions() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF (OLD.stakeholder_group, OLD.verified) IS NOT DISTINCT FROM (NEW.stakeholder_group, NEW.verified) THEN
          RETURN NULL;
        END IF;
        -- One move at a time: two moves in opposite directions would otherwise lock the same counts in opposite orders.
        PERFORM pg_advisory_xact_lock(7643003000);
        UPDATE positions SET stakeholder_group = NEW.stakeholder_group, verified = NEW.verified WHERE user_id = NEW.id;
        UPDATE coverage_members SET stakeholder_group = NEW.stakeholder_group, verified = NEW.verified WHERE user_id = NEW.id;
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER users_move_positions AFTER UPDATE OF stakeholder_group, verified ON users
      FOR EACH ROW EXECUTE FUNCTION users_move_positions()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER users_move_positions ON users`);
    await q.query(`DROP FUNCTION users_move_positions`);
    await q.query(`DROP TABLE coverage_counts`);
    await q.query(`DROP TABLE coverage_members`);
    await q.query(`DROP FUNCTION coverage_count`);
    await q.query(`DROP TABLE tally_counts`);
    await q.query(`DROP TABLE position_history`);
    await q.query(`DROP TABLE positions`);
    await q.query(`DROP FUNCTION positions_count`);
    await q.query(`DROP FUNCTION positions_fixed_target`);
    await q.query(`DROP FUNCTION positions_copy_participant`);
    await q.query(`DROP FUNCTION coverage_members_add`);
    await q.query(`DROP FUNCTION tally_counts_add`);
  }
}
