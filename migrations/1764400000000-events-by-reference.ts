import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * One gate for comment text. Until now the outbox kept each comment event with the comment as it
 * was when written, so a replay could hand out a text that a moderator had since hidden or its
 * author deleted. From here the outbox keeps the comment's id only, and the text is read, through
 * the visibility rule, when the event is delivered or replayed. Events already stored lose their
 * copy of the text here.
 *
 * Also: every change to an account that decides what its open sockets may see or do (role,
 * suspension, verification, group, name, organisation, a session revoked) is announced on commit
 * (NOTIFY forum_accounts), so every process re-checks that account's sockets at once.
 */
export class EventsByReference1764400000000 implements MigrationInterface {
  name = 'EventsByReference1764400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      UPDATE events
         SET payload = jsonb_build_object('seq', seq, 'commentId', (payload->'comment'->>'id')::bigint)
       WHERE type LIKE 'comment.%' AND payload ? 'comment'`);
    // A comment event without an id would be one the renderer cannot send: refuse it at the source.
    await q.query(`
      ALTER TABLE events ADD CONSTRAINT events_comment_by_reference
        CHECK (type NOT LIKE 'comment.%' OR (jsonb_typeof(payload->'commentId') = 'number' AND NOT payload ? 'comment'))`);

    await q.query(`
      CREATE FUNCTION notify_account_changed() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('forum_accounts', NEW.id::text);
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER users_account_changed AFTER UPDATE ON users FOR EACH ROW
        WHEN (OLD.role IS DISTINCT FROM NEW.role
           OR OLD.suspended_until IS DISTINCT FROM NEW.suspended_until
           OR OLD.verified IS DISTINCT FROM NEW.verified
           OR OLD.stakeholder_group IS DISTINCT FROM NEW.stakeholder_group
           OR OLD.display_name IS DISTINCT FROM NEW.display_name
           OR OLD.organization IS DISTINCT FROM NEW.organization)
        EXECUTE FUNCTION notify_account_changed()`);
    await q.query(`
      CREATE FUNCTION notify_session_revoked() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('forum_accounts', NEW.user_id::text);
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER refresh_tokens_revoked AFTER UPDATE OF revoked_at ON refresh_tokens FOR EACH ROW
        WHEN (OLD.revoked_at IS NULL AND NEW.revoked_at IS NOT NULL)
        EXECUTE FUNCTION notify_session_revoked()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER refresh_tokens_revoked ON refresh_tokens`);
    await q.query(`DROP FUNCTION notify_session_revoked()`);
    await q.query(`DROP TRIGGER users_account_changed ON users`);
    await q.query(`DROP FUNCTION notify_account_changed()`);
    await q.query(`ALTER TABLE events DROP CONSTRAINT events_comment_by_reference`);
  }
}
