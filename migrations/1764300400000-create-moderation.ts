import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Moderation: the append-only log of every action, participants' flags on comments, the
 * notifications that tell an author what happened, and `user_events`, the small outbox of
 * personal live events (delivered after commit to that user's sockets only).
 */
export class CreateModeration1764300400000 implements MigrationInterface {
  name = 'CreateModeration1764300400000';

  async up(q: QueryRunner): Promise<void> {
    // The log. No foreign keys to what it describes, so that it keeps what happened whatever is
    // removed later; the acting moderator is a foreign key without cascade, so an account that
    // acted cannot be deleted from under its entries.
    await q.query(`
      CREATE TABLE moderation_log (
        id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        at               timestamptz NOT NULL DEFAULT now(),
        moderator_id     uuid NOT NULL REFERENCES users(id),
        action           text NOT NULL CHECK (action IN ('hide', 'restore', 'lock', 'unlock', 'suspend', 'unsuspend', 'dismiss')),
        target_type      text NOT NULL CHECK (target_type IN ('comment', 'item', 'user')),
        consultation_id  uuid,
        item_number      int,
        clause_key       text,
        comment_id       bigint,
        -- The participant the action concerns: the comment's author, or the suspended participant.
        subject_user_id  uuid,
        reason           text NOT NULL CHECK (char_length(reason) BETWEEN 1 AND 1000),
        -- The end of a suspension.
        until            timestamptz,
        CHECK (target_type <> 'comment' OR (comment_id IS NOT NULL AND consultation_id IS NOT NULL AND item_number IS NOT NULL AND subject_user_id IS NOT NULL)),
        CHECK (target_type <> 'item' OR (consultation_id IS NOT NULL AND item_number IS NOT NULL)),
        CHECK (target_type <> 'user' OR subject_user_id IS NOT NULL),
        CHECK ((action = 'suspend') = (until IS NOT NULL))
      )`);
    await q.query(`CREATE INDEX moderation_log_consultation ON moderation_log (consultation_id, id)`);
    await q.query(`CREATE INDEX moderation_log_subject ON moderation_log (subject_user_id, id) WHERE subject_user_id IS NOT NULL`);
    await q.query(`CREATE INDEX moderation_log_comment ON moderation_log (comment_id, id) WHERE comment_id IS NOT NULL`);
    // Append-only, enforced by the database: statement-level, so even an UPDATE or DELETE that
    // matches no row is refused, and TRUNCATE too. (The owner of the table could still drop the
    // trigger; this guards the application and anyone working through it, not a superuser.)
    await q.query(`
      CREATE FUNCTION moderation_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'moderation_log is append-only: % is refused', TG_OP
          USING ERRCODE = 'insufficient_privilege', HINT = 'a correction is a new action with its own reason';
      END $$`);
    await q.query(`
      CREATE TRIGGER moderation_log_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON moderation_log
      FOR EACH STATEMENT EXECUTE FUNCTION moderation_log_append_only()`);

    // One flag per participant per comment; open until a hide or a dismissal resolves it.
    await q.query(`
      CREATE TABLE comment_flags (
        id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        comment_id      bigint NOT NULL REFERENCES comments(id) ON DELETE CASCADE,
        flagger_id      uuid   NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        reason          text   NOT NULL CHECK (reason IN ('spam', 'abuse', 'off_topic', 'other')),
        note            text   CHECK (char_length(note) BETWEEN 1 AND 1000),
        created_at      timestamptz NOT NULL DEFAULT now(),
        resolution      text   CHECK (resolution IN ('hidden', 'dismissed')),
        resolved_at     timestamptz,
        resolved_by_log bigint REFERENCES moderation_log(id),
        CONSTRAINT comment_flags_one_per_participant UNIQUE (comment_id, flagger_id),
        CHECK ((resolution IS NULL) = (resolved_at IS NULL) AND (resolution IS NULL) = (resolved_by_log IS NULL))
      )`);
    // The queue: open flags grouped by comment.
    await q.query(`CREATE INDEX comment_flags_open ON comment_flags (comment_id) WHERE resolution IS NULL`);

    await q.query(`
      CREATE TABLE notifications (
        id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        user_id     uuid   NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        type        text   NOT NULL CHECK (type IN ('comment.hidden', 'comment.restored', 'account.suspended', 'account.unsuspended')),
        log_id      bigint NOT NULL REFERENCES moderation_log(id),
        reason      text   NOT NULL,
        -- The comment concerned: {id, consultation, itemNumber, clauseKey}
        comment     jsonb,
        until       timestamptz,
        created_at  timestamptz NOT NULL DEFAULT now(),
        read_at     timestamptz
      )`);
    await q.query(`CREATE INDEX notifications_user ON notifications (user_id, id)`);
    await q.query(`CREATE INDEX notifications_unread ON notifications (user_id) WHERE read_at IS NULL`);

    // Personal live events: written in the transaction of the change, announced on commit by
    // NOTIFY (its payload is only the row id: NOTIFY payloads are limited to 8000 bytes), read
    // and sent to the user's sockets by every process's relay. The row it announces (e.g. a
    // notification) is the truth; the live event is a courtesy, so no replay is kept.
    await q.query(`
      CREATE TABLE user_events (
        id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        user_id     uuid   NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        type        text   NOT NULL,
        payload     jsonb  NOT NULL,
        created_at  timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX user_events_created ON user_events (created_at)`);
    await q.query(`
      CREATE FUNCTION notify_user_event() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('forum_user_events', NEW.id::text);
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER user_events_notify AFTER INSERT ON user_events
      FOR EACH ROW EXECUTE FUNCTION notify_user_event()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE user_events`);
    await q.query(`DROP FUNCTION notify_user_event`);
    await q.query(`DROP TABLE notifications`);
    await q.query(`DROP TABLE comment_flags`);
    await q.query(`DROP TABLE moderation_log`);
    await q.query(`DROP FUNCTION moderation_log_append_only`);
  }
}
