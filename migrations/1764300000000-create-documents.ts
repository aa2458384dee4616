import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Consultations, items, clauses, and the outbox of live events with its per-consultation seq. */
export class CreateDocuments1764300000000 implements MigrationInterface {
  name = 'CreateDocuments1764300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE consultations (
        id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        slug        text NOT NULL UNIQUE,
        title_zh    text NOT NULL,
        title_en    text NOT NULL,
        source_zh   text NOT NULL DEFAULT '',
        source_en   text NOT NULL DEFAULT '',
        status      text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'open', 'closed')),
        opens_at    timestamptz,
        closes_at   timestamptz,
        last_seq    bigint NOT NULL DEFAULT 0,
        created_at  timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE items (
        id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        consultation_id  uuid NOT NULL REFERENCES consultations(id) ON DELETE CASCADE,
        number           int  NOT NULL CHECK (number >= 0),
        title_zh         text NOT NULL,
        title_en         text NOT NULL,
        locked           boolean NOT NULL DEFAULT false,
        UNIQUE (consultation_id, number)
      )`);
    await q.query(`
      CREATE TABLE clauses (
        id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        item_id    uuid NOT NULL REFERENCES items(id) ON DELETE CASCADE,
        key        text NOT NULL,
        position   int  NOT NULL CHECK (position >= 1),
        paragraph  int  NOT NULL DEFAULT 0,
        text_zh    text NOT NULL,
        text_en    text NOT NULL,
        UNIQUE (item_id, key),
        UNIQUE (item_id, position)
      )`);
    // The outbox: every change a viewer must see, numbered per consultation in the writing transaction.
    await q.query(`
      CREATE TABLE events (
        consultation_id  uuid   NOT NULL REFERENCES consultations(id) ON DELETE CASCADE,
        seq              bigint NOT NULL,
        item_number      int,
        type             text   NOT NULL,
        payload          jsonb  NOT NULL,
        created_at       timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (consultation_id, seq)
      )`);
    await q.query(`CREATE INDEX events_item_seq ON events (consultation_id, item_number, seq)`);
    // NOTIFY is delivered on commit only, so a relay in any process learns of committed events.
    await q.query(`
      CREATE FUNCTION notify_event() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('forum_events', NEW.consultation_id::text);
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER events_notify AFTER INSERT ON events
      FOR EACH ROW EXECUTE FUNCTION notify_event()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE events`);
    await q.query(`DROP FUNCTION notify_event`);
    await q.query(`DROP TABLE clauses`);
    await q.query(`DROP TABLE items`);
    await q.query(`DROP TABLE consultations`);
  }
}
